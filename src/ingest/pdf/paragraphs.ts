import type { Line } from './lines.js';

export interface Paragraph {
  page: number;
  text: string;
  x0: number;
  x1: number;
  top: number;
  bottom: number;
  /** Character-weighted mean font size. */
  size: number;
  lines: number;
  chars: number;
}

const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\u3000-\u303f\uff00-\uffef]/u;

/**
 * Joins two lines of a paragraph. A word hyphenated across the line end is rejoined ("infor-" +
 * "mation"); a compound that already carries hyphens keeps its hyphen ("state-of-the-" + "art"). CJK
 * text has no spaces between lines.
 */
export function joinLines(first: string, second: string): string {
  if (first.endsWith('\u00ad')) return first.slice(0, -1) + second;
  const hyphenated = /(\S*)\p{L}[-\u2010]$/u.exec(first);
  if (hyphenated && /^\p{Ll}/u.test(second)) {
    const compound = /[-\u2010]/u.test(hyphenated[1] ?? '');
    return compound ? first + second : first.slice(0, -1) + second;
  }
  const last = first.slice(-1);
  const next = second.charAt(0);
  if (CJK.test(last) && CJK.test(next)) return first + second;
  return `${first} ${second}`;
}

function continues(prev: Line, line: Line): boolean {
  const big = Math.max(prev.size, line.size);
  const small = Math.min(prev.size, line.size);
  if (big - small > 0.2 * big) return false;
  const gap = line.top - prev.bottom;
  // Upwards means a new column or block; a gap of half a line or more means a new paragraph.
  if (gap < -0.5 * small || gap > 0.5 * small) return false;
  return Math.min(prev.x1, line.x1) > Math.max(prev.x0, line.x0);
}

/** Lines of one page, in reading order, to paragraphs. */
export function linesToParagraphs(lines: readonly Line[], page: number): Paragraph[] {
  const paragraphs: Paragraph[] = [];
  let current: Paragraph | undefined;
  let last: Line | undefined;
  for (const line of lines) {
    if (current && last && continues(last, line)) {
      current.text = joinLines(current.text, line.text);
      current.x0 = Math.min(current.x0, line.x0);
      current.x1 = Math.max(current.x1, line.x1);
      current.top = Math.min(current.top, line.top);
      current.bottom = Math.max(current.bottom, line.bottom);
      current.size = (current.size * current.chars + line.size * line.chars) / Math.max(1, current.chars + line.chars);
      current.chars += line.chars;
      current.lines++;
    } else {
      current = { page, text: line.text, x0: line.x0, x1: line.x1, top: line.top, bottom: line.bottom, size: line.size, lines: 1, chars: line.chars };
      paragraphs.push(current);
    }
    last = line;
  }
  return paragraphs;
}

function roundSize(size: number): number {
  return Math.round(size * 2) / 2;
}

/**
 * Heading levels by font size: the body size is the size most characters are set in; a short
 * paragraph in a clearly larger size is a heading, and larger sizes get higher levels.
 */
export function headingLevels(paragraphs: readonly Paragraph[]): Map<Paragraph, number> {
  const weight = new Map<number, number>();
  for (const p of paragraphs) weight.set(roundSize(p.size), (weight.get(roundSize(p.size)) ?? 0) + p.chars);
  let body = 0;
  let best = -1;
  for (const [size, chars] of weight) {
    if (chars > best) {
      best = chars;
      body = size;
    }
  }
  const headings = paragraphs.filter(
    (p) =>
      p.lines <= 3 &&
      p.text.split(/\s+/).length <= 20 &&
      /\p{L}/u.test(p.text) &&
      p.size >= body * 1.15 &&
      p.size - body >= 1,
  );
  const sizes = [...new Set(headings.map((p) => roundSize(p.size)))].sort((a, b) => b - a);
  const levels = new Map<Paragraph, number>();
  for (const p of headings) levels.set(p, Math.min(6, sizes.indexOf(roundSize(p.size)) + 1));
  return levels;
}
