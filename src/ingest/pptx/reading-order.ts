/** A shape's top-left corner on the slide, in EMU (914400 per inch). */
export interface Offset {
  x: number;
  y: number;
}

/**
 * Tops closer than this (1/8 inch) count as one row, so boxes that were aligned by eye read left
 * to right instead of by a few EMU of difference.
 */
const ROW_TOLERANCE_EMU = 114_300;

/**
 * Items in reading order: top to bottom in rows, each row left to right. When some item has no known
 * position the stored order (the slide's z-order, which follows how the slide was built) is kept for
 * all, as a partial sort would interleave guesses with facts.
 */
export function inReadingOrder<T extends { offset?: Offset | undefined }>(items: readonly T[]): T[] {
  if (items.some((item) => !item.offset)) return [...items];
  const byTop = [...items].sort((a, b) => (a.offset?.y ?? 0) - (b.offset?.y ?? 0));
  const ordered: T[] = [];
  let row: T[] = [];
  let rowTop = 0;
  const flush = (): void => {
    ordered.push(...row.sort((a, b) => (a.offset?.x ?? 0) - (b.offset?.x ?? 0)));
    row = [];
  };
  for (const item of byTop) {
    const top = item.offset?.y ?? 0;
    if (row.length > 0 && top - rowTop > ROW_TOLERANCE_EMU) flush();
    if (row.length === 0) rowTop = top;
    row.push(item);
  }
  flush();
  return ordered;
}
