import type { ChunkPosition } from '../../types.js';
import { joinLines } from '../pdf/paragraphs.js';
import type { OcrLine } from './engine.js';

export interface OcrParagraph {
  text: string;
  position: ChunkPosition;
}

/**
 * Recognised lines to paragraphs (Tesseract's own grouping), with their box on `page`. `scale`
 * turns pixels into the unit positions use (1 for images, 72/dpi for rendered PDF pages).
 */
export function ocrParagraphs(lines: readonly OcrLine[], page: number, scale = 1): OcrParagraph[] {
  const groups = new Map<number, OcrLine[]>();
  for (const line of lines) {
    const group = groups.get(line.paragraph);
    if (group) group.push(line);
    else groups.set(line.paragraph, [line]);
  }
  const paragraphs: OcrParagraph[] = [];
  for (const group of groups.values()) {
    const text = group.map((l) => l.text).reduce((joined, next) => joinLines(joined, next));
    const x0 = Math.min(...group.map((l) => l.x0));
    const x1 = Math.max(...group.map((l) => l.x1));
    const top = Math.min(...group.map((l) => l.top));
    const bottom = Math.max(...group.map((l) => l.bottom));
    const at = (v: number): number => Math.round(v * scale);
    paragraphs.push({ text, position: [page, at(x0), at(x1), at(top), at(bottom)] });
  }
  return paragraphs;
}
