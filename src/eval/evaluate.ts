import type { RetrieveInput } from '../retrieval/retriever.js';
import type { ListDocumentsQuery } from '../services/documents.js';
import type { Document, Page, RetrievalResult, RetrievedChunk } from '../types.js';
import { DocumentKeys, type DocumentRef } from './document-keys.js';
import { checkEvaluateInput, type EvaluateInput } from './input.js';
import { scoreRuns, type MeanMetrics, type RankedDoc } from './metrics.js';

/** The parts of the facade an evaluation uses: it never touches the store. */
export interface EvaluationDeps {
  retrieve(input: RetrieveInput): Promise<RetrievalResult>;
  listDocuments(datasetId: string, query: ListDocumentsQuery): Promise<Page<Document>>;
}

export interface QueryEvaluation {
  id: string;
  ndcg10: number;
  recallK: number;
  mrr10: number;
  /** Judged relevant documents; 0 leaves the query out of the means. */
  relevant: number;
  /** Documents ranked (at most k). */
  retrieved: number;
}

export interface EvaluationResult {
  /** Over the queries with at least one relevant judgment (`queries` says how many). */
  mean: MeanMetrics;
  perQuery: QueryEvaluation[];
  k: number;
  /** Relevant qrels keys that match no document by id, name or name without extension. */
  unmatched: string[];
}

/** The largest page retrieve() accepts. */
const MAX_PAGE_SIZE = 1024;
/** Enough for any k: the retriever's candidate pool is bounded, so deeper pages come back empty. */
const MAX_PAGES = 64;

async function allDocuments(deps: EvaluationDeps, datasetIds: readonly string[]): Promise<DocumentRef[]> {
  const refs: DocumentRef[] = [];
  for (const datasetId of datasetIds) {
    for (let page = 1; ; page++) {
      const { items, total } = await deps.listDocuments(datasetId, { page, pageSize: MAX_PAGE_SIZE });
      for (const { id, name } of items) refs.push({ id, name });
      if (items.length < MAX_PAGE_SIZE || page * MAX_PAGE_SIZE >= total) break;
    }
  }
  return refs;
}

/**
 * Documents for one question, each scored by its best chunk (max-P): pages of chunks are read
 * until k documents other than the query itself are found or the results run out.
 */
async function rankDocuments(
  deps: EvaluationDeps,
  keys: DocumentKeys,
  base: Omit<RetrieveInput, 'question' | 'page'>,
  query: { id: string; question: string },
  k: number,
): Promise<RankedDoc[]> {
  const best = new Map<string, RankedDoc>();
  const consider = (chunk: RetrievedChunk) => {
    const doc = { id: chunk.documentId, name: chunk.documentName };
    if (keys.isQueryItself(query.id, doc)) return;
    const docId = keys.keyFor(query.id, doc);
    const seen = best.get(docId);
    if (!seen || chunk.similarity > seen.score) best.set(docId, { docId, score: chunk.similarity });
  };
  const pageSize = base.pageSize ?? MAX_PAGE_SIZE;
  for (let page = 1; page <= MAX_PAGES; page++) {
    const { chunks, total } = await deps.retrieve({ ...base, question: query.question, page });
    chunks.forEach(consider);
    if (best.size >= k || chunks.length < pageSize || page * pageSize >= total) break;
  }
  return [...best.values()];
}

/**
 * Runs every question through retrieve() (threshold 0) and scores the ranked documents against
 * the judgments with trec_eval's conventions: nDCG@10, Recall@k, MRR@10, per query and mean.
 */
export async function evaluateRetrieval(deps: EvaluationDeps, input: EvaluateInput): Promise<EvaluationResult> {
  const { datasetIds, queries, qrels, k, signal, onProgress } = checkEvaluateInput(input);
  const keys = new DocumentKeys(await allDocuments(deps, datasetIds), qrels);
  const base = {
    datasetIds,
    similarityThreshold: 0,
    pageSize: Math.min(k, MAX_PAGE_SIZE),
    ...(signal && { signal }),
  };
  const runs = [];
  for (const [i, query] of queries.entries()) {
    signal?.throwIfAborted();
    runs.push({ queryId: query.id, ranking: await rankDocuments(deps, keys, base, query, k) });
    onProgress?.(i + 1, queries.length);
  }
  const { perQuery, mean } = scoreRuns(runs, qrels, k);
  return {
    mean,
    perQuery: perQuery.map(({ queryId, ...metrics }) => ({ id: queryId, ...metrics })),
    k,
    unmatched: keys.unmatched(),
  };
}
