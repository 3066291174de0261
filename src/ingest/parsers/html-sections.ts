import { load, type CheerioAPI } from 'cheerio';
import type { Section } from '../types.js';

/** The shape of htmlparser2/domhandler nodes that the walk needs (cheerio's nodes satisfy it). */
interface DomNode {
  type: string;
  name?: string;
  data?: string;
  attribs?: Record<string, string>;
  children?: DomNode[];
  parent?: DomNode | null;
}

/** Never content: code, styling, embedded media, form controls. */
const SKIP_TAGS = new Set([
  'script', 'style', 'noscript', 'template', 'svg', 'math', 'iframe', 'object', 'embed', 'canvas', 'head',
  'title', 'meta', 'link', 'button', 'select', 'option', 'input', 'textarea', 'audio', 'video', 'map',
]);

/** Tags that end the current paragraph; everything else is inline. */
const BLOCK_TAGS = new Set([
  'address', 'article', 'aside', 'blockquote', 'body', 'center', 'dd', 'details', 'dialog', 'div', 'dl', 'dt',
  'fieldset', 'figcaption', 'figure', 'footer', 'form', 'header', 'hgroup', 'hr', 'html', 'legend', 'li', 'main',
  'menu', 'nav', 'ol', 'p', 'section', 'summary', 'ul', 'caption', 'tr', 'td', 'th', 'tbody', 'thead', 'tfoot',
]);

const MAX_SPAN = 100;

function tagName(node: DomNode): string | null {
  return node.type === 'tag' || node.type === 'script' || node.type === 'style' ? (node.name ?? '').toLowerCase() : null;
}

function childElements(node: DomNode, names: ReadonlySet<string>): DomNode[] {
  return (node.children ?? []).filter((c) => names.has(tagName(c) ?? ''));
}

function collapse(text: string): string {
  return text.replace(/[ \t\r\n\f\u00a0]+/g, ' ').trim();
}

/** Accumulates inline text into paragraphs and emits sections in document order. */
class SectionBuilder {
  readonly sections: Section[] = [];
  private inline = '';
  private prefix = '';

  addText(text: string): void {
    this.inline += text.replace(/[ \t\r\n\f]+/g, ' ');
  }

  lineBreak(): void {
    this.inline += '\n';
  }

  startItem(prefix: string): void {
    this.flush();
    this.prefix = prefix;
  }

  flush(): void {
    const text = this.inline
      .split('\n')
      .map((l) => l.replace(/[ \u00a0]+/g, ' ').trim())
      .filter((l) => l.length > 0)
      .join('\n');
    if (text) this.sections.push({ kind: 'text', text: this.prefix + text });
    this.inline = '';
    this.prefix = '';
  }

  push(section: Section): void {
    this.flush();
    this.sections.push(section);
  }
}

function walk(node: DomNode, out: SectionBuilder, listDepth: number): void {
  if (node.type === 'text') {
    out.addText(node.data ?? '');
    return;
  }
  if (node.type === 'root' || node.type === 'cdata') {
    for (const child of node.children ?? []) walk(child, out, listDepth);
    return;
  }
  const name = tagName(node);
  if (name === null || SKIP_TAGS.has(name)) return;

  if (/^h[1-6]$/.test(name)) {
    const text = collapse(plainText(node));
    if (text) out.push({ kind: 'heading', text, level: Number(name[1]) });
    else out.flush();
    return;
  }
  if (name === 'br') {
    out.lineBreak();
    return;
  }
  if (name === 'pre') {
    const text = rawText(node).replace(/\r\n?/g, '\n').replace(/^\n+|\s+$/g, '');
    if (text.trim()) out.push({ kind: 'text', text });
    else out.flush();
    return;
  }
  if (name === 'table') {
    emitTable(node, out, listDepth);
    return;
  }
  if (name === 'ol' || name === 'ul' || name === 'menu') {
    out.flush();
    const start = Number.parseInt(node.attribs?.['start'] ?? '1', 10);
    let n = Number.isFinite(start) ? start : 1;
    for (const child of node.children ?? []) {
      if (tagName(child) === 'li') {
        const marker = name === 'ol' ? `${n++}. ` : '- ';
        out.startItem('  '.repeat(listDepth) + marker);
        for (const c of child.children ?? []) walk(c, out, listDepth + 1);
        out.flush();
      } else {
        walk(child, out, listDepth);
      }
    }
    return;
  }
  const block = BLOCK_TAGS.has(name);
  if (block) out.flush();
  for (const child of node.children ?? []) walk(child, out, listDepth);
  if (block) out.flush();
}

/** Text content with whitespace as in the source (for <pre>). */
function rawText(node: DomNode): string {
  if (node.type === 'text') return node.data ?? '';
  const name = tagName(node);
  if (name === 'br') return '\n';
  if (name !== null && SKIP_TAGS.has(name)) return '';
  return (node.children ?? []).map(rawText).join('');
}

/** Text content for one-line contexts (headings); block boundaries become spaces. */
function plainText(node: DomNode): string {
  if (node.type === 'text') return node.data ?? '';
  const name = tagName(node);
  if (name !== null && SKIP_TAGS.has(name)) return '';
  const inner = (node.children ?? []).map(plainText).join('');
  return name !== null && (BLOCK_TAGS.has(name) || name === 'br') ? ` ${inner} ` : inner;
}

function sectionText(section: Section): string {
  if (section.kind === 'table') return section.rows.map((r) => r.join(' ')).join('\n');
  return section.text;
}

function cellText(cell: DomNode): string {
  const inner = new SectionBuilder();
  for (const child of cell.children ?? []) walk(child, inner, 0);
  inner.flush();
  return inner.sections.map(sectionText).join('\n');
}

const ROW_GROUPS = new Set(['thead', 'tbody', 'tfoot']);
const ROW = new Set(['tr']);
const CELLS = new Set(['td', 'th']);

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

/**
 * A data table becomes one table section with spans expanded into a rectangular grid (a merged cell's
 * text repeats in every position it covers). Layout tables — one row or one column, or tables that
 * hold other tables — are read as ordinary content instead.
 */
function emitTable(table: DomNode, out: SectionBuilder, listDepth: number): void {
  const { rows, headRows } = tableRows(table);
  const cellRows = rows.map((tr) => childElements(tr, CELLS));
  const maxCols = cellRows.reduce((w, cells) => Math.max(w, cells.length), 0);
  const nested = cellRows.some((cells) => cells.some((c) => containsTag(c, 'table')));
  if (rows.length < 2 || maxCols < 2 || nested) {
    out.flush();
    for (const child of table.children ?? []) walk(child, out, listDepth);
    out.flush();
    return;
  }

  for (const caption of childElements(table, new Set(['caption']))) {
    const text = collapse(plainText(caption));
    if (text) out.push({ kind: 'text', text });
  }

  const grid: string[][] = [];
  // Cells still covering later rows: column -> [text, rows left].
  const carry = new Map<number, [string, number]>();
  for (const cells of cellRows) {
    const row: string[] = [];
    const place = (text: string): void => {
      while (carry.has(row.length)) {
        const entry = carry.get(row.length)!;
        const col = row.length;
        row.push(entry[0]);
        if (entry[1] <= 1) carry.delete(col);
        else entry[1]--;
      }
      row.push(text);
    };
    for (const cell of cells) {
      const text = cellText(cell);
      const cols = span(cell, 'colspan');
      const down = span(cell, 'rowspan');
      for (let k = 0; k < cols; k++) {
        place(text);
        if (down > 1) carry.set(row.length - 1, [text, down - 1]);
      }
    }
    for (const col of [...carry.keys()].sort((a, b) => a - b)) {
      if (col < row.length) continue;
      while (row.length < col) row.push('');
      const entry = carry.get(col)!;
      row.push(entry[0]);
      if (entry[1] <= 1) carry.delete(col);
      else entry[1]--;
    }
    grid.push(row);
  }
  const width = grid.reduce((w, r) => Math.max(w, r.length), 0);
  for (const row of grid) while (row.length < width) row.push('');
  if (!grid.some((r) => r.some((c) => c.trim()))) {
    out.flush();
    return;
  }
  const first = rows[0];
  const firstCells = cellRows[0] ?? [];
  const hasHeader =
    first !== undefined && (headRows.has(first) || (firstCells.length > 0 && firstCells.every((c) => tagName(c) === 'th')));
  out.push({ kind: 'table', rows: grid, hasHeader });
}

function containsTag(node: DomNode, name: string): boolean {
  return (node.children ?? []).some((c) => tagName(c) === name || containsTag(c, name));
}

/** Sections of every node under the given roots, in document order. */
export function nodesToSections(roots: readonly DomNode[]): Section[] {
  const out = new SectionBuilder();
  for (const root of roots) walk(root, out, 0);
  out.flush();
  return out.sections;
}

export interface HtmlToSectionsOptions {
  /** Keep only the page's readable content (drop menus, banners, footers); off for DOCX bodies. */
  mainContent: boolean;
}

/** Always boilerplate, wherever it appears. */
const NOISE_SELECTOR = [
  'nav', 'aside', 'template', 'noscript', 'script', 'style', 'svg',
  '[role=navigation]', '[role=banner]', '[role=contentinfo]', '[role=search]', '[hidden]', '[aria-hidden=true]',
].join(',');

function removeBoilerplate($: CheerioAPI): void {
  $(NOISE_SELECTOR).remove();
  // A page header/footer is site furniture, but an <article>'s own header holds its title.
  $('header, footer').each((_, el) => {
    if ($(el).parents('article, main, [role=main]').length === 0) $(el).remove();
  });
  // Some sites wrap the whole page in one <form> (ASP.NET); only drop forms that are not the page.
  const total = collapse($('body').text()).length;
  $('form').each((_, el) => {
    if (collapse($(el).text()).length < total * 0.5) $(el).remove();
  });
}

function contentRoots($: CheerioAPI): DomNode[] {
  const main = $('main, [role=main]').first();
  if (main.length > 0) return main.toArray() as unknown as DomNode[];
  const articles = $('article').filter((_, el) => $(el).parents('article').length === 0);
  if (articles.length > 0) return articles.toArray() as unknown as DomNode[];
  const body = $('body').first();
  return (body.length > 0 ? body.toArray() : $.root().toArray()) as unknown as DomNode[];
}

/** HTML to sections: headings, tables (HTML grid) and paragraphs/list items/quotes/pre as text. */
export function htmlToSections(html: string, options: HtmlToSectionsOptions): Section[] {
  const $ = load(html);
  if (!options.mainContent) return nodesToSections($.root().toArray() as unknown as DomNode[]);

  const title = collapse($('head > title, title').first().text());
  removeBoilerplate($);
  const sections = nodesToSections(contentRoots($));
  const hasH1 = sections.some((s) => s.kind === 'heading' && s.level === 1);
  if (title && !hasH1) sections.unshift({ kind: 'heading', text: title, level: 1 });
  return sections;
}
