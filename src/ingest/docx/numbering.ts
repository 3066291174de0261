import type { CheerioAPI } from 'cheerio';
import { loadXml } from './xml.js';

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

/** The w:val of the first element matching the selector that has one. */
function val($: CheerioAPI, scope: Parameters<CheerioAPI>[0], selector: string): string | undefined {
  return $(scope).find(`${selector}[w\\:val]`).first().attr('w:val');
}

const DIGITS = /^\d+$/;

export function styleNumbering(stylesXml: string, numberingXml: string): Map<string, StyleNumbering> {
  return styleNumberingOf(loadXml(stylesXml), loadXml(numberingXml));
}

/** styleNumbering for parts already parsed (see xml.ts). */
export function styleNumberingOf($styles: CheerioAPI, $numbering: CheerioAPI): Map<string, StyleNumbering> {
  // abstractNumId -> level -> format, and styles named by a level.
  const formats = new Map<string, Map<number, string>>();
  const linked = new Map<string, StyleNumbering>();
  for (const abstract of $numbering('w\\:abstractNum').toArray()) {
    const id = abstract.attribs['w:abstractNumId'];
    if (id === undefined) continue;
    const levels = new Map<number, string>();
    for (const lvl of $numbering(abstract).find('w\\:lvl').toArray()) {
      const level = Number.parseInt(lvl.attribs['w:ilvl'] ?? '0', 10);
      const format = val($numbering, lvl, 'w\\:numFmt') ?? 'decimal';
      levels.set(level, format);
      const style = val($numbering, lvl, 'w\\:pStyle');
      if (style) linked.set(style, { level, format });
    }
    formats.set(id, levels);
  }
  const abstractOf = new Map<string, string>();
  for (const num of $numbering('w\\:num').toArray()) {
    const numId = num.attribs['w:numId'];
    const abstractId = val($numbering, num, 'w\\:abstractNumId');
    if (numId !== undefined && abstractId !== undefined) abstractOf.set(numId, abstractId);
  }

  const result = new Map(linked);
  for (const style of $styles('w\\:style').toArray()) {
    const id = style.attribs['w:styleId'];
    const numPr = $styles(style).find('w\\:numPr').first();
    if (!id || numPr.contents().length === 0) continue;
    const numId = val($styles, numPr, 'w\\:numId');
    if (numId === undefined || !DIGITS.test(numId) || numId === '0') continue;
    const ilvl = val($styles, numPr, 'w\\:ilvl');
    const level = Number.parseInt(ilvl !== undefined && DIGITS.test(ilvl) ? ilvl : '0', 10);
    const format = formats.get(abstractOf.get(numId) ?? '')?.get(level) ?? 'decimal';
    result.set(id, { level, format });
  }
  return result;
}
