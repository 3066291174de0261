/**
 * Retrieval metrics with trec_eval's conventions (as BEIR and Pyserini report them): nDCG@10 with
 * linear gain, Recall@k, MRR@10; ties in score ordered by document id descending; a hit whose id
 * equals the query id is dropped; means only over queries with at least one relevant judgment.
 * Pure functions: no I/O, no engine.
 */

export interface RankedDoc {
  docId: string;
  score: number;
}

/** What a system returned for one query, in any order: it is sorted here. */
export interface Run {
  queryId: string;
  ranking: readonly RankedDoc[];
}

/** Judgments: queryId → docId → grade (> 0 means relevant; the grade is the gain). */
export type Qrels = Readonly<Record<string, Readonly<Record<string, number>>>>;

export interface QueryMetrics {
  queryId: string;
  ndcg10: number;
  recallK: number;
  mrr10: number;
  /** Judged relevant documents (grade > 0); 0 means the query is left out of the means. */
  relevant: number;
  /** Documents ranked after dropping the query's own id, at most k. */
  retrieved: number;
}

export interface MeanMetrics {
  ndcg10: number;
  recallK: number;
  mrr10: number;
  /** Queries averaged: those with at least one relevant judgment. */
  queries: number;
}

/** Score descending, then doc id descending (trec_eval); the query's own id and repeats are dropped. */
export function orderRun(run: Run): string[] {
  const sorted = [...run.ranking].sort(
    (a, b) => b.score - a.score || (a.docId < b.docId ? 1 : a.docId > b.docId ? -1 : 0),
  );
  const seen = new Set<string>([run.queryId]);
  const ids: string[] = [];
  for (const { docId } of sorted) {
    if (seen.has(docId)) continue;
    seen.add(docId);
    ids.push(docId);
  }
  return ids;
}

const gainOf = (grade: number | undefined): number => (grade !== undefined && grade > 0 ? grade : 0);
const discount = (index: number): number => Math.log2(index + 2); // rank = index + 1

/** Σ rel/log2(rank+1) over the first `cutoff` ids, over the same sum for the grades sorted descending. */
export function ndcgAt(cutoff: number, ranked: readonly string[], judged: Readonly<Record<string, number>>): number {
  let dcg = 0;
  ranked.slice(0, cutoff).forEach((id, i) => (dcg += gainOf(judged[id]) / discount(i)));
  const ideal = Object.values(judged)
    .map(gainOf)
    .filter((g) => g > 0)
    .sort((a, b) => b - a)
    .slice(0, cutoff);
  const idcg = ideal.reduce((sum, gain, i) => sum + gain / discount(i), 0);
  return idcg > 0 ? dcg / idcg : 0;
}

/** Relevant ids in the first `cutoff` / all relevant ids (0 when nothing is relevant). */
export function recallAt(cutoff: number, ranked: readonly string[], judged: Readonly<Record<string, number>>): number {
  const relevant = relevantCount(judged);
  if (relevant === 0) return 0;
  return ranked.slice(0, cutoff).filter((id) => gainOf(judged[id]) > 0).length / relevant;
}

/** 1/rank of the first relevant id within the first `cutoff`, else 0. */
export function reciprocalRankAt(cutoff: number, ranked: readonly string[], judged: Readonly<Record<string, number>>): number {
  const index = ranked.slice(0, cutoff).findIndex((id) => gainOf(judged[id]) > 0);
  return index < 0 ? 0 : 1 / (index + 1);
}

export function relevantCount(judged: Readonly<Record<string, number>>): number {
  return Object.values(judged).filter((grade) => grade > 0).length;
}

/** The three metrics of one query; `k` is the Recall cutoff and the depth of the kept ranking. */
export function scoreQuery(run: Run, qrels: Qrels, k: number): QueryMetrics {
  const judged = qrels[run.queryId] ?? {};
  const ranked = orderRun(run).slice(0, k);
  return {
    queryId: run.queryId,
    ndcg10: ndcgAt(10, ranked, judged),
    recallK: recallAt(k, ranked, judged),
    mrr10: reciprocalRankAt(10, ranked, judged),
    relevant: relevantCount(judged),
    retrieved: ranked.length,
  };
}

/** Means over the queries with at least one relevant document (all zero when there is none). */
export function meanOf(perQuery: readonly QueryMetrics[]): MeanMetrics {
  const counted = perQuery.filter((q) => q.relevant > 0);
  const mean = (pick: (q: QueryMetrics) => number): number =>
    counted.length === 0 ? 0 : counted.reduce((sum, q) => sum + pick(q), 0) / counted.length;
  return {
    ndcg10: mean((q) => q.ndcg10),
    recallK: mean((q) => q.recallK),
    mrr10: mean((q) => q.mrr10),
    queries: counted.length,
  };
}

/** Scores every run (one per query) against the judgments. */
export function scoreRuns(runs: readonly Run[], qrels: Qrels, k: number): { perQuery: QueryMetrics[]; mean: MeanMetrics } {
  const perQuery = runs.map((run) => scoreQuery(run, qrels, k));
  return { perQuery, mean: meanOf(perQuery) };
}
