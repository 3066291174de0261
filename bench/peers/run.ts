/**
 * Peer benchmark: ragflow-ts, @orama/orama and @lancedb/lancedb on the same texts and the same
 * hash@Builtin vectors, one engine after another in this process. Per engine: build time, latency
 * of the SciFact test queries (top 10, one warm-up pass, then one timed pass), nDCG@10 (SciFact
 * only) and memory. Returns a markdown section (the `peers` phase of bench/run.ts).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { HashEmbeddingModel } from '../../src/embed/hash.js';
import { REPO_ROOT, scifactPassages, syntheticChunks, type CorpusDoc, type EvalQuery } from '../lib/data.js';
import { int, memory, mib, ms, progress, seconds, summarize, table, turn, type LatencySummary } from '../lib/util.js';
import { ndcgAt } from '../../src/eval/metrics.js';
import { lancedbEngine } from './lancedb.js';
import { oramaEngine } from './orama.js';
import { ragflowEngine } from './ragflow.js';
import type { PeerEngine, PeerInput } from './types.js';

const K = 10;

export interface PeerRow {
  engine: string;
  buildMs: number;
  latency: LatencySummary;
  /** Mean nDCG@10 over the queries, or undefined when the corpus has no judgments (synthetic). */
  ndcg10: number | undefined;
  /** Resident set after build + queries minus before build (bytes; JS heap and native memory). */
  rssDelta: number;
  /** Growth of the process peak RSS during this engine's turn (KiB; 0 when an earlier engine peaked higher). */
  peakDeltaKiB: number;
}

export interface PeerCorpusResult {
  label: string;
  docs: number;
  vectorMs: number;
  rows: PeerRow[];
  skipped: string[];
}

const model = new HashEmbeddingModel();
const EMPTY = new Float32Array(0);

async function embedAll(texts: readonly string[]): Promise<{ vectors: Float32Array[]; ms: number }> {
  const t0 = performance.now();
  const vectors: Float32Array[] = [];
  for (let i = 0; i < texts.length; i += 1024) vectors.push(...(await model.embed(texts.slice(i, i + 1024))).embeddings);
  return { vectors, ms: performance.now() - t0 };
}

async function runEngine(
  engine: PeerEngine,
  input: PeerInput,
  queries: readonly EvalQuery[],
  /** Corpus id of each text, for nDCG; undefined for synthetic corpora. */
  ids: readonly string[] | undefined,
): Promise<PeerRow> {
  const before = memory();
  progress(`peers: ${engine.name}: building ${int(input.texts.length)} docs`);
  const t0 = performance.now();
  await engine.build(input);
  const buildMs = performance.now() - t0;
  progress(`peers: ${engine.name}: built in ${seconds(buildMs)} s; warm-up pass`);
  // Peers get the question's vector computed inside the timed call, as ragflow-ts embeds it inside retrieve().
  const ask = async (question: string): Promise<number[]> =>
    engine.search(question, engine.embedsQueries ? EMPTY : ((await model.embed([question])).embeddings[0] as Float32Array), K);
  for (const q of queries) await ask(q.text);
  progress(`peers: ${engine.name}: timed pass`);
  const times: number[] = [];
  let ndcg = 0;
  for (const q of queries) {
    await turn();
    const start = performance.now();
    const hits = await ask(q.text);
    times.push(performance.now() - start);
    if (ids) {
      const ranked = hits.map((i) => ids[i] ?? '').filter((id) => id !== '' && id !== q.id);
      ndcg += ndcgAt(K, ranked, q.relevant);
    }
  }
  const after = memory();
  await engine.close();
  const row: PeerRow = {
    engine: engine.name,
    buildMs,
    latency: summarize(times),
    ndcg10: ids ? ndcg / Math.max(1, queries.length) : undefined,
    rssDelta: after.rss - before.rss,
    peakDeltaKiB: after.maxRssKiB - before.maxRssKiB,
  };
  progress(
    `peers: ${engine.name}: p50 ${ms(row.latency.p50)} ms, p95 ${ms(row.latency.p95)} ms` +
      (row.ndcg10 !== undefined ? `, nDCG@10 ${row.ndcg10.toFixed(4)}` : ''),
  );
  return row;
}

export async function runPeers(
  dir: string,
  corpus: readonly CorpusDoc[],
  queries: readonly EvalQuery[],
  largeSize: number,
): Promise<PeerCorpusResult[]> {
  const results: PeerCorpusResult[] = [];

  const texts = corpus.map((d) => `${d.title} ${d.text}`.trim());
  const small = await embedAll(texts);
  progress(`peers: ${int(texts.length)} SciFact vectors in ${seconds(small.ms)} s`);
  const smallInput: PeerInput = { texts, vectors: small.vectors };
  const ids = corpus.map((d) => d.id);
  const rows: PeerRow[] = [];
  for (const engine of [ragflowEngine(dir, 'scifact'), lancedbEngine(dir, 'scifact'), oramaEngine()]) {
    rows.push(await runEngine(engine, smallInput, queries, ids));
  }
  results.push({ label: 'SciFact', docs: texts.length, vectorMs: small.ms, rows, skipped: [] });

  const largeTexts = [...syntheticChunks(scifactPassages(corpus), largeSize)];
  const large = await embedAll(largeTexts);
  progress(`peers: ${int(largeTexts.length)} synthetic vectors in ${seconds(large.ms)} s`);
  const largeInput: PeerInput = { texts: largeTexts, vectors: large.vectors };
  const largeRows: PeerRow[] = [];
  const label = `${largeSize / 1000}k`;
  for (const engine of [ragflowEngine(dir, label), lancedbEngine(dir, label)]) {
    largeRows.push(await runEngine(engine, largeInput, queries, undefined));
  }
  results.push({
    label: `synthetic ${label}`,
    docs: largeTexts.length,
    vectorMs: large.ms,
    rows: largeRows,
    skipped: ['@orama/orama (BASELINES.md: ~100 s to build and ~5 GB RSS at 100k on this machine, p50 ~1.4 s hybrid)'],
  });
  return results;
}

/** Installed versions of the engines compared (from node_modules). */
export function peerVersions(): Record<string, string> {
  const version = (name: string): string => {
    try {
      return (JSON.parse(readFileSync(join(REPO_ROOT, 'node_modules', name, 'package.json'), 'utf8')) as { version?: string }).version ?? '?';
    } catch {
      return 'not installed';
    }
  };
  return Object.fromEntries(['@orama/orama', '@lancedb/lancedb', 'apache-arrow'].map((n) => [n, version(n)]));
}

export function peersSection(results: readonly PeerCorpusResult[], versions: Record<string, string> = peerVersions()): string {
  const parts = [
    '## Peers: ragflow-ts vs @orama/orama vs @lancedb/lancedb',
    '',
    `Versions: ${Object.entries(versions)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')}. Same texts and the same hash@Builtin 256-dim vectors for every engine, one engine after another in ` +
      'this process. ragflow-ts: `chunks.add` one chunk per text, `retrieve` hybrid defaults (vector weight 0.3), threshold 0. ' +
      'Orama: hybrid (0.5/0.5), English stopwords, vector similarity cut-off 0. LanceDB: FTS index + exact vector search, ' +
      'hybrid with its RRF reranker (k 60), LANCE_CPU_THREADS=2. Top 10; 300 SciFact test queries, one warm-up pass, then one ' +
      'timed pass (one query per macrotask); the peers\' query vector is computed inside the timed call. Build = indexing ' +
      'from texts + precomputed vectors; ragflow-ts embeds the texts itself (same model), so its build includes embedding ' +
      '(the shared vector computation time is given per corpus). nDCG@10: trec_eval conventions as in §5. ' +
      'RSS Δ = resident set after the queries minus before the build; peak Δ = growth of the process high-water mark ' +
      '(maxRSS) during the engine\'s turn, 0 when an earlier engine had already peaked higher.',
  ];
  for (const r of results) {
    const ours = r.rows.find((x) => x.engine === 'ragflow-ts');
    parts.push(
      '',
      `### ${r.label}: ${int(r.docs)} documents (vectors computed once in ${seconds(r.vectorMs)} s)`,
      '',
      table(
        ['engine', 'build s', 'p50 ms', 'p95 ms', 'p99 ms', 'nDCG@10', 'ragflow-ts p50 ÷ p50', 'ragflow-ts p95 ÷ p95', 'RSS Δ MiB', 'peak RSS Δ MiB'],
        r.rows.map((x) => [
          x.engine,
          seconds(x.buildMs),
          ms(x.latency.p50, 2),
          ms(x.latency.p95, 2),
          ms(x.latency.p99, 2),
          x.ndcg10 !== undefined ? x.ndcg10.toFixed(4) : 'n/a (synthetic)',
          ours ? (ours.latency.p50 / x.latency.p50).toFixed(2) : '—',
          ours ? (ours.latency.p95 / x.latency.p95).toFixed(2) : '—',
          mib(x.rssDelta),
          (x.peakDeltaKiB / 1024).toFixed(0),
        ]),
      ),
      ...(r.skipped.length > 0 ? ['', `Not run: ${r.skipped.join('; ')}.`] : []),
    );
  }
  return parts.join('\n');
}
