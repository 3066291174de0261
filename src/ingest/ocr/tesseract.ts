import { open } from 'node:fs/promises';
import path from 'node:path';
import { RagFlowError } from '../../errors.js';
import { importOptional } from '../../util/optional-import.js';
import { IngestError, type OcrSettings } from '../types.js';

/**
 * The part of tesseract.js 6/7 this module uses, described locally so the published declarations do
 * not depend on an optional package.
 */
export interface TesseractBox {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

export interface TesseractLine {
  text: string;
  confidence: number;
  bbox: TesseractBox;
}

export interface TesseractBlock {
  paragraphs: { lines: TesseractLine[] }[];
}

export interface TesseractWorker {
  recognize(
    image: Uint8Array,
    options: Record<string, never>,
    output: { text: boolean; blocks: boolean },
  ): Promise<{ data: { text: string; blocks: TesseractBlock[] | null } }>;
  setParameters(params: Record<string, string>): Promise<unknown>;
  terminate(): Promise<unknown>;
  /** The Node worker thread; not in tesseract.js's typings, so it may be missing. */
  worker?: { ref?(): void; unref?(): void; on?(event: 'error' | 'exit', listener: (value: unknown) => void): void };
}

interface TesseractModule {
  createWorker(
    langs: string[],
    oem: number,
    options: { langPath: string; gzip: boolean; cacheMethod: string; errorHandler: (error: unknown) => void },
  ): Promise<TesseractWorker>;
}

export const TESSERACT_PACKAGE = 'tesseract.js';

/** OCR cannot run at all here (package, language data or worker missing); no page will fare better. */
export class OcrUnavailableError extends IngestError {}
/** OEM.LSTM_ONLY: the neural recogniser that the standard traineddata files carry. */
const LSTM_ONLY = 1;
/**
 * Tesseract's adaptive (Sauvola) binarisation instead of its default global Otsu threshold: on a
 * grainy scan Otsu turns the paper's noise into specks that bury the text (a readable 150 dpi page
 * read as gibberish in 20 s; with Sauvola, correctly in 0.2 s), and clean pages read the same.
 */
const SAUVOLA = '2';

async function loadTesseract(): Promise<TesseractModule> {
  try {
    const mod = await importOptional<TesseractModule & { default?: TesseractModule }>(TESSERACT_PACKAGE, 'OCR');
    return typeof mod.createWorker === 'function' ? mod : (mod.default as TesseractModule);
  } catch (error) {
    if (error instanceof RagFlowError) throw new OcrUnavailableError(error.message, { cause: error });
    throw error;
  }
}

/** Largest entry count a tessdata file has had (tesseract 5 writes 24). */
const MAX_TESSDATA_ENTRIES = 64;

/**
 * A cheap look at the header of a traineddata file (entry count, then an offset per entry, each -1
 * or inside the file in increasing order). tesseract.js crashes the whole process, past any
 * try/catch, when it is handed a file that is not one, so a bad file must never reach it.
 */
async function looksLikeTraineddata(file: string): Promise<boolean> {
  const handle = await open(file, 'r');
  try {
    const { size } = await handle.stat();
    const head = Buffer.alloc(4 + 8 * MAX_TESSDATA_ENTRIES);
    const { bytesRead } = await handle.read(head, 0, head.length, 0);
    if (bytesRead < 4) return false;
    const entries = head.readInt32LE(0);
    const tableEnd = 4 + 8 * entries;
    if (entries < 1 || entries > MAX_TESSDATA_ENTRIES || bytesRead < tableEnd) return false;
    let previous = tableEnd - 1;
    let present = 0;
    for (let i = 0; i < entries; i++) {
      const offset = Number(head.readBigInt64LE(4 + 8 * i));
      if (offset === -1) continue;
      if (offset <= previous || offset >= size) return false;
      previous = offset;
      present++;
    }
    return present > 0;
  } finally {
    await handle.close();
  }
}

/**
 * Every requested language must be a readable traineddata file in langPath before tesseract.js
 * sees it: a missing one makes it fetch from a CDN, and that failure (like a damaged file) kills
 * the process instead of rejecting.
 */
export async function checkLanguageData(settings: OcrSettings): Promise<void> {
  if (settings.languages.length === 0) throw new OcrUnavailableError('OCR needs at least one language (ocr: { languages }).');
  for (const lang of settings.languages) {
    if (!/^[A-Za-z0-9_-]+$/.test(lang)) throw new OcrUnavailableError(`"${lang}" is not a Tesseract language code.`);
    const file = path.join(settings.langPath, `${lang}.traineddata`);
    let valid: boolean;
    try {
      valid = await looksLikeTraineddata(file);
    } catch {
      throw new OcrUnavailableError(
        `OCR language data ${lang}.traineddata not found in ${settings.langPath}; ` +
          `install Debian's tesseract-ocr-${lang} or pass ocr: { langPath }`,
      );
    }
    if (!valid) throw new OcrUnavailableError(`OCR language data ${file} is damaged or not a Tesseract traineddata file.`);
  }
}

/** A tesseract.js worker for the given languages, reading data only from langPath. */
export async function createTesseractWorker(settings: OcrSettings): Promise<TesseractWorker> {
  await checkLanguageData(settings);
  const tesseract = await loadTesseract();
  try {
    const worker = await tesseract.createWorker(settings.languages, LSTM_ONLY, {
      langPath: settings.langPath,
      // Debian ships the files uncompressed; the cache would write a copy into the current folder.
      gzip: false,
      cacheMethod: 'none',
      // Without a handler tesseract.js rethrows worker errors from an event listener, which no
      // caller can catch; the rejected promise already carries the error.
      errorHandler: () => {},
    });
    await worker.setParameters({ thresholding_method: SAUVOLA });
    return worker;
  } catch (error) {
    throw new OcrUnavailableError(`OCR could not start: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
}
