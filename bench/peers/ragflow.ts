import { join } from 'node:path';
import { RagFlow } from '../../src/index.js';
import { buildChunkDataset } from '../phases/retrieval.js';
import type { PeerEngine, PeerInput } from './types.js';

/**
 * ragflow-ts through its public API: one chunk per text via `chunks.add` (batches of 500, 1,000
 * chunks per document), default hybrid retrieval with threshold 0. It embeds the texts itself with
 * hash@Builtin, the model the peers' precomputed vectors come from, so the vectors are identical
 * (the public API takes no precomputed vectors); its build time therefore includes embedding.
 */
export function ragflowEngine(dir: string, label: string): PeerEngine {
  let rag: RagFlow | undefined;
  let datasetId = '';
  /** chunk content -> index of the text (duplicate texts share one chunk: the last index wins). */
  const byContent = new Map<string, number>();
  return {
    name: 'ragflow-ts',
    embedsQueries: true,
    async build({ texts }: PeerInput) {
      rag = await RagFlow.open({ path: join(dir, `peers-${label}.db`), embeddingModel: 'hash@Builtin' });
      datasetId = (await rag.datasets.create({ name: `peers-${label}` })).id;
      texts.forEach((t, i) => byContent.set(t, i));
      await buildChunkDataset(rag, datasetId, texts, { total: texts.length, batchSize: 500, perDocument: 1000, label: `ragflow-ts ${label}` });
    },
    async search(question, _vector, k) {
      if (!rag) throw new Error('not built');
      const result = await rag.retrieve({ datasetIds: [datasetId], question, pageSize: k, similarityThreshold: 0 });
      return result.chunks.map((c) => byContent.get(c.content) ?? -1);
    },
    async close() {
      await rag?.close();
    },
  };
}
