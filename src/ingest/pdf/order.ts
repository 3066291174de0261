import type { Fragment } from './lines.js';

/**
 * Reading order by recursive XY-cut: a block is split at a vertical gutter (columns) when one runs
 * through the whole block, otherwise at its widest horizontal gap; blocks that cannot be split are
 * leaves, read top to bottom. Column cuts come first so two columns are never read line by line.
 */

interface CutContext {
  /** A gutter narrower than this is a word or cell gap, not a column gap. */
  minGutter: number;
}

function median(values: number[]): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

/**
 * A side of a column cut must look like running text: its fragments are mostly long lines (many ems
 * wide). Table columns and figure labels are narrow, so tables are not read column by column.
 */
function textLike(fragments: readonly Fragment[]): boolean {
  return median(fragments.map((f) => (f.x1 - f.x0) / Math.max(f.size, 1))) >= 10;
}

/** Gaps in the projection of [start, end) intervals, as [gapStart, gapEnd]. */
function projectionGaps(intervals: Array<[number, number]>): Array<[number, number]> {
  intervals.sort((a, b) => a[0] - b[0]);
  const gaps: Array<[number, number]> = [];
  let reach = -Infinity;
  for (const [start, end] of intervals) {
    if (reach !== -Infinity && start > reach) gaps.push([reach, start]);
    reach = Math.max(reach, end);
  }
  return gaps;
}

function columnCut(fragments: readonly Fragment[], ctx: CutContext): [Fragment[], Fragment[]] | null {
  const gaps = projectionGaps(fragments.map((f): [number, number] => [f.x0, f.x1]))
    .filter(([a, b]) => b - a >= ctx.minGutter)
    .sort((g, h) => h[1] - h[0] - (g[1] - g[0]));
  for (const [a, b] of gaps) {
    const cut = (a + b) / 2;
    const left = fragments.filter((f) => f.x1 <= cut);
    const right = fragments.filter((f) => f.x0 >= cut);
    if (textLike(left) && textLike(right)) return [left, right];
  }
  return null;
}

function rowCuts(fragments: readonly Fragment[]): Fragment[][] | null {
  const gaps = projectionGaps(fragments.map((f): [number, number] => [f.top, f.bottom]));
  if (gaps.length === 0) return null;
  const widest = Math.max(...gaps.map(([a, b]) => b - a));
  // Cutting at every gap about as wide as the widest keeps the recursion shallow on long columns.
  const cuts = gaps.filter(([a, b]) => b - a >= widest * 0.9).map(([a, b]) => (a + b) / 2);
  const bands: Fragment[][] = cuts.map(() => []);
  bands.push([]);
  for (const f of fragments) {
    let i = 0;
    while (i < cuts.length && f.top >= (cuts[i] ?? Infinity)) i++;
    bands[i]?.push(f);
  }
  return bands.filter((b) => b.length > 0);
}

function cut(fragments: Fragment[], ctx: CutContext, out: Fragment[][], depth: number): void {
  if (fragments.length <= 1 || depth > 64) {
    if (fragments.length > 0) out.push(fragments);
    return;
  }
  const columns = columnCut(fragments, ctx);
  if (columns) {
    const rtl = fragments.filter((f) => f.rtl).length > fragments.length / 2;
    const [first, second] = rtl ? [columns[1], columns[0]] : columns;
    cut(first, ctx, out, depth + 1);
    cut(second, ctx, out, depth + 1);
    return;
  }
  const bands = rowCuts(fragments);
  if (bands && bands.length > 1) {
    for (const band of bands) cut(band, ctx, out, depth + 1);
    return;
  }
  out.push(fragments);
}

/** Fragments grouped into blocks, the blocks in reading order. */
export function readingOrder(fragments: readonly Fragment[]): Fragment[][] {
  const sizes = fragments.map((f) => f.size);
  const ctx: CutContext = { minGutter: Math.max(4, median(sizes)) };
  const out: Fragment[][] = [];
  cut([...fragments], ctx, out, 0);
  return out;
}
