import mammoth from 'mammoth';
import type { ParsedFile, ParseContext, Parser } from '../types.js';
import { IngestError } from '../types.js';
import { DOCX_OLE_MESSAGE, isOleCompoundFile, isZip } from '../detect.js';
import { htmlToSections } from './html-sections.js';
import { numberHeadings } from '../docx/heading-numbers.js';
import { prepareDocx } from '../docx/prepare.js';

// Images are not indexed; without this mammoth inlines every picture as a base64 data URI.
const skipImages = mammoth.images.imgElement(async () => ({ src: '' }));

async function parseDocx(bytes: Uint8Array, context: ParseContext): Promise<ParsedFile> {
  if (isOleCompoundFile(bytes)) throw new IngestError(DOCX_OLE_MESSAGE);
  if (!isZip(bytes)) {
    throw new IngestError('The DOCX file is corrupt or not a Word document (it is not a ZIP package).');
  }
  context.signal?.throwIfAborted();
  // Never throws but for an abort: a package it cannot read is handed to mammoth as it is.
  const prepared = await prepareDocx(bytes, context.signal);
  let html: string;
  try {
    const buffer = Buffer.from(prepared.bytes.buffer, prepared.bytes.byteOffset, prepared.bytes.byteLength);
    const result = await mammoth.convertToHtml(
      { buffer },
      { convertImage: skipImages, transformDocument: numberHeadings(prepared.styleNumbers) },
    );
    html = result.value;
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    throw new IngestError(`The DOCX file is corrupt or truncated: ${detail}`, { cause: error });
  }
  context.signal?.throwIfAborted();
  // A Word body is all content: no main-content heuristics, unlike web pages.
  const sections = await htmlToSections(html, context.signal ? { mainContent: false, signal: context.signal } : { mainContent: false });
  context.onProgress?.(1);
  return { sections };
}

export const docxParser: Parser = {
  type: 'docx',
  parse: parseDocx,
};
