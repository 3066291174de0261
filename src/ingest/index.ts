import type { ParsedFile, ParseContext, Section } from './types.js';
import { IngestError } from './types.js';
import { detectFileType, explainUndetected } from './detect.js';
import { getParser } from './parsers/index.js';
import { tableToText } from './table.js';

export { detectFileType, explainUndetected, SUPPORTED_EXTENSIONS } from './detect.js';
export { chunkNaive, type NaiveChunkConfig } from './chunkers/naive.js';
export { countTokens } from './tokens.js';
export { tableToHtml, splitTableHtml } from './table.js';
export { getParser, PARSERS } from './parsers/index.js';
export * from './types.js';

/**
 * Detects the file type from the name and the bytes and parses the file into sections. Unknown
 * types, and files whose content contradicts their extension, fail with an IngestError whose message
 * is meant for the document's progress message. `fileName` decides the type; a fileName inside
 * `context` is ignored.
 */
export async function parseFile(
  bytes: Uint8Array,
  fileName: string,
  context: Omit<ParseContext, 'fileName'> & { fileName?: string } = {},
): Promise<ParsedFile> {
  const type = detectFileType(fileName, bytes);
  if (type === null) throw new IngestError(explainUndetected(fileName, bytes));
  context.signal?.throwIfAborted();
  const parsed = await getParser(type).parse(bytes, { ...context, fileName });
  context.onProgress?.(1);
  return parsed;
}

function sectionText(section: Section): string {
  return section.kind === 'table' ? tableToText(section) : section.text;
}

/** The plain text of a parsed file in reading order (tables as tab-separated lines). */
export function sectionsToText(parsed: ParsedFile): string {
  return parsed.sections.map(sectionText).join('\n\n');
}
