import type { ChunkPosition } from '../../types.js';
import { joinLines } from '../pdf/paragraphs.js';
import type { OcrLine } from './engine.js';

export interface OcrParagraph {
  text: string;
  position: ChunkPosition;
}

/** A vertical gap this many line heights wide starts a new paragraph. */
const PARAGRAPH_GAP = 0.9;

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

/**
 * Lines of one Tesseract block split where a blank gap separates them. Tesseract's own paragraph
 * guess is not used: it leans on first-line indents and splits plain block paragraphs mid-way.
 */
function splitAtGaps(lines: readonly OcrLine[]): OcrLine[][] {
  const lineHeight = median(lines.map((l) => l.bottom - l.top));
  const groups: OcrLine[][] = [];
  let previous: OcrLine | undefined;
  for (const line of lines) {
    const current = groups.at(-1);
    if (current && previous && line.top - previous.bottom < PARAGRAPH_GAP * lineHeight) current.push(line);
    else groups.push([line]);
    previous = line;
  }
  return groups;
}

/**
 * Recognised lines to paragraphs with their box on `page`. `scale` turns pixels into the unit
 * positions use (1 for images, points per pixel for rendered PDF pages).
 */
export function ocrParagraphs(lines: readonly OcrLine[], page: number, scale = 1): OcrParagraph[] {
  const blocks = new Map<number, OcrLine[]>();
  for (const line of lines) {
    const block = blocks.get(line.block);
    if (block) block.push(line);
    else blocks.set(line.block, [line]);
  }
  const at = (v: number): number => Math.round(v * scale);
  const paragraphs: OcrParagraph[] = [];
  for (const block of blocks.values()) {
    for (const group of splitAtGaps(block)) {
      const text = group.map((l) => l.text).reduce((joined, next) => joinLines(joined, next));
      const x0 = Math.min(...group.map((l) => l.x0));
      const x1 = Math.max(...group.map((l) => l.x1));
      const top = Math.min(...group.map((l) => l.top));
      const bottom = Math.max(...group.map((l) => l.bottom));
      paragraphs.push({ text, position: [page, at(x0), at(x1), at(top), at(bottom)] });
    }
  }
  return paragraphs;
}
