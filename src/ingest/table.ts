import { countTokens } from './tokens.js';

export interface TableLike {
  rows: string[][];
  hasHeader: boolean;
}

export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function cellHtml(tag: 'td' | 'th', text: string): string {
  return `<${tag}>${escapeHtml(text).replace(/\n/g, '<br>')}</${tag}>`;
}

function rowHtml(cells: string[], tag: 'td' | 'th'): string {
  return `<tr>${cells.map((c) => cellHtml(tag, c)).join('')}</tr>`;
}

function wrap(caption: string | undefined, rows: string): string {
  const cap = caption ? `<caption>${escapeHtml(caption)}</caption>` : '';
  return `<table>${cap}${rows}</table>`;
}

/** RAGFlow stores tables as HTML chunks; this is that HTML for the whole table. */
export function tableToHtml(table: TableLike, caption?: string): string {
  const [first, ...rest] = table.rows;
  if (!first) return wrap(caption, '');
  const head = rowHtml(first, table.hasHeader ? 'th' : 'td');
  return wrap(caption, head + rest.map((r) => rowHtml(r, 'td')).join(''));
}

/** One piece of a split table: its HTML and the indices (into `rows`) of its first and last body row. */
export interface TablePiece {
  html: string;
  first: number;
  last: number;
}

/**
 * The table as HTML pieces of at most `maxTokens` tokens of cell text each, cut between rows. The header row (and
 * caption) is repeated in every piece so each one reads on its own; a single row larger than the
 * budget becomes a piece of its own rather than being cut. A table that fits is one piece, the
 * same HTML as tableToHtml. Lazy, so a caller can pause between pieces of a very long table.
 */
export function* tableHtmlPieces(table: TableLike, maxTokens: number, caption?: string): Generator<TablePiece> {
  const headerCells = table.hasHeader ? table.rows[0] : undefined;
  const header = headerCells ? rowHtml(headerCells, 'th') : '';
  const offset = table.hasHeader ? 1 : 0;
  // The budget measures what a table says, not its markup: HTML tags would triple the count and
  // cut small tables apart, where RAGFlow keeps a table whole. Rows are counted one by one
  // (re-counting the growing piece would be quadratic).
  const fixed = countTokens(`${caption ?? ''}\n${(headerCells ?? []).join('\t')}\n`);
  let current: string[] = [];
  let first = offset;
  let used = fixed;
  let emitted = false;
  for (let i = offset; i < table.rows.length; i++) {
    const cells = table.rows[i] as string[];
    const html = rowHtml(cells, 'td');
    const n = countTokens(`${cells.join('\t')}\n`);
    if (current.length > 0 && used + n > maxTokens) {
      yield { html: wrap(caption, header + current.join('')), first, last: i - 1 };
      emitted = true;
      current = [];
      first = i;
      used = fixed;
    }
    current.push(html);
    used += n;
  }
  if (current.length > 0 || !emitted) {
    yield { html: wrap(caption, header + current.join('')), first, last: Math.max(first, table.rows.length - 1) };
  }
}

export function splitTableHtml(table: TableLike, maxTokens: number, caption?: string): string[] {
  return [...tableHtmlPieces(table, maxTokens, caption)].map((piece) => piece.html);
}

/** Tab-separated cells, one row per line: the table as plain text. */
export function tableToText(table: TableLike): string {
  return table.rows.map((r) => r.map((c) => c.replace(/\s+/g, ' ').trim()).join('\t')).join('\n');
}
