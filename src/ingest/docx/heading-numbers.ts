/**
 * Word numbers headings ("1.2 Scope") through numbering definitions, not text; mammoth keeps the
 * heading but drops the number. This mammoth document transform writes the numbers back in, as
 * decimal multi-level counters ("1", "1.1", "1.2.1"), the common outline style. The level comes from
 * mammoth's numbering, or from the heading style's own numbering, which mammoth does not follow.
 * Numbered body paragraphs are left alone (mammoth turns them into ordered lists, which the HTML
 * walker numbers), except that numbering in format "none" is dropped: Word shows no number there.
 */
import type { StyleNumbering } from './numbering.js';

interface MammothElement {
  type: string;
  children?: MammothElement[];
  styleId?: string | null;
  styleName?: string | null;
  numbering?: { level?: string; isOrdered?: boolean } | null;
  value?: string;
}

function isHeading(paragraph: MammothElement): boolean {
  return /^heading\s*\d/i.test(paragraph.styleName ?? '') || /^heading\d/i.test(paragraph.styleId ?? '');
}

const UNNUMBERED = new Set(['none', 'bullet']);

function outlineLevel(paragraph: MammothElement, styleNumbers: ReadonlyMap<string, StyleNumbering>): number | undefined {
  const fromStyle = styleNumbers.get(paragraph.styleId ?? '');
  if (fromStyle?.format === 'none') paragraph.numbering = null;
  if (!isHeading(paragraph)) return undefined;
  if (paragraph.numbering) {
    return paragraph.numbering.isOrdered ? Number.parseInt(paragraph.numbering.level ?? '0', 10) || 0 : undefined;
  }
  return fromStyle && !UNNUMBERED.has(fromStyle.format) ? fromStyle.level : undefined;
}

export function numberHeadings(
  styleNumbers: ReadonlyMap<string, StyleNumbering> = new Map(),
): (element: MammothElement) => MammothElement {
  const counters: number[] = [];
  const visit = (element: MammothElement): void => {
    const outline = element.type === 'paragraph' ? outlineLevel(element, styleNumbers) : undefined;
    if (outline !== undefined) {
      const level = Math.max(0, Math.min(8, outline));
      counters.length = level + 1;
      for (let k = 0; k < level; k++) counters[k] ??= 1;
      counters[level] = (counters[level] ?? 0) + 1;
      const label = `${counters.join('.')} `;
      const children = (element.children ??= []);
      const firstRun = children.find((c) => c.type === 'run');
      const text: MammothElement = { type: 'text', value: label };
      if (firstRun) (firstRun.children ??= []).unshift(text);
      else children.unshift({ type: 'run', children: [text] });
    }
    for (const child of element.children ?? []) visit(child);
  };
  return (document) => {
    visit(document);
    return document;
  };
}
