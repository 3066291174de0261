import type { EngineContext } from '../context.js';
import { embedTexts } from '../embed/batch.js';
import { RagFlowError, ErrorCode } from '../errors.js';
import { chunkId } from '../ids.js';
import { indexText } from '../retrieval/analyzer.js';
import { loadEnglishStatistics } from '../retrieval/term-similarity.js';
import { htmlToText, looksLikeHtml } from '../util/html-text.js';
import { Yielder } from '../util/yield.js';
import type { ChunkRecord } from '../store/types.js';
import type { Chunk, ChunkFieldValue, ChunkPosition, ChunkSource, Dataset, Document } from '../types.js';
import { withPagesFromPositions } from '../ingest/source.js';

export interface ChunkInput {
  content: string;
  positions?: ChunkPosition[];
  importantKeywords?: string[];
  source?: ChunkSource;
  fields?: Record<string, ChunkFieldValue>;
  /** Indexed and embedded instead of the content (a Q&A chunk: its question only). */
  searchText?: string;
}

const searchableText = (input: ChunkInput): string => input.searchText ?? plainText(input.content);

/**
 * Tables are stored as HTML (as RAGFlow does): their tags are not words, and their escaped cell text
 * ("a &amp; b") must be indexed and embedded as the text it stands for.
 */
export const plainText = (content: string): string => (looksLikeHtml(content) ? htmlToText(content) : content);

export const titleOf = (fileName: string): string => {
  const dot = fileName.lastIndexOf('.');
  return dot > 0 ? fileName.slice(0, dot) : fileName;
};

/**
 * Turns chunk texts into stored records: ids, analysed terms and vectors, where
 * vector = w·E(file name) + (1 − w)·E(content) with w = parser_config.filename_embd_weight (0.1).
 */
export async function buildChunkRecords(
  ctx: EngineContext,
  dataset: Dataset,
  document: Document,
  inputs: readonly ChunkInput[],
  options: { signal?: AbortSignal; onProgress?: (done: number, total: number) => void } = {},
): Promise<{ records: ChunkRecord[]; tokens: number }> {
  const yielder = new Yielder(options.signal);
  const unique = new Map<string, ChunkInput>();
  for (const input of inputs) {
    // An MD5 per chunk: ~100 ms for the 50,000 rows of a large sheet without the ticks.
    await yielder.tick();
    if (input.content.trim().length === 0) continue;
    unique.set(chunkId(input.content, document.id), input);
  }
  if (unique.size === 0) return { records: [], tokens: 0 };
  await loadEnglishStatistics();

  const model = ctx.embeddings.resolve(dataset.embeddingModel);
  // Table chunks go through an HTML parser: thousands of them (a 50k-row sheet) take seconds.
  const texts = [document.name];
  for (const input of unique.values()) {
    texts.push(searchableText(input));
    await yielder.tick();
  }
  const { embeddings, tokens } = await embedTexts(model, texts, {
    ...(options.signal && { signal: options.signal }),
    ...(options.onProgress && { onProgress: options.onProgress }),
  });
  const [titleVector, ...contentVectors] = embeddings;
  if (!titleVector) throw new RagFlowError(ErrorCode.Exception, `${model.id} returned no vectors`);
  await recordDimension(ctx, dataset, titleVector.length);

  const weight = (document.parserConfig ?? dataset.parserConfig).filenameEmbdWeight;
  const titleTerms = indexText(titleOf(document.name));
  const now = ctx.now();
  const records: ChunkRecord[] = [];
  let i = 0;
  for (const [id, input] of unique) {
    await yielder.tick();
    const content = contentVectors[i++] as Float32Array;
    const vector = new Float32Array(content.length);
    for (let d = 0; d < content.length; d++) vector[d] = weight * (titleVector[d] ?? 0) + (1 - weight) * (content[d] ?? 0);
    const keywords = input.importantKeywords ?? [];
    const chunk: Chunk = {
      id,
      datasetId: dataset.id,
      documentId: document.id,
      documentName: document.name,
      content: input.content,
      importantKeywords: keywords,
      available: true,
      positions: input.positions ?? [],
      source: withPagesFromPositions(input.source ?? {}, input.positions ?? []),
      fields: input.fields ?? {},
      imageId: '',
      createTime: now,
    };
    records.push({
      chunk,
      contentTerms: indexText(searchableText(input)),
      keywordTerms: indexText(keywords.join(' ')),
      titleTerms,
      vector,
    });
  }
  return { records, tokens };
}

/** A dataset's vectors all share one size: the first stored vector fixes it, a different one is refused. */
async function recordDimension(ctx: EngineContext, dataset: Dataset, dimension: number): Promise<void> {
  if (dataset.embeddingDimension === dimension) return;
  if (dataset.embeddingDimension !== 0) {
    throw new RagFlowError(
      ErrorCode.Data,
      `Embedding model ${dataset.embeddingModel} returned ${dimension}-dimensional vectors, but dataset ` +
        `"${dataset.name}" holds ${dataset.embeddingDimension}-dimensional ones; mixing models is refused.`,
    );
  }
  await ctx.store.updateDataset(dataset.tenantId, dataset.id, { embeddingDimension: dimension });
  dataset.embeddingDimension = dimension;
}
