import { performance } from 'node:perf_hooks';
import { RagFlow } from '../../src/index.js';
import { ndcgAt, recallAt, reciprocalRankAt } from '../../src/eval/metrics.js';
import type { CorpusDoc, EvalQuery } from '../lib/data.js';
import { databaseBytes, memory, progress, summarize, turn, type LatencySummary, type MemorySnapshot } from '../lib/util.js';

const EMBEDDING_MODEL = 'hash@Builtin';

export interface QualityRow {
  label: string;
  vectorSimilarityWeight: number;
  ndcg10: number;
  recall10: number;
  mrr10: number;
  latency: LatencySummary;
}

export interface QualityResult {
  corpusDocs: number;
  chunks: number;
  /** SciFact docs whose text duplicated another's in the same document (merged by chunk-id dedup). */
  merged: number;
  buildMs: number;
  rows: QualityRow[];
  dbBytes: { db: number; wal: number };
  memory: MemorySnapshot;
}

/**
 * One chunk per SciFact document ("title text"), 1000 SciFact documents per engine document,
 * then the test queries: top 10 at similarityThreshold 0, scored with trec_eval conventions (a hit
 * whose id equals the query id is dropped, so 11 are fetched and cut to 10 afterwards).
 */
export async function scifactQuality(
  path: string,
  corpus: readonly CorpusDoc[],
  queries: readonly EvalQuery[],
  weights: readonly { label: string; weight: number | undefined }[],
): Promise<QualityResult> {
  const rag = await RagFlow.open({ path, embeddingModel: EMBEDDING_MODEL });
  try {
    const dataset = await rag.datasets.create({ name: 'scifact-quality' });
    const chunkToDoc = new Map<string, string>();
    const t0 = performance.now();
    let merged = 0;
    for (let start = 0, part = 1; start < corpus.length; start += 1000, part++) {
      const [doc] = await rag.documents.upload(dataset.id, { name: `scifact-part-${part}.txt`, data: Buffer.from(`part ${part}`) });
      if (!doc) throw new Error('upload returned no document');
      const slice = corpus.slice(start, start + 1000);
      for (let b = 0; b < slice.length; b += 500) {
        const batch = slice.slice(b, b + 500);
        const byContent = new Map<string, string>();
        const contents = batch.map((d) => {
          const content = `${d.title} ${d.text}`.trim();
          if (byContent.has(content)) merged++;
          byContent.set(content, d.id);
          return content;
        });
        const chunks = await rag.chunks.add(dataset.id, doc.id, { content: contents });
        for (const chunk of chunks) {
          const sciId = byContent.get(chunk.content);
          if (sciId === undefined) throw new Error(`chunk ${chunk.id} has content that was not sent`);
          chunkToDoc.set(chunk.id, sciId);
        }
      }
    }
    const buildMs = performance.now() - t0;
    progress(`quality: ${chunkToDoc.size} chunks added in ${(buildMs / 1000).toFixed(1)} s; RSS ${(process.memoryUsage().rss / 2 ** 20).toFixed(0)} MiB, peak ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB`);

    const rows: QualityRow[] = [];
    for (const { label, weight } of weights) {
      const base = {
        datasetIds: [dataset.id],
        pageSize: 11,
        similarityThreshold: 0,
        ...(weight !== undefined && { vectorSimilarityWeight: weight }),
      };
      for (const q of queries.slice(0, 30)) await rag.retrieve({ ...base, question: q.text }); // warm-up
      let ndcg = 0;
      let recall = 0;
      let mrr = 0;
      const times: number[] = [];
      for (const q of queries) {
        await turn();
        const start = performance.now();
        const result = await rag.retrieve({ ...base, question: q.text });
        times.push(performance.now() - start);
        const ranked: string[] = [];
        for (const chunk of result.chunks) {
          const id = chunkToDoc.get(chunk.id);
          if (id === undefined || id === q.id || ranked.includes(id)) continue;
          ranked.push(id);
        }
        ndcg += ndcgAt(10, ranked, q.relevant);
        recall += recallAt(10, ranked, q.relevant);
        mrr += reciprocalRankAt(10, ranked, q.relevant);
      }
      const n = queries.length;
      rows.push({
        label,
        vectorSimilarityWeight: weight ?? 0.3,
        ndcg10: ndcg / n,
        recall10: recall / n,
        mrr10: mrr / n,
        latency: summarize(times),
      });
      progress(`quality: ${label}: nDCG@10 ${(ndcg / n).toFixed(4)}; RSS ${(process.memoryUsage().rss / 2 ** 20).toFixed(0)} MiB, peak ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB`);
    }
    await rag.close();
    return {
      corpusDocs: corpus.length,
      chunks: chunkToDoc.size,
      merged,
      buildMs,
      rows,
      dbBytes: databaseBytes(path),
      memory: memory(),
    };
  } finally {
    await rag.close();
  }
}
