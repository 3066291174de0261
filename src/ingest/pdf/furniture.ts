import type { Line } from './lines.js';

export interface PageLines {
  page: number;
  height: number;
  lines: Line[];
}

/** Top and bottom bands of the page where running headers, footers and page numbers live. */
const MARGIN_FRACTION = 0.09;

/** "12", "- 12 -", "xii", "Page 3 of 9", "7-45" (chapter-page), "A-3". */
const PAGE_NUMBER =
  /^(?:page\s*)?[-–—(\[]?\s*(?:[a-z]?\d{1,4}(?:[-–.]\d{1,4})?|[ivxlcdm]{1,7})\s*[-–—)\]]?(?:\s*(?:of|\/)\s*\d{1,4})?$/i;

function inMargin(line: Line, height: number): boolean {
  return line.bottom < height * MARGIN_FRACTION || line.top > height * (1 - MARGIN_FRACTION);
}

/** The line with its page number (arabic or roman) blanked, so the same footer matches on every page. */
function furnitureKey(text: string): string {
  return text
    .toLowerCase()
    .replace(/\d+/g, '#')
    .replace(/\b[ivxlcdm]+\b/g, '#')
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * Removes running headers and footers: lines in the page margins whose text (numbers ignored)
 * repeats on several pages, and bare page numbers there. They are page furniture, not
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
  // Odd and even pages often carry different running heads, and chapter openings none at all, so a
  // line seen on three pages (or on 30% of a short document) is enough.
  const minPages = Math.min(3, Math.max(2, Math.ceil(pages.length * 0.3)));
  for (const entry of pages) {
    entry.lines = entry.lines.filter((line) => {
      if (!inMargin(line, entry.height)) return true;
      if (PAGE_NUMBER.test(line.text.trim())) return false;
      return (seenOn.get(furnitureKey(line.text))?.size ?? 0) < minPages;
    });
  }
}
