import type { EngineContext } from '../context.js';
import { argumentError, dataError, notFound } from '../errors.js';
import type { DatasetService } from '../services/datasets.js';
import type { Dataset, DocAgg, RetrievalResult, RetrievedChunk } from '../types.js';
import { optionalBoolean, optionalNumber, pageArgs, stringList } from '../validation.js';
import { yieldToEventLoop } from '../util/yield.js';
import { queryTerms } from './analyzer.js';
import { highlight as highlightContent } from './highlight.js';
import { bm25Reference, cosine, loadEnglishStatistics, queryPairs, termScorer, termWeights } from './term-similarity.js';

export interface RetrieveInput {
  datasetIds: string[];
  question: string;
  documentIds?: string[];
  page?: number;
  pageSize?: number;
  /** Chunks scoring below this are dropped (default: the first dataset's, RAGFlow's 0.2). */
  similarityThreshold?: number;
  /** w in (1 − w)·term + w·vector (default: the first dataset's, RAGFlow's 0.3). */
  vectorSimilarityWeight?: number;
  /** How many candidates each leg (keyword, vector) may contribute at most (default: 1024). */
  topK?: number;
  /** Wrap matched words of each returned chunk in <em> (field `highlight`). */
  highlight?: boolean;
  /** Asks a chat model for extra keywords; needs a chat model (not available yet). */
  keyword?: boolean;
  rerankId?: string;
  signal?: AbortSignal;
}

interface Scored {
  chunkId: string;
  documentId: string;
  documentName: string;
  similarity: number;
  vectorSimilarity: number;
  termSimilarity: number;
  textRank: number;
}

/** RAGFlow's doc_aggs: passing chunks per document, most first. */
function documentCounts(scored: readonly Scored[]): DocAgg[] {
  const aggs = new Map<string, DocAgg>();
  for (const s of scored) {
    const agg = aggs.get(s.documentId) ?? { docName: s.documentName, docId: s.documentId, count: 0 };
    agg.count++;
    aggs.set(s.documentId, agg);
  }
  return [...aggs.values()].sort((a, b) => b.count - a.count);
}

// Candidates per leg: deep pages need a deeper pool, and RAGFlow re-ranks at least 128.
const windowSize = (page: number, pageSize: number, topK: number): number =>
  Math.min(topK, Math.max(128, 3 * page * pageSize));

export class Retriever {
  constructor(
    private readonly ctx: EngineContext,
    private readonly datasets: DatasetService,
  ) {}

  async retrieve(tenantId: string, input: RetrieveInput): Promise<RetrievalResult> {
    if (typeof input !== 'object' || input === null) throw argumentError('retrieval input must be an object');
    const { datasets, documentIds } = await this.resolveScope(tenantId, input);
    if (typeof input.question !== 'string') throw argumentError('`question` is required');
    const { page, pageSize } = pageArgs(input, { pageSize: 30, maxPageSize: 1024 });
    const first = datasets[0] as Dataset;
    const threshold = optionalNumber('similarity_threshold', input.similarityThreshold, first.similarityThreshold, {
      min: 0,
      max: 1,
    });
    const weight = optionalNumber('vector_similarity_weight', input.vectorSimilarityWeight, first.vectorSimilarityWeight, {
      min: 0,
      max: 1,
    });
    const topK = optionalNumber('top_k', input.topK, 1024, { integer: true, min: 1 });
    const wantHighlight = optionalBoolean('highlight', input.highlight, false);
    if (optionalBoolean('keyword', input.keyword, false)) {
      throw dataError('`keyword` extraction needs a chat model, and none is configured for retrieval yet');
    }
    if (input.rerankId) throw dataError(`Rerank model "${input.rerankId}" is not supported yet`);

    if (input.question.trim() === '') return { chunks: [], docAggs: [], total: 0 };
    const terms = queryTerms(input.question);
    const datasetIds = datasets.map((d) => d.id);

    // With no vector weight the question is not embedded at all: no model load, no network call.
    const queryVector = weight > 0 ? await this.embedQuestion(first, input.question, input.signal) : undefined;
    const limit = windowSize(page, pageSize, topK);
    const scope = { datasetIds, ...(documentIds.length > 0 && { documentIds }) };
    // Each leg is one synchronous query on SQLite: yielding between them bounds how long a
    // retrieval holds the event loop at a time.
    const textHits = await this.ctx.store.searchText({ ...scope, terms, limit });
    await yieldToEventLoop();
    // The question's adjacent word pairs, matched as phrases: their BM25 rewards word order.
    const pairs = terms.length > 1 ? queryPairs(input.question) : [];
    const pairHits = pairs.length > 0 ? await this.ctx.store.searchText({ ...scope, terms: pairs, limit }) : [];
    if (pairs.length > 0) await yieldToEventLoop();
    const vectorHits = queryVector ? await this.ctx.store.searchVector({ ...scope, vector: queryVector, limit }) : [];
    if (queryVector) await yieldToEventLoop();
    const textRank = new Map(textHits.map((hit, i) => [hit.chunkId, i]));
    const ids = [...new Set([...textHits.map((h) => h.chunkId), ...vectorHits.map((h) => h.chunkId)])];
    const candidates = await this.ctx.store.getCandidates(ids, queryVector?.length ?? first.embeddingDimension, terms);
    await loadEnglishStatistics();
    const statistics = await this.ctx.store.termStatistics(terms, datasetIds);
    const termScore = termScorer(
      {
        weights: termWeights(terms, statistics),
        reference: bm25Reference(terms, statistics),
        bm25: new Map(textHits.map((h) => [h.chunkId, h.score])),
        pairs: new Map(pairHits.map((h) => [h.chunkId, h.score])),
      },
      candidates.map((c) => c.chunkId),
    );

    const scored: Scored[] = [];
    for (const candidate of candidates) {
      const termSim = terms.length > 0 ? termScore(candidate.chunkId, candidate.matchedTerms) : 0;
      // Scores stay in [0, 1]: a negative cosine (possible with signed hashing) counts as no similarity.
      const vectorSim = queryVector && candidate.vector ? Math.max(0, cosine(queryVector, candidate.vector)) : 0;
      const similarity = (1 - weight) * termSim + weight * vectorSim;
      if (similarity < threshold) continue;
      scored.push({
        chunkId: candidate.chunkId,
        documentId: candidate.documentId,
        documentName: candidate.documentName,
        similarity,
        vectorSimilarity: vectorSim,
        termSimilarity: termSim,
        textRank: textRank.get(candidate.chunkId) ?? Number.MAX_SAFE_INTEGER,
      });
    }
    // Ties (rare now that BM25 is part of term similarity) fall back to the BM25 order.
    scored.sort(
      (a, b) => b.similarity - a.similarity || a.textRank - b.textRank || (a.chunkId < b.chunkId ? -1 : 1),
    );

    // Only the returned page's chunk records are read; the rest is counted in docAggs and total.
    const termSet = new Set(terms);
    const pageScores = scored.slice((page - 1) * pageSize, page * pageSize);
    const records = new Map((await this.ctx.store.getChunksByIds(pageScores.map((s) => s.chunkId))).map((c) => [c.id, c]));
    const chunks: RetrievedChunk[] = [];
    for (const s of pageScores) {
      const record = records.get(s.chunkId);
      // Only a chunk deleted by a write between the two reads is missing: it is no longer there to return.
      if (!record) continue;
      const chunk: RetrievedChunk = {
        ...record,
        similarity: s.similarity,
        vectorSimilarity: s.vectorSimilarity,
        termSimilarity: s.termSimilarity,
      };
      chunks.push(wantHighlight ? { ...chunk, highlight: highlightContent(chunk.content, termSet) } : chunk);
    }
    return { chunks, docAggs: documentCounts(scored), total: scored.length };
  }

  /** The datasets (which must share one embedding model) and the documents to search, all the tenant's. */
  private async resolveScope(
    tenantId: string,
    input: RetrieveInput,
  ): Promise<{ datasets: Dataset[]; documentIds: string[] }> {
    const datasets: Dataset[] = [];
    for (const id of stringList('dataset_ids', input.datasetIds)) datasets.push(await this.datasets.get(tenantId, id));
    const models = new Set(datasets.map((d) => d.embeddingModel));
    if (models.size > 1) throw dataError(`Datasets use different embedding models: ${[...models].join(', ')}`);
    const documentIds =
      input.documentIds === undefined ? [] : stringList('document_ids', input.documentIds, { allowEmpty: true });
    for (const id of documentIds) {
      let found = false;
      // A document belongs to one dataset: the rest need not be asked once it is found.
      for (const dataset of datasets) {
        if (await this.ctx.store.getDocument(tenantId, dataset.id, id)) {
          found = true;
          break;
        }
      }
      if (!found) throw notFound('Document', id);
    }
    return { datasets, documentIds };
  }

  private async embedQuestion(dataset: Dataset, question: string, signal?: AbortSignal): Promise<Float32Array | undefined> {
    const model = this.ctx.embeddings.resolve(dataset.embeddingModel);
    const { embeddings } = await model.embed([question], signal ? { signal } : {});
    return embeddings[0];
  }
}
