import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { PeerEngine, PeerInput } from './types.js';

type LanceModule = typeof import('@lancedb/lancedb');

/**
 * Loads @lancedb/lancedb after setting its environment: on 2 cores the full-text index build of
 * 0.31 deadlocks at 100k rows unless LANCE_CPU_THREADS is set (lancedb#3568), and LANCEDB_LOG=error
 * silences a per-query deprecation warning.
 */
async function loadLance(): Promise<LanceModule> {
  process.env['LANCE_CPU_THREADS'] ??= '2';
  process.env['LANCEDB_LOG'] ??= 'error';
  return import('@lancedb/lancedb');
}

/**
 * @lancedb/lancedb on a local directory: one table (id, text, vector float32[256]), a full-text
 * (tantivy-style) index on `text`, no vector index (exact flat search, as ragflow-ts and Orama do),
 * hybrid queries fused by its RRF reranker (k = 60).
 */
export function lancedbEngine(dir: string, label: string): PeerEngine {
  let lance: LanceModule | undefined;
  let table: import('@lancedb/lancedb').Table | undefined;
  let reranker: import('@lancedb/lancedb').rerankers.RRFReranker | undefined;
  let connection: import('@lancedb/lancedb').Connection | undefined;
  return {
    name: '@lancedb/lancedb',
    async build({ texts, vectors }: PeerInput) {
      lance = await loadLance();
      const path = join(dir, `lancedb-${label}`);
      mkdirSync(path, { recursive: true });
      connection = await lance.connect(path);
      const rows = (from: number, to: number) =>
        texts.slice(from, to).map((text, j) => ({ id: from + j, text, vector: Array.from(vectors[from + j] as Float32Array) }));
      const step = 25_000;
      table = await connection.createTable('docs', rows(0, Math.min(step, texts.length)));
      for (let from = step; from < texts.length; from += step) await table.add(rows(from, Math.min(from + step, texts.length)));
      await table.createIndex('text', { config: lance.Index.fts() });
      reranker = await lance.rerankers.RRFReranker.create(60);
    },
    async search(question, vector, k) {
      if (!table || !reranker) throw new Error('not built');
      const rows = await table
        .query()
        .fullTextSearch(question)
        .nearestTo(vector)
        .rerank(reranker)
        .select(['id'])
        .limit(k)
        .toArray();
      return rows.map((r) => Number((r as { id: number }).id));
    },
    async close() {
      table?.close();
      connection?.close();
    },
  };
}
