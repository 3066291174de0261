import type { ParsedFile, ParseContext, Parser, Section } from '../types.js';
import { IngestError } from '../types.js';
import type { ChunkPosition } from '../../types.js';
import { Yielder } from '../../util/yield.js';
import { pdfAssetDirs } from '../pdf/assets.js';
import { extractPdf } from '../pdf/extract.js';
import { PdfJsError, type PdfLoadOptions, type PdfPageContent } from '../pdf/extract-types.js';
import { itemsToRuns } from '../pdf/geometry.js';
import { fragmentsToLines, runsToFragments, type Line } from '../pdf/lines.js';
import { readingOrder } from '../pdf/order.js';
import { headingLevels, linesToParagraphs, type Paragraph } from '../pdf/paragraphs.js';
import { removePageFurniture, type PageLines } from '../pdf/furniture.js';
import { normalizePdfText } from '../pdf/normalize.js';

const ENCRYPTED_MESSAGE = 'The PDF is encrypted (password protected); remove the password and upload it again.';

/** pdf.js VerbosityLevel.ERRORS: its warnings about fonts and broken objects are not ours to print. */
const VERBOSITY_ERRORS = 0;

function toIngestError(error: unknown, signal?: AbortSignal): unknown {
  if (signal?.aborted || error instanceof IngestError) return error;
  if (error instanceof PdfJsError) {
    if (error.name === 'PasswordException') return new IngestError(ENCRYPTED_MESSAGE, { cause: error });
    const where = error.page ? `page ${error.page}: ` : '';
    return new IngestError(`The PDF is corrupt or truncated: ${where}${error.message}`, { cause: error });
  }
  const detail = error instanceof Error ? error.message : String(error);
  return new IngestError(`The PDF could not be read: ${detail}`, { cause: error });
}

/** Lines of one page in reading order. */
function pageLines(content: PdfPageContent): Line[] {
  const { runs, rotated } = itemsToRuns(content.items, content.styles, content.transform);
  const lines: Line[] = [];
  for (const block of readingOrder(runsToFragments(runs))) lines.push(...fragmentsToLines(block));
  // Rotated text (margin stamps, sideways labels) is kept after the page's running text.
  for (const box of rotated) lines.push({ ...box, text: box.text.trim(), chars: box.text.length });
  for (const line of lines) line.text = normalizePdfText(line.text);
  return lines.filter((l) => l.text.length > 0);
}

function position(p: Paragraph): ChunkPosition {
  return [p.page, Math.round(p.x0), Math.round(p.x1), Math.round(p.top), Math.round(p.bottom)];
}

function toSections(pages: PageLines[]): Section[] {
  removePageFurniture(pages);
  const paragraphs = pages.flatMap((p) => linesToParagraphs(p.lines, p.page));
  const levels = headingLevels(paragraphs);
  return paragraphs.map((p): Section => {
    const level = levels.get(p);
    const positions = [position(p)];
    return level === undefined ? { kind: 'text', text: p.text, positions } : { kind: 'heading', text: p.text, level, positions };
  });
}

async function parsePdf(bytes: Uint8Array, context: ParseContext): Promise<ParsedFile> {
  const { signal } = context;
  signal?.throwIfAborted();
  const { moduleUrl, ...assets } = pdfAssetDirs();
  const options: PdfLoadOptions = {
    verbosity: VERBOSITY_ERRORS,
    isEvalSupported: false,
    disableFontFace: true,
    useSystemFonts: false,
    cMapPacked: true,
    ...assets,
  };
  const yielder = new Yielder(signal);
  const pages: PageLines[] = [];
  let total = 0;
  try {
    for await (const event of extractPdf(bytes, options, moduleUrl, signal)) {
      if (event.type === 'document') {
        total = event.numPages;
        continue;
      }
      pages.push({ page: event.page, height: event.height, lines: pageLines(event) });
      context.onProgress?.(event.page / Math.max(total, 1), `Page ${event.page}/${total}`);
      await yielder.tick();
    }
  } catch (error) {
    throw toIngestError(error, signal);
  }
  await yielder.now();
  return { sections: toSections(pages), pageCount: total };
}

export const pdfParser: Parser = {
  type: 'pdf',
  parse: parsePdf,
};
