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
  /** Font of the first line. */
  font: string;
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

function continues(prev: Line, line: Line, linesSoFar: number): boolean {
  const big = Math.max(prev.size, line.size);
  const small = Math.min(prev.size, line.size);
  if (big - small > 0.2 * big) return false;
  const gap = line.top - prev.bottom;
  // Upwards means a new column or block; a gap of half a line or more means a new paragraph.
  if (gap < -0.5 * small || gap > 0.5 * small) return false;
  // A short line in another font (a bold heading) does not run into the text below it; a full-width
  // first line in bold is just a paragraph that starts with bold words.
  if (linesSoFar === 1 && prev.font !== line.font && prev.x1 < line.x1 - 2 * small) return false;
  return Math.min(prev.x1, line.x1) > Math.max(prev.x0, line.x0);
}

/** Lines of one page, in reading order, to paragraphs. */
export function linesToParagraphs(lines: readonly Line[], page: number): Paragraph[] {
  const paragraphs: Paragraph[] = [];
  let current: Paragraph | undefined;
  let last: Line | undefined;
  for (const line of lines) {
    if (current && last && continues(last, line, current.lines)) {
      current.text = joinLines(current.text, line.text);
      current.x0 = Math.min(current.x0, line.x0);
      current.x1 = Math.max(current.x1, line.x1);
      current.top = Math.min(current.top, line.top);
      current.bottom = Math.max(current.bottom, line.bottom);
      current.size = (current.size * current.chars + line.size * line.chars) / Math.max(1, current.chars + line.chars);
      current.chars += line.chars;
      current.lines++;
    } else {
      current = {
        page,
        text: line.text,
        x0: line.x0,
        x1: line.x1,
        top: line.top,
        bottom: line.bottom,
        size: line.size,
        lines: 1,
        chars: line.chars,
        font: line.font,
      };
      paragraphs.push(current);
    }
    last = line;
  }
  return paragraphs;
}

function roundSize(size: number): number {
  return Math.round(size * 2) / 2;
}

/** The value most characters have. */
function dominant<K>(paragraphs: readonly Paragraph[], key: (p: Paragraph) => K): K | undefined {
  const weight = new Map<K, number>();
  let best: K | undefined;
  let most = -1;
  for (const p of paragraphs) {
    const k = key(p);
    const n = (weight.get(k) ?? 0) + p.chars;
    weight.set(k, n);
    if (n > most) {
      most = n;
      best = k;
    }
  }
  return best;
}

function headingShaped(p: Paragraph): boolean {
  return p.lines <= 3 && p.text.split(/\s+/).length <= 20 && /\p{L}/u.test(p.text);
}

/**
 * A one-line paragraph in a font other than the body font, not ending like a sentence, directly
 * above body text that starts at the same left edge: a heading set in bold or small caps at body size.
 */
function fontHeading(p: Paragraph, next: Paragraph | undefined, bodyFont: string | undefined): boolean {
  if (!next || p.lines !== 1 || p.font === bodyFont || next.font !== bodyFont || next.page !== p.page) return false;
  if (/[.,;:\-]$/.test(p.text) || /^[•·▪‣◦*–-]/.test(p.text) || p.text.split(/\s+/).length > 12) return false;
  const gap = next.top - p.bottom;
  const shorter = next.lines === 1 || p.x1 < next.x1 - 2 * p.size;
  return shorter && gap >= -0.2 * p.size && gap < 2 * p.size && Math.abs(next.x0 - p.x0) < p.size;
}

/**
 * Heading levels. The body is what most characters are set in; a short paragraph in a clearly
 * larger size is a heading (larger sizes get higher levels), and so is a body-size line in another
 * font that introduces body text (one level below the smallest size heading).
 */
export function headingLevels(paragraphs: readonly Paragraph[]): Map<Paragraph, number> {
  const bodySize = dominant(paragraphs, (p) => roundSize(p.size)) ?? 0;
  const bodyFont = dominant(paragraphs, (p) => p.font);
  const bySize = paragraphs.filter((p) => headingShaped(p) && p.size >= bodySize * 1.15 && p.size - bodySize >= 1);
  const sizes = [...new Set(bySize.map((p) => roundSize(p.size)))].sort((a, b) => b - a);
  const levels = new Map<Paragraph, number>();
  for (const p of bySize) levels.set(p, Math.min(6, sizes.indexOf(roundSize(p.size)) + 1));
  paragraphs.forEach((p, i) => {
    if (!levels.has(p) && headingShaped(p) && fontHeading(p, paragraphs[i + 1], bodyFont)) {
      levels.set(p, Math.min(6, sizes.length + 1));
    }
  });
  return levels;
}
