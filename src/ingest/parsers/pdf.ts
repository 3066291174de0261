import type { OcrSettings, ParsedFile, ParseContext, Parser, Section } from '../types.js';
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
import { OcrUnavailableError, ocrParagraphs, ocrUnavailableReason, recogniseImage } from '../ocr/index.js';

const ENCRYPTED_MESSAGE = 'The PDF is encrypted (password protected); remove the password and upload it again.';

/** pdf.js VerbosityLevel.ERRORS: its warnings about fonts and broken objects are not ours to print. */
const VERBOSITY_ERRORS = 0;

/** Scanned pages are rendered at this resolution for OCR: enough for 8 pt print. */
const SCAN_DPI = 200;

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

/**
 * Text-layer paragraphs and OCR'd scanned pages, merged in page order. Paragraphs are built page by
 * page with yields between them: for a 300-page PDF doing it in one go held the event loop ~150 ms.
 */
async function toSections(pages: PageLines[], scanned: ReadonlyMap<number, Section[]>, yielder: Yielder): Promise<Section[]> {
  removePageFurniture(pages);
  const paragraphs: Paragraph[] = [];
  for (const page of pages) {
    await yielder.tick();
    for (const paragraph of linesToParagraphs(page.lines, page.page)) paragraphs.push(paragraph);
  }
  await yielder.tick();
  const levels = headingLevels(paragraphs);
  const sections: Section[] = [];
  const ocrPages = [...scanned.keys()].sort((a, b) => a - b);
  for (const p of paragraphs) {
    while (ocrPages.length > 0 && (ocrPages[0] ?? 0) < p.page) sections.push(...(scanned.get(ocrPages.shift() ?? 0) ?? []));
    const level = levels.get(p);
    const positions = [position(p)];
    sections.push(level === undefined ? { kind: 'text', text: p.text, positions } : { kind: 'heading', text: p.text, level, positions });
  }
  for (const page of ocrPages) sections.push(...(scanned.get(page) ?? []));
  return sections;
}

async function ocrPage(
  page: number,
  png: Uint8Array,
  pointsPerPixel: number,
  ocr: OcrSettings,
  signal: AbortSignal | undefined,
): Promise<Section[]> {
  const lines = await recogniseImage(png, ocr, signal);
  // Like text-layer paragraphs, the page is in the position (chunkers derive source pages from it).
  return ocrParagraphs(lines, page, pointsPerPixel).map((p) => ({ kind: 'text', text: p.text, positions: [p.position] }));
}

function pageList(pages: readonly number[]): string {
  return pages.length > 10 ? `${pages.slice(0, 10).join(', ')}, ...` : pages.join(', ');
}

/** Scanned pages that could not be OCR'd: a note when other pages have text, an error when none has. */
function unreadScans(skipped: readonly number[], reason: string, anyText: boolean, context: ParseContext): void {
  if (skipped.length === 0) return;
  const why = reason.replace(/\.$/, '');
  if (!anyText) throw new IngestError(`The PDF is scanned (its pages are images without a text layer) and cannot be read: ${why}.`);
  const what = `${skipped.length} scanned page${skipped.length > 1 ? 's' : ''} (${pageList(skipped)})`;
  context.onProgress?.(1, `Skipped ${what} without a text layer: ${why}.`);
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
  const scanned = new Map<number, Section[]>();
  const skipped: number[] = [];
  // OCR trouble (no tesseract.js, no language data, an unreadable page) costs the scanned pages,
  // not the text of the others.
  let skipReason = context.ocr ? '' : `OCR is not available: ${ocrUnavailableReason()}`;
  let ocr = context.ocr;
  let total = 0;
  try {
    const scanOptions = { render: context.ocr !== undefined, dpi: SCAN_DPI };
    for await (const event of extractPdf(bytes, options, moduleUrl, signal, scanOptions)) {
      if (event.type === 'document') {
        total = event.numPages;
        continue;
      }
      const progress = `Page ${event.page}/${total}`;
      if (event.scan && ocr && event.scan.png) {
        context.onProgress?.((event.page - 0.5) / Math.max(total, 1), `${progress}: OCR`);
        try {
          scanned.set(event.page, await ocrPage(event.page, event.scan.png, event.scan.pointsPerPixel, ocr, signal));
        } catch (error) {
          if (!(error instanceof IngestError)) throw error;
          skipped.push(event.page);
          skipReason = error.message;
          if (error instanceof OcrUnavailableError) ocr = undefined;
        }
      } else if (event.scan) {
        skipped.push(event.page);
        if (event.scan.renderError) skipReason = event.scan.renderError;
      } else {
        pages.push({ page: event.page, height: event.height, lines: pageLines(event) });
      }
      context.onProgress?.(event.page / Math.max(total, 1), progress);
      await yielder.tick();
    }
  } catch (error) {
    throw toIngestError(error, signal);
  }
  await yielder.now();
  const anyText = scanned.size > 0 || pages.some((p) => p.lines.length > 0);
  unreadScans(skipped, skipReason, anyText, context);
  return { sections: await toSections(pages, scanned, yielder), pageCount: total };
}

export const pdfParser: Parser = {
  type: 'pdf',
  parse: parsePdf,
};
