import type { EngineContext } from '../context.js';
import type { EmbeddingModel } from '../embed/types.js';
import type { Dataset, RetrievedChunk } from '../types.js';
import { citationTerms, insertCitations, type CitableChunk, type CitationResult } from './citations.js';

/** Feeds insertCitations from the store: the chunks' stored terms and vectors, the datasets' statistics. */

async function embedAll(model: EmbeddingModel, texts: readonly string[], signal?: AbortSignal): Promise<Float32Array[]> {
  const out: Float32Array[] = [];
  const size = Math.max(1, model.maxBatchSize);
  for (let i = 0; i < texts.length; i += size) {
    const { embeddings } = await model.embed(texts.slice(i, i + size), signal ? { signal } : {});
    out.push(...embeddings);
  }
  return out;
}

export async function citeAnswer(
  ctx: EngineContext,
  dataset: Dataset,
  datasetIds: readonly string[],
  chunks: readonly RetrievedChunk[],
  answer: string,
  vectorSimilarityWeight: number,
  signal?: AbortSignal,
): Promise<CitationResult> {
  // Only the answer's terms are ever looked up in a chunk's terms: the store returns just those.
  const candidates = await ctx.store.getCandidates(
    chunks.map((c) => c.id),
    dataset.embeddingDimension,
    citationTerms(answer),
  );
  const byId = new Map(candidates.map((c) => [c.chunkId, c]));
  // A chunk deleted since retrieval keeps its place (indices must match reference.chunks) but matches nothing.
  const citable: CitableChunk[] = chunks.map((chunk) => {
    const candidate = byId.get(chunk.id);
    return { terms: candidate?.matchedTerms ?? new Set(), vector: candidate?.vector };
  });
  // Without stored vectors the sentences need no embedding: the term half decides alone.
  const vectorsStored = citable.some((c) => c.vector !== undefined);
  return insertCitations({
    answer,
    chunks: citable,
    vectorSimilarityWeight: vectorsStored ? vectorSimilarityWeight : 0,
    embed: (texts) => embedAll(ctx.embeddings.resolve(dataset.embeddingModel), texts, signal),
    statistics: (terms) => ctx.store.termStatistics(terms, datasetIds),
  });
}
