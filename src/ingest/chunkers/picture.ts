import { isAbortError } from '../../errors.js';
import type { ChunkPosition, ChunkSource } from '../../types.js';
import { viewableImage } from '../../llm/vision/viewable.js';
import { fileExtension } from '../detect.js';
import { mergeSources, PositionList, withPagesFromPositions } from '../source.js';
import type { ChunkDraft, Section } from '../types.js';
import { IngestError } from '../types.js';
import type { ChunkContext, Chunker } from './types.js';

/**
 * RAGFlow's "Picture": the OCR text of an image is its chunk. When OCR finds little (a photo, a
 * chart, a diagram), a vision-capable model, if one is configured, adds a description in words so
 * the picture can still be found. One chunk per image, as RAGFlow makes.
 */
export const pictureChunker: Chunker = {
  method: 'picture',
  accepts: ['image'],
  async chunk(parsed, context) {
    const ocr = ocrText(parsed.sections);
    const describe = context.describeImage;
    if (!describe || wordCount(ocr.text) > OCR_WORDS_ENOUGH) {
      return ocr.text === '' ? [] : [draft(ocr.text, ocr)];
    }
    const description = await describeOrKeepOcr(describe, ocr.text, context);
    const content = [ocr.text, description && `Description: ${description}`].filter(Boolean).join('\n');
    return content === '' ? [] : [draft(content, ocr)];
  },
};

/**
 * RAGFlow's threshold: past this, the text already says what the picture is about. RAGFlow's code
 * also stops at 32 characters, which leaves the model out for any labelled chart; words follow the
 * rule as it is described.
 */
export const OCR_WORDS_ENOUGH = 32;

/**
 * Words as a reader counts them. Chinese and Japanese are not written with spaces, so each of their
 * characters counts as one (RAGFlow counts characters for them).
 */
export function wordCount(text: string): number {
  return text.replace(/[\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff]/gu, ' $& ').split(/\s+/).filter(Boolean).length;
}

/**
 * The model's description, or '' when it fails while OCR found text. RAGFlow drops the whole
 * picture when the model fails; keeping the OCR text loses less. The failure is not reported then,
 * since a chunker has no channel for warnings and failing the document would throw the text away.
 * With no text at all there is nothing to keep, so the failure becomes the document's error.
 */
async function describeOrKeepOcr(
  describe: NonNullable<ChunkContext['describeImage']>,
  keptText: string,
  context: ChunkContext,
): Promise<string> {
  try {
    const image = await viewableImage(context.bytes, imageMimeType(context.fileName, context.bytes));
    context.signal?.throwIfAborted();
    return (await describe(image.bytes, image.mimeType, context.signal)).trim();
  } catch (error) {
    if (isAbortError(error) || context.signal?.aborted) throw error;
    if (keptText !== '') return '';
    const reason = error instanceof Error ? error.message : String(error);
    throw new IngestError(`No text was found in the image and the vision model could not describe it: ${reason}`, {
      cause: error,
    });
  }
}

interface OcrResult {
  text: string;
  positions: ChunkPosition[];
  source: ChunkSource;
}

/** The OCR lines in reading order, their boxes and where they came from (pages of a multi-page TIFF). */
function ocrText(sections: readonly Section[]): OcrResult {
  const lines: string[] = [];
  const boxes = new PositionList();
  let source: ChunkSource | undefined;
  for (const section of sections) {
    const text = (section.kind === 'table' ? section.rows.map((row) => row.join(' ')).join('\n') : section.text).trim();
    if (text === '') continue;
    lines.push(text);
    source = source ? mergeSources(source, section.source) : { ...section.source };
    boxes.add(section.positions ?? []);
  }
  const positions = boxes.list;
  // A single picture has no pages worth naming; the pages of a multi-page TIFF are.
  const pages = new Set(positions.map((box) => box[0]));
  const merged = source ?? {};
  return { text: lines.join('\n'), positions, source: pages.size > 1 ? withPagesFromPositions(merged, positions) : merged };
}

function draft(content: string, ocr: OcrResult): ChunkDraft {
  return { content, positions: ocr.positions, source: ocr.source };
}

const MIME_BY_EXTENSION: Readonly<Record<string, string>> = {
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  tif: 'image/tiff',
  tiff: 'image/tiff',
  bmp: 'image/bmp',
  webp: 'image/webp',
};

/** The image's MIME type from its signature; the extension only when the bytes say nothing known. */
export function imageMimeType(fileName: string, bytes: Uint8Array): string {
  const starts = (signature: number[], offset = 0): boolean => signature.every((b, i) => bytes[offset + i] === b);
  if (starts([0x89, 0x50, 0x4e, 0x47])) return 'image/png';
  if (starts([0xff, 0xd8, 0xff])) return 'image/jpeg';
  if (starts([0x49, 0x49, 0x2a, 0x00]) || starts([0x4d, 0x4d, 0x00, 0x2a])) return 'image/tiff';
  if (starts([0x52, 0x49, 0x46, 0x46]) && starts([0x57, 0x45, 0x42, 0x50], 8)) return 'image/webp';
  if (starts([0x42, 0x4d])) return 'image/bmp';
  return MIME_BY_EXTENSION[fileExtension(fileName)] ?? 'application/octet-stream';
}
