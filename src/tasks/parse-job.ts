import type { EngineContext } from '../context.js';
import { isAbortError } from '../errors.js';
import { detectFileType, explainUndetected, getParser } from '../ingest/index.js';
import { chunkerFor } from '../ingest/chunkers/index.js';
import { IngestError } from '../ingest/types.js';
import type { Document } from '../types.js';
import { buildChunkRecords } from '../services/chunk-records.js';

/** Why a running job was aborted: a user stop ends it as CANCEL, a shutdown leaves it to be resumed. */
export type AbortReason = 'stop' | 'shutdown';

export interface JobReporter {
  /** Moves progress and, when given, appends a line to progress_msg. */
  step(progress: number, line?: string): Promise<void>;
  /** progress_msg as written so far. */
  readonly log: string;
}

/**
 * One document's parse: read the stored file, extract sections, chunk, embed, and swap the chunks
 * (atomically as readers see it). Until the swap's switch nothing visible changes, so a stop, a
 * failure or a crash leaves the document's previous chunks in place.
 */
export async function runParseJob(
  ctx: EngineContext,
  document: Document,
  signal: AbortSignal,
  report: JobReporter,
): Promise<{ chunks: number; tokens: number; finalLine: string }> {
  const started = ctx.now();
  const dataset = await ctx.store.getDataset(document.tenantId, document.datasetId);
  if (!dataset) throw new Error('The dataset of this document no longer exists.');
  const bytes = await ctx.store.readDocumentFile(document.id);
  if (!bytes) throw new Error('The stored file of this document is missing.');
  if (bytes.byteLength > ctx.maxUploadBytes) {
    throw new Error(`File size exceeds( <= ${Math.round(ctx.maxUploadBytes / 1024 / 1024)}Mb )`);
  }

  await report.step(0.05, 'Start to parse.');
  const config = document.parserConfig ?? dataset.parserConfig;
  const fileType = detectFileType(document.name, bytes);
  if (fileType === null) throw new IngestError(explainUndetected(document.name, bytes));
  // Before the (possibly long) parse: a method that cannot read this type fails at once.
  const chunker = chunkerFor(document.chunkMethod, fileType);
  const parsed = await getParser(fileType).parse(bytes, {
    fileName: document.name,
    chunkTokenNum: config.chunkTokenNum,
    signal,
    ...(ctx.ocr && { ocr: ctx.ocr }),
    onProgress: (fraction, message) => void report.step(0.05 + 0.35 * fraction, message),
  });
  signal.throwIfAborted();
  await report.step(0.4, 'Finish parsing.');

  const drafts = await chunker.chunk(parsed, {
    fileType,
    fileName: document.name,
    chunkTokenNum: config.chunkTokenNum,
    delimiter: config.delimiter,
    signal,
    bytes,
    ...(ctx.describeImage && { describeImage: ctx.describeImage }),
  });
  await report.step(0.5, `Finished slicing files(${drafts.length}). Start to embedding the content.`);

  const embedStart = ctx.now();
  const { records, tokens } = await buildChunkRecords(ctx, dataset, document, drafts, {
    signal,
    onProgress: (done, total) => void report.step(0.5 + 0.4 * (done / Math.max(total, 1))),
  });
  const embedSeconds = ((ctx.now() - embedStart) / 1000).toFixed(2);
  await report.step(0.9, `Finished embedding(${embedSeconds})! Start to build index!`);

  signal.throwIfAborted();
  const finalLine = records.length > 0 ? 'Done!' : 'No chunk! Done!';
  await ctx.store.replaceDocumentChunks(document.id, records, {
    run: 'DONE',
    progress: 1,
    progressMsg: `${report.log}\n${finalLine}`,
    processDuration: (ctx.now() - started) / 1000,
    tokenCount: tokens,
    updateTime: ctx.now(),
  }, { signal });
  return { chunks: records.length, tokens, finalLine };
}

export function describeFailure(error: unknown): string {
  if (isAbortError(error)) return 'Parsing was aborted.';
  if (error instanceof Error) return error.message;
  return String(error);
}
