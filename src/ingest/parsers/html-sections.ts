import type { Section } from '../types.js';
import { Yielder } from '../../util/yield.js';
import { elements, hasAncestor, parseHtml, tagName, textLength, type DomNode } from './html-dom.js';
import { tableCaptions, tableGrid } from './html-table.js';

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

/** Page furniture on web pages: menus, sidebars, banners and the like. */
const BOILERPLATE_TAGS = new Set(['nav', 'aside']);
const BOILERPLATE_ROLES = new Set(['navigation', 'banner', 'contentinfo', 'search']);

interface WalkContext {
  listDepth: number;
  /** Web page mode: drop boilerplate. Off for DOCX bodies, which are all content. */
  readable: boolean;
  /** Visible text of the whole page, computed on first need. */
  pageText: () => number;
}

function collapse(text: string): string {
  return text.replace(/[ \t\r\n\f\u00a0]+/g, ' ').trim();
}

function isArticleLike(node: DomNode): boolean {
  const name = tagName(node);
  return name === 'article' || name === 'main' || node.attribs?.['role'] === 'main';
}

function isBoilerplate(node: DomNode, name: string, ctx: WalkContext): boolean {
  if (!ctx.readable) return false;
  const attrs = node.attribs ?? {};
  if (BOILERPLATE_TAGS.has(name) || BOILERPLATE_ROLES.has(attrs['role'] ?? '')) return true;
  if ('hidden' in attrs || attrs['aria-hidden'] === 'true') return true;
  // A page header/footer is site furniture, but an <article>'s own header holds its title.
  if ((name === 'header' || name === 'footer') && !hasAncestor(node, isArticleLike)) return true;
  // Some sites wrap the whole page in one <form> (ASP.NET); only smaller forms are boilerplate.
  if (name === 'form') return textLength(node) < ctx.pageText() * 0.5;
  return false;
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

/** Walks a subtree; a generator so that the caller can yield to the event loop between elements. */
function* walk(node: DomNode, out: SectionBuilder, ctx: WalkContext): Generator<void> {
  if (node.type === 'text') {
    out.addText(node.data ?? '');
    return;
  }
  if (node.type === 'root' || node.type === 'cdata') {
    for (const child of node.children ?? []) yield* walk(child, out, ctx);
    return;
  }
  const name = tagName(node);
  if (name === null || SKIP_TAGS.has(name) || isBoilerplate(node, name, ctx)) return;
  yield;

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
    yield* emitTable(node, out, ctx);
    return;
  }
  if (name === 'ol' || name === 'ul' || name === 'menu') {
    out.flush();
    const start = Number.parseInt(node.attribs?.['start'] ?? '1', 10);
    let n = Number.isFinite(start) ? start : 1;
    const inner = { ...ctx, listDepth: ctx.listDepth + 1 };
    for (const child of node.children ?? []) {
      if (tagName(child) === 'li') {
        const marker = name === 'ol' ? `${n++}. ` : '- ';
        out.startItem('  '.repeat(ctx.listDepth) + marker);
        for (const c of child.children ?? []) yield* walk(c, out, inner);
        out.flush();
      } else {
        yield* walk(child, out, ctx);
      }
    }
    return;
  }
  const block = BLOCK_TAGS.has(name);
  if (block) out.flush();
  for (const child of node.children ?? []) yield* walk(child, out, ctx);
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

function cellText(cell: DomNode, ctx: WalkContext): string {
  const inner = new SectionBuilder();
  for (const child of cell.children ?? []) for (const _ of walk(child, inner, { ...ctx, listDepth: 0 }));
  inner.flush();
  return inner.sections.map(sectionText).join('\n');
}

/**
 * A data table becomes one table section; a layout table (see tableGrid) is read as ordinary content.
 * A caption goes before the table as text.
 */
function* emitTable(table: DomNode, out: SectionBuilder, ctx: WalkContext): Generator<void> {
  const data = tableGrid(table, (cell) => cellText(cell, ctx));
  if (data === 'layout') {
    out.flush();
    for (const child of table.children ?? []) yield* walk(child, out, ctx);
    out.flush();
    return;
  }
  for (const caption of tableCaptions(table)) {
    const text = collapse(plainText(caption));
    if (text) out.push({ kind: 'text', text });
  }
  if (data === 'empty') out.flush();
  else out.push({ kind: 'table', rows: data.rows, hasHeader: data.hasHeader });
}

/** Where a web page's readable content is: <main>, else its top-level <article>s, else <body>. */
function contentRoots(root: DomNode): DomNode[] {
  let body: DomNode | undefined;
  const articles: DomNode[] = [];
  for (const el of elements(root)) {
    const name = tagName(el);
    if (name === 'main' || el.attribs?.['role'] === 'main') return [el];
    if (name === 'article' && !hasAncestor(el, (p) => tagName(p) === 'article')) articles.push(el);
    if (name === 'body' && !body) body = el;
  }
  if (articles.length > 0) return articles;
  return [body ?? root];
}

function pageTitle(root: DomNode): string {
  for (const el of elements(root)) {
    if (tagName(el) === 'title') return collapse((el.children ?? []).map((c) => c.data ?? '').join(''));
  }
  return '';
}

export interface HtmlToSectionsOptions {
  /** Keep only the page's readable content (drop menus, banners, footers); off for DOCX bodies. */
  mainContent: boolean;
  signal?: AbortSignal;
}

/** HTML to sections: headings, tables (as grids) and paragraphs/list items/quotes/pre as text. */
export async function htmlToSections(html: string, options: HtmlToSectionsOptions): Promise<Section[]> {
  const yielder = new Yielder(options.signal);
  const root = await parseHtml(html, yielder);
  let pageText: number | undefined;
  const ctx: WalkContext = {
    listDepth: 0,
    readable: options.mainContent,
    pageText: () => (pageText ??= textLength(root)),
  };
  const out = new SectionBuilder();
  for (const start of options.mainContent ? contentRoots(root) : [root]) {
    for (const _ of walk(start, out, ctx)) await yielder.tick();
  }
  out.flush();
  if (!options.mainContent) return out.sections;

  const title = pageTitle(root);
  const hasH1 = out.sections.some((s) => s.kind === 'heading' && s.level === 1);
  if (title && !hasH1) out.sections.unshift({ kind: 'heading', text: title, level: 1 });
  return out.sections;
}
