/**
 * Numbering that paragraph styles carry, read from the package's styles and numbering parts:
 * either `<w:numPr>` inside the style definition (Word's outline-numbered "Heading 2") or a numbering
 * level that names the style (`<w:pStyle>` inside `<w:lvl>`). mammoth follows only the second and
 * does not say which format a level uses, so "invisible" numbering (format none) would still turn a
 * heading into a numbered list item.
 */
export interface StyleNumbering {
  level: number;
  /** Word's numFmt: decimal, lowerLetter, upperRoman, bullet, none, ... */
  format: string;
}

function attr(source: string, name: string): string | undefined {
  return new RegExp(`${name}="([^"]*)"`).exec(source)?.[1];
}

export function styleNumbering(stylesXml: string, numberingXml: string): Map<string, StyleNumbering> {
  // abstractNumId -> level -> format, and styles named by a level.
  const formats = new Map<string, Map<number, string>>();
  const linked = new Map<string, StyleNumbering>();
  for (const m of numberingXml.matchAll(/<w:abstractNum\b([^>]*)>([\s\S]*?)<\/w:abstractNum>/g)) {
    const id = attr(m[1] ?? '', 'w:abstractNumId');
    if (id === undefined) continue;
    const levels = new Map<number, string>();
    for (const lvl of (m[2] ?? '').matchAll(/<w:lvl\b([^>]*)>([\s\S]*?)<\/w:lvl>/g)) {
      const level = Number.parseInt(attr(lvl[1] ?? '', 'w:ilvl') ?? '0', 10);
      const format = /<w:numFmt w:val="([^"]*)"/.exec(lvl[2] ?? '')?.[1] ?? 'decimal';
      levels.set(level, format);
      const style = /<w:pStyle w:val="([^"]*)"/.exec(lvl[2] ?? '')?.[1];
      if (style) linked.set(style, { level, format });
    }
    formats.set(id, levels);
  }
  const abstractOf = new Map<string, string>();
  for (const m of numberingXml.matchAll(/<w:num\b([^>]*)>([\s\S]*?)<\/w:num>/g)) {
    const numId = attr(m[1] ?? '', 'w:numId');
    const abstractId = /<w:abstractNumId w:val="([^"]*)"/.exec(m[2] ?? '')?.[1];
    if (numId !== undefined && abstractId !== undefined) abstractOf.set(numId, abstractId);
  }

  const result = new Map(linked);
  for (const m of stylesXml.matchAll(/<w:style\b([^>]*)>([\s\S]*?)<\/w:style>/g)) {
    const id = attr(m[1] ?? '', 'w:styleId');
    const numPr = /<w:numPr>([\s\S]*?)<\/w:numPr>/.exec(m[2] ?? '')?.[1];
    if (!id || !numPr) continue;
    const numId = /<w:numId w:val="(\d+)"/.exec(numPr)?.[1];
    if (numId === undefined || numId === '0') continue;
    const level = Number.parseInt(/<w:ilvl w:val="(\d+)"/.exec(numPr)?.[1] ?? '0', 10);
    const format = formats.get(abstractOf.get(numId) ?? '')?.get(level) ?? 'decimal';
    result.set(id, { level, format });
  }
  return result;
}
