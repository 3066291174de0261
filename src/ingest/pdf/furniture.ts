import type { Line } from './lines.js';

export interface PageLines {
  page: number;
  height: number;
  lines: Line[];
}

/** Top and bottom bands of the page where running headers, footers and page numbers live. */
const MARGIN_FRACTION = 0.09;

const PAGE_NUMBER = /^(?:page\s*)?[-–—(\[]?\s*(?:\d{1,4}|[ivxlcdm]{1,7})\s*[-–—)\]]?(?:\s*(?:of|\/)\s*\d{1,4})?$/i;

function inMargin(line: Line, height: number): boolean {
  return line.bottom < height * MARGIN_FRACTION || line.top > height * (1 - MARGIN_FRACTION);
}

function furnitureKey(text: string): string {
  return text.toLowerCase().replace(/\d+/g, '#').replace(/\s+/g, ' ').trim();
}

/**
 * Removes running headers and footers: lines in the page margins whose text (numbers ignored)
 * repeats on at least half of the pages, and bare page numbers there. They are page furniture, not
 * content, and would otherwise be glued into the first and last chunk of every page.
 */
export function removePageFurniture(pages: readonly PageLines[]): void {
  const seenOn = new Map<string, Set<number>>();
  for (const { page, height, lines } of pages) {
    for (const line of lines) {
      if (!inMargin(line, height)) continue;
      const key = furnitureKey(line.text);
      let set = seenOn.get(key);
      if (!set) seenOn.set(key, (set = new Set()));
      set.add(page);
    }
  }
  const minPages = Math.max(2, Math.ceil(pages.length / 2));
  for (const entry of pages) {
    entry.lines = entry.lines.filter((line) => {
      if (!inMargin(line, entry.height)) return true;
      if (PAGE_NUMBER.test(line.text.trim())) return false;
      return (seenOn.get(furnitureKey(line.text))?.size ?? 0) < minPages;
    });
  }
}
