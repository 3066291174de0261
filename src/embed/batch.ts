import { ErrorCode, RagFlowError } from '../errors.js';
import { yieldToEventLoop } from '../util/yield.js';
import type { EmbeddingModel } from './types.js';

export interface EmbedTextsOptions {
  signal?: AbortSignal;
  /** Called after each batch with texts embedded so far. */
  onProgress?: (done: number, total: number) => void;
}

export interface EmbedTextsResult {
  embeddings: Float32Array[];
  tokens: number;
}

/**
 * Embeds any number of texts with any model: splits to the provider's batch limit, stays
 * cancellable between batches, and refuses vectors of mixed length, which would corrupt a
 * fixed-width vector index.
 */
export async function embedTexts(
  model: EmbeddingModel,
  texts: readonly string[],
  options: EmbedTextsOptions = {},
): Promise<EmbedTextsResult> {
  const { signal, onProgress } = options;
  signal?.throwIfAborted();
  const batchSize = Math.max(1, Math.floor(model.maxBatchSize));
  const embeddings: Float32Array[] = [];
  let tokens = 0;
  let width = model.dimensions;

  for (let start = 0; start < texts.length; start += batchSize) {
    if (start > 0) await yieldToEventLoop();
    signal?.throwIfAborted();
    const batch = texts.slice(start, start + batchSize);
    const result = await model.embed(batch, signal ? { signal } : {});
    if (result.embeddings.length !== batch.length) {
      throw new RagFlowError(
        ErrorCode.Exception,
        `Embedding model ${model.id} returned ${result.embeddings.length} vectors for ${batch.length} texts`,
      );
    }
    for (const vector of result.embeddings) {
      width ??= vector.length;
      if (vector.length !== width) {
        throw new RagFlowError(
          ErrorCode.Exception,
          `Embedding model ${model.id} returned vectors of different dimensions (${width} and ${vector.length})`,
        );
      }
      embeddings.push(vector);
    }
    tokens += result.tokens;
    onProgress?.(embeddings.length, texts.length);
  }
  return { embeddings, tokens };
}
