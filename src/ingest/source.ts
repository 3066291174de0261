import type { ChunkPosition, ChunkSource } from '../types.js';

const union = (a: number[] | undefined, b: number[] | undefined): number[] | undefined => {
  if (!a) return b && [...b];
  if (!b) return a;
  return [...new Set([...a, ...b])].sort((x, y) => x - y);
};

/**
 * The provenance of a chunk made of two pieces: pages and slides add up, row ranges widen, and
 * what names one place (sheet, heading path, part) is the first piece's, since a chunk is found
 * where it starts.
 */
export function mergeSources(a: ChunkSource | undefined, b: ChunkSource | undefined): ChunkSource {
  if (!a) return { ...b };
  if (!b) return { ...a };
  const merged: ChunkSource = { ...b, ...a };
  const pages = union(a.pages, b.pages);
  const slides = union(a.slides, b.slides);
  if (pages) merged.pages = pages;
  if (slides) merged.slides = slides;
  if (a.rows && b.rows && a.sheet === b.sheet) {
    merged.rows = [Math.min(a.rows[0], b.rows[0]), Math.max(a.rows[1], b.rows[1])];
  }
  return merged;
}

/** Pages named by PDF boxes, for chunks whose parser gave positions but no explicit pages. */
export function withPagesFromPositions(source: ChunkSource, positions: readonly ChunkPosition[]): ChunkSource {
  if (source.pages || positions.length === 0) return source;
  return { ...source, pages: [...new Set(positions.map((p) => p[0]))].sort((x, y) => x - y) };
}

/** The headings enclosing the current point of a document, by level (1 = outermost). */
export class HeadingTrail {
  private readonly stack: { level: number; text: string }[] = [];

  enter(level: number, text: string): void {
    while (this.stack.length > 0 && (this.stack[this.stack.length - 1]?.level ?? 0) >= level) this.stack.pop();
    this.stack.push({ level, text: text.replace(/\s+/g, ' ').trim() });
  }

  path(): string[] | undefined {
    return this.stack.length > 0 ? this.stack.map((h) => h.text) : undefined;
  }
}

/**
 * The positions of a chunk built from several pieces, in first-seen order, each box once: pieces
 * of one paragraph or one OCR line share a box, and a chunk should name it only once. A set of keys
 * keeps this linear, where scanning the list for every new box grew with the square of its length.
 */
export class PositionList {
  readonly list: ChunkPosition[] = [];
  private readonly seen = new Set<string>();

  /** `initial` is kept as given (a heading's own boxes), and later boxes equal to one of it are skipped. */
  constructor(initial: readonly ChunkPosition[] = []) {
    for (const p of initial) {
      this.list.push(p);
      this.seen.add(p.join());
    }
  }

  /** Appends copies of the boxes not already listed. */
  add(positions: readonly ChunkPosition[]): void {
    for (const p of positions) {
      const key = p.join();
      if (this.seen.has(key)) continue;
      this.seen.add(key);
      this.list.push([...p]);
    }
  }
}
