import { performance } from 'node:perf_hooks';
import { RagFlow, type RetrieveInput } from '../../src/index.js';
import type { EvalQuery } from '../lib/data.js';
import {
  databaseBytes,
  memory,
  progress,
  summarize,
  throttle,
  turn,
  watchEventLoop,
  type LatencySummary,
  type LoopDelay,
  type MemorySnapshot,
} from '../lib/util.js';

const EMBEDDING_MODEL = 'hash@Builtin';

export interface BuildResult {
  chunks: number;
  documents: number;
  ms: number;
  /** Duration of each chunks.add call. */
  batches: LatencySummary;
  loop: LoopDelay;
}

/**
 * Adds `texts` through `rag.chunks.add` in batches of `batchSize`, `perDocument` chunks per
 * document (each document is a small placeholder .txt that is never parsed).
 */
export async function buildChunkDataset(
  rag: RagFlow,
  datasetId: string,
  texts: Iterable<string>,
  options: { total: number; batchSize: number; perDocument: number; label: string },
): Promise<BuildResult> {
  const say = throttle(3000);
  const loop = watchEventLoop();
  const t0 = performance.now();
  let added = 0;
  let documents = 0;
  let documentId = '';
  let inDocument = 0;
  let batch: string[] = [];
  const batchTimes: number[] = [];
  const flush = async (): Promise<void> => {
    if (batch.length === 0) return;
    await turn(); // one batch = one request: the loop monitor sees each add on its own
    if (documentId === '' || inDocument >= options.perDocument) {
      documents++;
      const [doc] = await rag.documents.upload(datasetId, {
        name: `part-${String(documents).padStart(4, '0')}.txt`,
        data: Buffer.from(`placeholder ${documents}`),
      });
      if (!doc) throw new Error('upload returned no document');
      documentId = doc.id;
      inDocument = 0;
    }
    const start = performance.now();
    const chunks = await rag.chunks.add(datasetId, documentId, { content: batch });
    batchTimes.push(performance.now() - start);
    added += chunks.length;
    inDocument += batch.length;
    batch = [];
    say(() => progress(`${options.label}: ${added.toLocaleString('en-US')}/${options.total.toLocaleString('en-US')} chunks`));
  };
  for (const text of texts) {
    batch.push(text);
    if (batch.length >= options.batchSize) await flush();
  }
  await flush();
  const ms = performance.now() - t0;
  return { chunks: added, documents, ms, batches: summarize(batchTimes), loop: loop.stop() };
}

export interface LatencyResult {
  summary: LatencySummary;
  /** Mean number of chunks returned per query. */
  meanHits: number;
  loop: LoopDelay;
}

/** One untimed warm-up pass over the queries, then one timed pass. */
export async function measureLatency(
  rag: RagFlow,
  base: Omit<RetrieveInput, 'question'>,
  queries: readonly EvalQuery[],
  label: string,
  warmUp = true,
): Promise<LatencyResult> {
  if (warmUp) {
    progress(`${label}: warm-up pass (${queries.length} queries)`);
    for (const q of queries) await rag.retrieve({ ...base, question: q.text });
  }
  progress(`${label}: timed pass`);
  const times: number[] = [];
  let hits = 0;
  const loop = watchEventLoop();
  for (const q of queries) {
    await turn(); // as separate requests would: without it the whole pass is one macrotask
    const t0 = performance.now();
    const result = await rag.retrieve({ ...base, question: q.text });
    times.push(performance.now() - t0);
    hits += result.chunks.length;
  }
  return { summary: summarize(times), meanHits: hits / Math.max(1, queries.length), loop: loop.stop() };
}

export interface ScaleResult {
  label: string;
  target: number;
  build: BuildResult;
  latency: LatencyResult;
  /** Same queries with vectorSimilarityWeight 0 (no vector leg), right after the default pass. */
  keywordOnly: LatencyResult;
  dbBytes: { db: number; wal: number };
  memory: MemorySnapshot;
}

/** Builds a dataset of `target` chunks in its own database file and times the test queries on it. */
export async function retrievalAtScale(
  path: string,
  label: string,
  texts: Iterable<string>,
  target: number,
  queries: readonly EvalQuery[],
): Promise<ScaleResult> {
  const rag = await RagFlow.open({ path, embeddingModel: EMBEDDING_MODEL });
  try {
    const dataset = await rag.datasets.create({ name: label });
    progress(`${label}: building ${target.toLocaleString('en-US')} chunks`);
    const build = await buildChunkDataset(rag, dataset.id, texts, {
      total: target,
      batchSize: 500,
      perDocument: 5000,
      label,
    });
    progress(`${label}: built in ${(build.ms / 1000).toFixed(1)} s`);
    const latency = await measureLatency(rag, { datasetIds: [dataset.id], pageSize: 10 }, queries, label);
    const keywordOnly = await measureLatency(
      rag,
      { datasetIds: [dataset.id], pageSize: 10, vectorSimilarityWeight: 0 },
      queries,
      `${label} keyword only`,
      false,
    );
    await rag.close();
    return { label, target, build, latency, keywordOnly, dbBytes: databaseBytes(path), memory: memory() };
  } finally {
    await rag.close();
  }
}

export interface ColdStartResult {
  openMs: number;
  firstQueryMs: number;
  secondQueryMs: number;
  chunks: number;
}

/** Opens an existing database and runs two queries (the OS page cache is warm: the file was just written). */
export async function coldStart(path: string, queries: readonly EvalQuery[]): Promise<ColdStartResult> {
  const t0 = performance.now();
  const rag = await RagFlow.open({ path, embeddingModel: EMBEDDING_MODEL });
  const openMs = performance.now() - t0;
  try {
    const { items } = await rag.datasets.list({ pageSize: 10 });
    const dataset = items[0];
    if (!dataset) throw new Error(`no dataset in ${path}`);
    const ask = async (q: EvalQuery | undefined): Promise<number> => {
      const start = performance.now();
      await rag.retrieve({ datasetIds: [dataset.id], question: q?.text ?? 'cancer', pageSize: 10 });
      return performance.now() - start;
    };
    const firstQueryMs = await ask(queries[0]);
    const secondQueryMs = await ask(queries[1]);
    return { openMs, firstQueryMs, secondQueryMs, chunks: dataset.chunkCount };
  } finally {
    await rag.close();
  }
}
