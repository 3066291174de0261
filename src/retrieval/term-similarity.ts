/**
 * RAGFlow's term similarity (rag/nlp/query.py + term_weight.py), the keyword half of the hybrid score:
 * the share of the question's term weight that a chunk contains.
 *
 *   idf(s, N) = log10(10 + (N − s + 0.5) / (s + 0.5))
 *   w(t)      = idf(df(t), N) · ner(t), normalised so Σ w = 1
 *   tok(c)    = Σ_{t ∈ q ∩ c} w(t) / Σ_{t ∈ q} w(t)
 *
 * RAGFlow takes df from its dictionaries; we take it from the indexed chunks themselves, which
 * is what a dictionary approximates and needs no data files. Numbers weigh double and one- or
 * two-letter terms almost nothing, as RAGFlow's ner() factor does.
 */

export interface TermStatistics {
  documentFrequency: ReadonlyMap<string, number>;
  chunkCount: number;
}

const idf = (df: number, n: number): number => Math.log10(10 + (Math.max(n - df, 0) + 0.5) / (df + 0.5));

function shapeFactor(term: string): number {
  if (/^[0-9.,]{2,}$/.test(term)) return 2;
  if (/^[a-z]{1,2}$/.test(term)) return 0.01;
  return 1;
}

export function termWeights(terms: readonly string[], stats: TermStatistics): Map<string, number> {
  const raw = new Map<string, number>();
  for (const term of terms) {
    raw.set(term, idf(stats.documentFrequency.get(term) ?? 0, stats.chunkCount) * shapeFactor(term));
  }
  const sum = [...raw.values()].reduce((a, b) => a + b, 0);
  if (sum > 0) for (const [term, weight] of raw) raw.set(term, weight / sum);
  return raw;
}

export function termSimilarity(weights: ReadonlyMap<string, number>, chunkTerms: ReadonlySet<string>): number {
  let hit = 0;
  let total = 0;
  for (const [term, weight] of weights) {
    total += weight;
    if (chunkTerms.has(term)) hit += weight;
  }
  return (hit + 1e-9) / (total + 1e-9);
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
