import type { ParsedFile, ParseContext, Parser, Section } from '../types.js';
import { IngestError } from '../types.js';
import type { ChunkPosition } from '../../types.js';
import { Yielder } from '../yield.js';
import { pdfAssetDirs } from '../pdf/assets.js';
import { itemsToRuns, type PdfFontStyle, type PdfTextItem } from '../pdf/geometry.js';
import { fragmentsToLines, runsToFragments, type Line } from '../pdf/lines.js';
import { readingOrder } from '../pdf/order.js';
import { headingLevels, linesToParagraphs, type Paragraph } from '../pdf/paragraphs.js';
import { removePageFurniture, type PageLines } from '../pdf/furniture.js';
import { normalizePdfText } from '../pdf/normalize.js';

type PdfJs = typeof import('pdfjs-dist/legacy/build/pdf.mjs');

let pdfjs: Promise<PdfJs> | undefined;

/** pdf.js is large; it is loaded on the first PDF, not when the library is imported. */
function loadPdfJs(): Promise<PdfJs> {
  pdfjs ??= import('pdfjs-dist/legacy/build/pdf.mjs');
  return pdfjs;
}

const ENCRYPTED_MESSAGE = 'The PDF is encrypted (password protected); remove the password and upload it again.';

function errorName(error: unknown): string {
  return error instanceof Error || (typeof error === 'object' && error !== null && 'name' in error)
    ? String((error as { name: unknown }).name)
    : '';
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function toIngestError(error: unknown, where?: string): unknown {
  if (error instanceof IngestError) return error;
  const name = errorName(error);
  if (name === 'AbortError') return error;
  if (name === 'PasswordException') return new IngestError(ENCRYPTED_MESSAGE, { cause: error });
  const detail = where ? `${where}: ${errorMessage(error)}` : errorMessage(error);
  return new IngestError(`The PDF is corrupt or truncated: ${detail}`, { cause: error });
}

/** Lines of one page in reading order. */
function pageLines(items: readonly PdfTextItem[], styles: Record<string, PdfFontStyle>, transform: number[]): Line[] {
  const { runs, rotated } = itemsToRuns(items, styles, transform);
  const lines: Line[] = [];
  for (const block of readingOrder(runsToFragments(runs))) lines.push(...fragmentsToLines(block));
  // Rotated text (margin stamps, sideways labels) is kept after the page's running text.
  for (const box of rotated) lines.push({ ...box, text: box.text.trim(), chars: box.text.length });
  for (const line of lines) line.text = normalizePdfText(line.text);
  return lines.filter((l) => l.text.trim().length > 0);
}

function position(p: Paragraph): ChunkPosition {
  return [p.page, Math.round(p.x0), Math.round(p.x1), Math.round(p.top), Math.round(p.bottom)];
}

async function parsePdf(bytes: Uint8Array, context: ParseContext): Promise<ParsedFile> {
  const signal = context.signal;
  signal?.throwIfAborted();
  const lib = await loadPdfJs();
  const yielder = new Yielder(signal);
  await yielder.now();

  // A copy: pdf.js takes ownership of the buffer, and a Node Buffer is rejected outright.
  const task = lib.getDocument({
    data: new Uint8Array(bytes),
    verbosity: lib.VerbosityLevel.ERRORS,
    isEvalSupported: false,
    disableFontFace: true,
    useSystemFonts: false,
    cMapPacked: true,
    ...pdfAssetDirs(),
  });
  try {
    let doc;
    try {
      doc = await task.promise;
    } catch (error) {
      throw toIngestError(error);
    }
    const pages: PageLines[] = [];
    const total = doc.numPages;
    for (let n = 1; n <= total; n++) {
      await yielder.now();
      try {
        const page = await doc.getPage(n);
        const viewport = page.getViewport({ scale: 1 });
        // Normalisation off: pdf.js would expand ligatures before its right-to-left reversal and so
        // scramble them; normalizePdfText does it afterwards.
        const content = await page.getTextContent({ disableNormalization: true });
        const items = content.items.filter((it): it is PdfTextItem & typeof it => 'str' in it);
        pages.push({ page: n, height: viewport.height, lines: pageLines(items, content.styles, viewport.transform) });
        page.cleanup();
      } catch (error) {
        throw toIngestError(error, `page ${n}`);
      }
      context.onProgress?.(n / total, `Page ${n}/${total}`);
    }
    await yielder.now();

    removePageFurniture(pages);
    const paragraphs = pages.flatMap((p) => linesToParagraphs(p.lines, p.page));
    const levels = headingLevels(paragraphs);
    const sections: Section[] = paragraphs.map((p): Section => {
      const level = levels.get(p);
      const positions = [position(p)];
      return level === undefined ? { kind: 'text', text: p.text, positions } : { kind: 'heading', text: p.text, level, positions };
    });
    return { sections, pageCount: total };
  } finally {
    await task.destroy();
  }
}

export const pdfParser: Parser = {
  type: 'pdf',
  parse: parsePdf,
};
