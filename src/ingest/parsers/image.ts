import type { ParsedFile, ParseContext, Parser, Section } from '../types.js';
import { IngestError } from '../types.js';
import { isTiff, ocrParagraphs, ocrUnavailableReason, recogniseImage, TiffPages } from '../ocr/index.js';

/** Each page of the image as bytes Tesseract reads (a multi-page TIFF is split, others are one page). */
interface ImagePages {
  count: number;
  page(index: number): Promise<Uint8Array>;
  close(): void;
}

function imagePages(bytes: Uint8Array): ImagePages {
  if (isTiff(bytes)) return TiffPages.open(bytes);
  return { count: 1, page: () => Promise.resolve(bytes), close: () => {} };
}

/**
 * Text of a picture by OCR: one text section per paragraph, positioned in pixels. A picture without
 * readable text gives no sections (the document then has no chunks), which is not an error.
 */
async function parseImage(bytes: Uint8Array, context: ParseContext): Promise<ParsedFile> {
  const { signal, ocr } = context;
  signal?.throwIfAborted();
  if (!ocr) throw new IngestError(`Images are read by OCR, and OCR is not available: ${ocrUnavailableReason()}.`);
  const pages = imagePages(bytes);
  const sections: Section[] = [];
  try {
    for (let index = 0; index < pages.count; index++) {
      const page = index + 1;
      const label = pages.count > 1 ? `OCR page ${page}/${pages.count}` : 'OCR';
      context.onProgress?.(index / pages.count, label);
      const lines = await recogniseImage(await pages.page(index), ocr, signal);
      for (const paragraph of ocrParagraphs(lines, page)) {
        sections.push({
          kind: 'text',
          text: paragraph.text,
          positions: [paragraph.position],
          ...(pages.count > 1 && { source: { pages: [page] } }),
        });
      }
    }
  } finally {
    pages.close();
  }
  const found = sections.length === 0 ? 'no text found' : `${sections.length} paragraphs`;
  context.onProgress?.(1, `OCR done: ${found}`);
  return { sections, pageCount: pages.count };
}

export const imageParser: Parser = {
  type: 'image',
  parse: parseImage,
};
