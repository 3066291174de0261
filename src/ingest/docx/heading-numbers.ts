/**
 * Word numbers headings ("1.2 Scope") through numbering definitions, not text; mammoth keeps the
 * heading but drops the number. This mammoth document transform writes the numbers back in, as
 * decimal multi-level counters ("1", "1.1", "1.2.1"), the common outline style. Numbered body
 * paragraphs are left alone: mammoth turns them into ordered lists, which the HTML walker numbers.
 */

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

export function numberHeadings(): (element: MammothElement) => MammothElement {
  const counters: number[] = [];
  const visit = (element: MammothElement): void => {
    if (element.type === 'paragraph' && isHeading(element) && element.numbering?.isOrdered) {
      const level = Math.max(0, Math.min(8, Number.parseInt(element.numbering.level ?? '0', 10) || 0));
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
