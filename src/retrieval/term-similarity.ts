import { analyze, isStopTerm, normalizeWord } from './analyzer.js';
import { englishFrequencies, loadEnglishFrequencies, runAtOnce, runInSlices, type EnglishFrequencies } from './word-frequency.js';

/**
 * Term similarity, the keyword half of the hybrid score (docs/scoring.md §4). Everything that decides
 * it lives here.
 *
 *   share(c) = Σ_{t ∈ q ∩ c} w(t) / Σ_{t ∈ q} w(t)         RAGFlow's token_similarity
 *   bm25(c)  = BM25(c) / max(best candidate's BM25, reference)   FTS5's bm25() of the keyword leg;
 *              reference = BM25_REFERENCE · Σ idf (bm25Reference), so weak best matches stay < 1
 *   pair(c)  = BM25 of q's adjacent word pairs as phrases, / its max over the candidates
 *   term(c)  = share(c)^SHARE_EXPONENT · ((1 − PAIR_WEIGHT) · bm25(c) + PAIR_WEIGHT · pair(c))
 *
 * The share is absolute (a chunk matching only a minor word of the question stays low, whatever the
 * other candidates look like), so the default threshold still drops junk; the BM25 parts bring term
 * frequency, length normalisation and word order, and rank. A chunk holding every question term
 * with the best BM25 scores 1. When no candidate holds any pair, the pair part is left out.
 *
 * Share weights: idf(s, N) = log10(10 + (N − s + 0.5) / (s + 0.5)), w(t) = idf(df'(t), N + M) · shape(t).
 * RAGFlow takes df from dictionaries of general language; we take it from the indexed chunks
 * themselves, smoothed towards general English: df'(t) = df(t) + M · prior(t), as if M chunks of
 * ordinary English were added (englishPrior). A small dataset's df is noise ("see" and "tram" both in
 * one of 50 FAQ questions look equally rare); the prior tells them apart. A large dataset outweighs
 * it (5,000 chunks against M = 200), so there its own df decides. Words general English lacks
 * (names, jargon) get no prior: their df is the dataset's alone. Numbers weigh double and one- or
 * two-letter terms almost nothing, as RAGFlow's ner() factor does.
 */

/** How strongly the matched share scales the BM25 parts (0: not at all, 1: proportionally). */
export const SHARE_EXPONENT = 0.5;
/** The share of the BM25 part given to adjacent word pairs (phrases). */
export const PAIR_WEIGHT = 0.3;

export interface TermStatistics {
  documentFrequency: ReadonlyMap<string, number>;
  chunkCount: number;
}

const idf = (df: number, n: number): number => Math.log10(10 + (Math.max(n - df, 0) + 0.5) / (df + 0.5));

/** How many chunks of general English the prior adds to the dataset's own (see the comment above). */
export const PRIOR_CHUNKS = 200;
/** The words in one such chunk: prior(t) = min(1, PRIOR_CHUNK_WORDS · frequency of t in English). */
export const PRIOR_CHUNK_WORDS = 30;

interface EnglishTermCounts {
  /** Counts by index form, so that "see", "seeing" and "sees" count together as the analyser conflates them. */
  counts: Map<string, number>;
  total: number;
}

let englishTerms: EnglishTermCounts | undefined;
let englishLoading: Promise<void> | undefined;

function* termCounts({ words, total }: EnglishFrequencies): Generator<void, EnglishTermCounts> {
  const counts = new Map<string, number>();
  for (const [word, count] of words) {
    const form = normalizeWord(word);
    counts.set(form, (counts.get(form) ?? 0) + count);
    yield;
  }
  return { counts, total };
}

/** The share of PRIOR_CHUNKS chunks of general English expected to contain `term` (an index form). */
export function englishPrior(term: string): number {
  const { counts, total } = (englishTerms ??= runAtOnce(termCounts(englishFrequencies())));
  return Math.min(1, (PRIOR_CHUNK_WORDS * (counts.get(term) ?? 0)) / total);
}

/**
 * Builds what englishPrior() and compound splitting read (~120 ms of CPU), in slices: parsing and
 * retrieval await it before they first need it, so that cost never holds the event loop at once.
 */
export function loadEnglishStatistics(): Promise<void> {
  englishLoading ??= (async () => {
    const built = await runInSlices(termCounts(await loadEnglishFrequencies()));
    englishTerms ??= built;
  })();
  return englishLoading;
}

function shapeFactor(term: string): number {
  if (/^[0-9.,]{2,}$/.test(term)) return 2;
  if (/^[a-z]{1,2}$/.test(term)) return 0.01;
  return 1;
}

export function termWeights(terms: readonly string[], stats: TermStatistics): Map<string, number> {
  const raw = new Map<string, number>();
  for (const term of terms) {
    const df = (stats.documentFrequency.get(term) ?? 0) + PRIOR_CHUNKS * englishPrior(term);
    raw.set(term, idf(df, stats.chunkCount + PRIOR_CHUNKS) * shapeFactor(term));
  }
  const sum = [...raw.values()].reduce((a, b) => a + b, 0);
  if (sum > 0) for (const [term, weight] of raw) raw.set(term, weight / sum);
  return raw;
}

/** RAGFlow's token similarity: the share of the question's term weight that the chunk contains. */
export function matchedShare(weights: ReadonlyMap<string, number>, chunkTerms: ReadonlySet<string>): number {
  let hit = 0;
  let total = 0;
  for (const [term, weight] of weights) {
    total += weight;
    if (chunkTerms.has(term)) hit += weight;
  }
  return (hit + 1e-9) / (total + 1e-9);
}

/** The matched share alone, as chat citations use it to match answer sentences with chunks. */
export const termSimilarity = matchedShare;

/**
 * The question's adjacent word pairs ("t1 t2"), de-duplicated, as the keyword search takes them:
 * each is matched as a phrase. Pairs that hold a stopword are skipped (they say little), and so are
 * pairs of the same term.
 */
export function queryPairs(question: string): string[] {
  const terms = analyze(question).map((t) => t.term);
  const pairs = new Set<string>();
  for (let i = 0; i + 1 < terms.length; i++) {
    const a = terms[i] as string;
    const b = terms[i + 1] as string;
    if (a === b || isStopTerm(a) || isStopTerm(b)) continue;
    pairs.add(`${a} ${b}`);
  }
  return [...pairs];
}

/**
 * What FTS5's bm25() gives a chunk holding each question term once, at average length, in the content
 * column: Σ idf(t) over the terms that occur in some chunk, with FTS5's idf = ln((N − df + 0.5) / (df + 0.5)), floored at 1e-6 (with k1 = 1.2,
 * tf·(k1 + 1) / (tf + k1) = 1 at tf = 1). The BM25 part is normalised by at least this much, so that
 * the best of a set of poor matches does not score 1.
 */
export function bm25Reference(terms: readonly string[], stats: TermStatistics): number {
  let sum = 0;
  for (const term of terms) {
    const df = stats.documentFrequency.get(term) ?? 0;
    if (df === 0) continue; // no chunk can match it: the matched share already counts it as missing
    sum += Math.max(1e-6, Math.log((stats.chunkCount - df + 0.5) / (df + 0.5)));
  }
  return sum * BM25_REFERENCE;
}

/** The share of bm25Reference that the best candidate must reach to count as a full match. */
export const BM25_REFERENCE = 0.3;

export interface KeywordScores {
  /** The question's term weights (termWeights). */
  weights: ReadonlyMap<string, number>;
  /** bm25Reference() of the question. */
  reference: number;
  /** BM25 of the keyword leg, by chunk id (larger is better). Chunks outside it count as 0. */
  bm25: ReadonlyMap<string, number>;
  /** BM25 of the question's word pairs, by chunk id. */
  pairs: ReadonlyMap<string, number>;
}

/** term(c) for the candidates `chunkIds` (with their index terms), in [0, 1]. */
export function termScorer(
  scores: KeywordScores,
  candidateIds: readonly string[],
): (chunkId: string, chunkTerms: ReadonlySet<string>) => number {
  // Normalise by the best candidate, not by the whole keyword leg: a candidate set is what is ranked.
  let maxBm25 = scores.reference;
  let maxPair = 0;
  for (const id of candidateIds) {
    maxBm25 = Math.max(maxBm25, scores.bm25.get(id) ?? 0);
    maxPair = Math.max(maxPair, scores.pairs.get(id) ?? 0);
  }
  const pairWeight = maxPair > 0 ? PAIR_WEIGHT : 0;
  return (chunkId, chunkTerms) => {
    const share = matchedShare(scores.weights, chunkTerms);
    const bm25 = maxBm25 > 0 ? Math.max(0, scores.bm25.get(chunkId) ?? 0) / maxBm25 : 0;
    const pair = maxPair > 0 ? Math.max(0, scores.pairs.get(chunkId) ?? 0) / maxPair : 0;
    const term = share ** SHARE_EXPONENT * ((1 - pairWeight) * bm25 + pairWeight * pair);
    return Math.min(1, Math.max(0, term));
  };
}

export function cosine(a: Float32Array, b: Float32Array): number {
  if (a.length !== b.length) return 0;
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i] as number;
    const y = b[i] as number;
    dot += x * y;
    na += x * x;
    nb += y * y;
  }
  return na === 0 || nb === 0 ? 0 : dot / Math.sqrt(na * nb);
}
