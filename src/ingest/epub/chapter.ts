import type { Section } from '../types.js';
import { htmlToSections } from '../parsers/html-sections.js';

/** HTML's void elements: the only ones an HTML parser lets close themselves. */
const VOID_ELEMENTS = new Set([
  'area', 'base', 'br', 'col', 'embed', 'hr', 'img', 'input', 'link', 'meta', 'param', 'source', 'track', 'wbr',
]);

/**
 * Chapters are XHTML, where any element may be written self-closed. An HTML parser reads "<title/>"
 * or "<a id='p1'/>" as an open tag, and a never-closed <title> swallows the rest of the chapter, so
 * such tags are written out as open-and-close pairs first.
 */
export function xhtmlForHtmlParser(xhtml: string): string {
  return xhtml.replace(/<([A-Za-z][\w:.-]*)((?:\s+[^<>]*?)?)\s*\/>/g, (tag, name: string, attrs: string) =>
    VOID_ELEMENTS.has(name.toLowerCase()) ? tag : `<${name}${attrs}></${name}>`,
  );
}

/**
 * One chapter's sections, through the HTML section extraction (headings, lists, tables kept). A
 * chapter is all content, so the web page "main content" filter stays off. `headingShift` moves the
 * chapter's headings below the book title.
 */
export async function chapterSections(xhtml: string, headingShift: number, signal?: AbortSignal): Promise<Section[]> {
  const sections = await htmlToSections(xhtmlForHtmlParser(xhtml), { mainContent: false, ...(signal && { signal }) });
  if (headingShift === 0) return sections;
  return sections.map((s) => (s.kind === 'heading' ? { ...s, level: Math.min(6, s.level + headingShift) } : s));
}

/** The text of the chapter's first heading, for chapters the table of contents does not name. */
export function firstHeading(sections: readonly Section[]): string | undefined {
  return sections.find((s) => s.kind === 'heading')?.text;
}
