import type { Run } from './geometry.js';

/**
 * Runs on one baseline with no wide gap between them: a line of one column, or one cell of a table
 * row. Fragments are the units the reading-order analysis moves around.
 */
export interface Fragment {
  runs: Run[];
  text: string;
  x0: number;
  x1: number;
  top: number;
  bottom: number;
  size: number;
  rtl: boolean;
  font: string;
}

/** A finished line of text in reading order. */
export interface Line {
  text: string;
  x0: number;
  x1: number;
  top: number;
  bottom: number;
  size: number;
  /** The font most of the line's characters are set in. */
  font: string;
  /** Characters, to weight font-size statistics. */
  chars: number;
}

interface Boxed {
  top: number;
  bottom: number;
  size: number;
}

function verticalOverlap(a: Boxed, b: Boxed): number {
  return Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
}

/**
 * Groups boxes that sit on the same line. Boxes are visited top-down by their vertical middle; a box
 * joins the current line when it overlaps the line's tallest box by half of the smaller height, which
 * keeps superscripts and subscripts on their line without chaining neighbouring lines together.
 */
export function clusterLines<T extends Boxed>(boxes: readonly T[]): T[][] {
  const sorted = [...boxes].sort((a, b) => a.top + a.bottom - (b.top + b.bottom));
  const lines: T[][] = [];
  let current: T[] = [];
  let anchor: T | undefined;
  for (const box of sorted) {
    if (anchor) {
      const overlap = verticalOverlap(box, anchor);
      const smaller = Math.min(box.bottom - box.top, anchor.bottom - anchor.top);
      if (overlap >= 0.5 * smaller) {
        current.push(box);
        if (box.size > anchor.size) anchor = box;
        continue;
      }
      lines.push(current);
    }
    current = [box];
    anchor = box;
  }
  if (current.length > 0) lines.push(current);
  return lines;
}

function isRtl(runs: readonly { text: string; rtl: boolean }[]): boolean {
  let rtl = 0;
  let ltr = 0;
  for (const r of runs) {
    if (r.rtl) rtl += r.text.length;
    else ltr += r.text.length;
  }
  return rtl > ltr;
}

/** Whether the content stream had a space between two runs that end up side by side. */
function streamSpace(a: Run, b: Run): boolean {
  const [first, second] = a.index < b.index ? [a, b] : [b, a];
  return second.index === first.index + 1 && first.spaceAfter;
}

/**
 * Joins runs in visual order (left to right, or right to left for right-to-left lines). A space goes
 * where the content stream had one, where the gap is wider than a thin space, and around raised or
 * lowered text (footnote marks, exponents) so it does not fuse with the word before it. pdf.js
 * already gives each right-to-left run in logical order.
 */
export function joinRuns(runs: readonly Run[], rtl: boolean): string {
  const ordered = [...runs].sort((a, b) => (rtl ? b.x1 - a.x1 : a.x0 - b.x0));
  let text = '';
  let prev: Run | undefined;
  for (const run of ordered) {
    if (prev) {
      const small = Math.min(prev.size, run.size);
      const gap = rtl ? prev.x0 - run.x1 : run.x0 - prev.x1;
      const shifted = Math.abs(prev.baseline - run.baseline) > 0.2 * small;
      // Right-to-left words never touch left-to-right words; pdf.js drops the space between them.
      const directionChange = prev.rtl !== run.rtl && /\p{L}/u.test(run.text) && /\p{L}/u.test(prev.text);
      if (streamSpace(prev, run) || gap > 0.15 * small || shifted || directionChange) text += ' ';
    }
    text += run.text;
    prev = run;
  }
  return text.replace(/\s+/g, ' ').trim();
}

function bounds<T extends { x0: number; x1: number; top: number; bottom: number; size: number }>(items: readonly T[]) {
  let x0 = Infinity;
  let x1 = -Infinity;
  let top = Infinity;
  let bottom = -Infinity;
  let size = 0;
  for (const it of items) {
    x0 = Math.min(x0, it.x0);
    x1 = Math.max(x1, it.x1);
    top = Math.min(top, it.top);
    bottom = Math.max(bottom, it.bottom);
    size = Math.max(size, it.size);
  }
  return { x0, x1, top, bottom, size };
}

function dominantFont(parts: readonly { font: string; text: string }[]): string {
  const chars = new Map<string, number>();
  let best = '';
  let most = -1;
  for (const p of parts) {
    const n = (chars.get(p.font) ?? 0) + p.text.length;
    chars.set(p.font, n);
    if (n > most) {
      most = n;
      best = p.font;
    }
  }
  return best;
}

function makeFragment(runs: Run[]): Fragment {
  const rtl = isRtl(runs);
  return { runs, text: joinRuns(runs, rtl), rtl, font: dominantFont(runs), ...bounds(runs) };
}

/**
 * Drops text printed over other text on the same baseline: fake bold (the same glyphs drawn twice,
 * slightly shifted) and shadow effects would otherwise interleave into "tthhee". Ordinary text never
 * overlaps its neighbours by most of its width.
 */
export function dropOverprint(line: readonly Run[]): Run[] {
  const byWidth = [...line].sort((a, b) => b.x1 - b.x0 - (a.x1 - a.x0));
  const kept: Run[] = [];
  for (const run of byWidth) {
    const width = run.x1 - run.x0;
    const covered = kept.some(
      (k) =>
        Math.abs(k.baseline - run.baseline) < 0.25 * Math.min(k.size, run.size) &&
        Math.min(k.x1, run.x1) - Math.max(k.x0, run.x0) >= 0.7 * width,
    );
    if (!covered || width <= 0) kept.push(run);
  }
  return kept;
}

/**
 * Runs to fragments: one line cluster is cut wherever the horizontal gap exceeds about an em (word
 * spaces are a quarter to a half em; column gutters and table cell gaps are wider).
 */
export function runsToFragments(runs: readonly Run[]): Fragment[] {
  const fragments: Fragment[] = [];
  for (const line of clusterLines(runs)) {
    const ordered = dropOverprint(line).sort((a, b) => a.x0 - b.x0);
    let current: Run[] = [];
    let right = -Infinity;
    for (const run of ordered) {
      const em = Math.max(run.size, current[0]?.size ?? 0);
      if (current.length > 0 && run.x0 - right > em) {
        fragments.push(makeFragment(current));
        current = [];
      }
      current.push(run);
      right = Math.max(right, run.x1);
    }
    if (current.length > 0) fragments.push(makeFragment(current));
  }
  return fragments.filter((f) => f.text.length > 0);
}

/** Fragments of one reading-order block to lines, each line's fragments in visual order. */
export function fragmentsToLines(fragments: readonly Fragment[]): Line[] {
  return clusterLines(fragments).map((group) => {
    const rtl = isRtl(group);
    const ordered = [...group].sort((a, b) => (rtl ? b.x1 - a.x1 : a.x0 - b.x0));
    const text = ordered.map((f) => f.text).join(' ');
    let chars = 0;
    for (const f of group) chars += f.text.length;
    return { text, chars, font: dominantFont(group), ...bounds(group) };
  });
}
