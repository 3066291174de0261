import { elements, tagName, type DomNode } from './html-dom.js';

/** Spans beyond this are treated as this (a colspan of 10000 must not allocate 10000 cells). */
const MAX_SPAN = 100;

const ROW_GROUPS = new Set(['thead', 'tbody', 'tfoot']);
const ROW = new Set(['tr']);
const CELLS = new Set(['td', 'th']);
const CAPTION = new Set(['caption']);

function childElements(node: DomNode, names: ReadonlySet<string>): DomNode[] {
  return (node.children ?? []).filter((c) => names.has(tagName(c) ?? ''));
}

export function tableCaptions(table: DomNode): DomNode[] {
  return childElements(table, CAPTION);
}

function tableRows(table: DomNode): { rows: DomNode[]; headRows: Set<DomNode> } {
  const rows: DomNode[] = [];
  const headRows = new Set<DomNode>();
  for (const child of table.children ?? []) {
    const name = tagName(child);
    if (name === 'tr') rows.push(child);
    else if (name !== null && ROW_GROUPS.has(name)) {
      for (const tr of childElements(child, ROW)) {
        rows.push(tr);
        if (name === 'thead') headRows.add(tr);
      }
    }
  }
  return { rows, headRows };
}

function span(cell: DomNode, attr: string): number {
  const n = Number.parseInt(cell.attribs?.[attr] ?? '1', 10);
  return Number.isFinite(n) && n > 0 ? Math.min(n, MAX_SPAN) : 1;
}

function containsTable(node: DomNode): boolean {
  for (const el of elements(node)) if (el !== node && tagName(el) === 'table') return true;
  return false;
}

/** Cells to a rectangular grid: a merged cell's text repeats in every position it covers. */
function toGrid(cellRows: DomNode[][], cellText: (cell: DomNode) => string): string[][] {
  const grid: string[][] = [];
  // Cells still covering later rows: column -> [text, rows left].
  const carry = new Map<number, [string, number]>();
  const takeCarried = (row: string[]): void => {
    const entry = carry.get(row.length);
    if (!entry) return;
    if (entry[1] <= 1) carry.delete(row.length);
    else entry[1]--;
    row.push(entry[0]);
  };
  for (const cells of cellRows) {
    const row: string[] = [];
    for (const cell of cells) {
      while (carry.has(row.length)) takeCarried(row);
      const text = cellText(cell);
      const down = span(cell, 'rowspan');
      for (let k = span(cell, 'colspan'); k > 0; k--) {
        if (down > 1) carry.set(row.length, [text, down - 1]);
        row.push(text);
      }
    }
    for (const col of [...carry.keys()].sort((a, b) => a - b)) {
      if (col < row.length) continue;
      while (row.length < col) row.push('');
      takeCarried(row);
    }
    grid.push(row);
  }
  const width = grid.reduce((w, r) => Math.max(w, r.length), 0);
  for (const row of grid) while (row.length < width) row.push('');
  return grid;
}

/**
 * A <table> as a grid of cell texts, with spans expanded. Tables with one row or one column, or
 * that hold other tables, are page layout rather than data ('layout'); a grid of empty cells is
 * 'empty'. The header row is a <thead> row or a first row of <th> cells.
 */
export function tableGrid(
  table: DomNode,
  cellText: (cell: DomNode) => string,
): { rows: string[][]; hasHeader: boolean } | 'layout' | 'empty' {
  const { rows, headRows } = tableRows(table);
  const cellRows = rows.map((tr) => childElements(tr, CELLS));
  const maxCols = cellRows.reduce((w, cells) => Math.max(w, cells.length), 0);
  if (rows.length < 2 || maxCols < 2 || containsTable(table)) return 'layout';
  const grid = toGrid(cellRows, cellText);
  if (!grid.some((r) => r.some((c) => c.trim()))) return 'empty';
  const first = rows[0];
  const firstCells = cellRows[0] ?? [];
  const hasHeader =
    first !== undefined && (headRows.has(first) || (firstCells.length > 0 && firstCells.every((c) => tagName(c) === 'th')));
  return { rows: grid, hasHeader };
}
