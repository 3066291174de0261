import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RagFlow } from '../../src/ragflow.js';
import type { Dataset, Document } from '../../src/types.js';
import { expectRagFlowError, openMemory, text } from '../ragflow/helpers.js';

let rag: RagFlow;
let ds: Dataset;
let docs: Record<string, Document>;

const FILES: Record<string, string> = {
  'biology.txt': 'Mitochondria produce ATP through cellular respiration in eukaryotic cells.',
  'glaciers.txt': 'Glaciers carve deep U-shaped valleys as the ice slowly flows downhill.',
  'cooking.md': 'Sourdough bread rises with a starter of wild yeast and lactobacilli.',
  'astronomy.txt': 'Telescopes reveal distant galaxies, nebulae and exoplanets orbiting stars.',
};

beforeAll(async () => {
  rag = await openMemory();
  ds = await rag.datasets.create({ name: 'tiny' });
  const uploaded = await rag.documents.upload(
    ds.id,
    Object.entries(FILES).map(([name, content]) => ({ name, data: text(content) })),
  );
  const parsed = await rag.documents.parse(ds.id, uploaded.map((d) => d.id), { wait: true });
  expect(parsed.map((d) => d.run)).toEqual(['DONE', 'DONE', 'DONE', 'DONE']);
  docs = Object.fromEntries(parsed.map((d) => [d.name, d]));
  // More chunks for one document: it must still count once (scored by its best chunk).
  await rag.chunks.add(ds.id, docs['biology.txt']!.id, {
    content: ['The Krebs cycle runs in the mitochondrial matrix.', 'Ribosomes translate messenger RNA.'],
  });
});
afterAll(async () => {
  await rag.close();
});

describe('rag.evaluate', () => {
  it('scores known answers; qrels name documents by name without extension, by id or by name', async () => {
    const progress: [number, number][] = [];
    const result = await rag.evaluate({
      datasetIds: [ds.id],
      queries: [
        { id: 'q1', question: 'mitochondria ATP respiration' },
        { id: 'q2', question: 'glaciers carve valleys' },
        { id: 'q3', question: 'sourdough bread starter' },
        { id: 'q4', question: 'telescopes galaxies' },
      ],
      qrels: {
        q1: { biology: 1 },
        q2: { [docs['glaciers.txt']!.id]: 2 },
        q3: { 'cooking.md': 1, astronomy: 0 },
        q4: { 'astronomy.txt': 0 }, // judged, but nothing relevant: reported, not averaged
      },
      onProgress: (done, total) => progress.push([done, total]),
    });
    expect(result.k).toBe(100);
    expect(result.mean).toEqual({ ndcg10: 1, recallK: 1, mrr10: 1, queries: 3 });
    expect(result.unmatched).toEqual([]);
    expect(result.perQuery.map((q) => [q.id, q.ndcg10, q.relevant])).toEqual([
      ['q1', 1, 1],
      ['q2', 1, 1],
      ['q3', 1, 1],
      ['q4', 0, 0],
    ]);
    // threshold 0: every document comes back, each once although biology.txt has three chunks
    for (const q of result.perQuery) expect(q.retrieved).toBe(4);
    expect(progress).toEqual([
      [1, 4],
      [2, 4],
      [3, 4],
      [4, 4],
    ]);
  });

  it('cuts the ranking at k: two relevant documents, k = 1', async () => {
    const result = await rag.evaluate({
      datasetIds: [ds.id],
      queries: [{ id: 'q1', question: 'mitochondria ATP respiration' }],
      qrels: { q1: { biology: 1, glaciers: 1 } },
      k: 1,
    });
    const [q1] = result.perQuery;
    // only biology (rank 1) is kept: recall 1/2; DCG 1, IDCG 1 + 1/log2(3) → 1/1.6309298 = 0.6131472
    expect(q1?.retrieved).toBe(1);
    expect(q1?.recallK).toBe(0.5);
    expect(q1?.ndcg10).toBeCloseTo(0.6131472, 6);
    expect(q1?.mrr10).toBe(1);
  });

  it('drops the document named like the query, and reports relevant keys that match no document', async () => {
    const result = await rag.evaluate({
      datasetIds: [ds.id],
      queries: [{ id: 'astronomy', question: 'telescopes galaxies' }],
      qrels: { astronomy: { astronomy: 1, 'no-such-doc': 1, 'graded-zero': 0 } },
    });
    const [q] = result.perQuery;
    expect(q?.retrieved).toBe(3); // astronomy.txt itself is dropped
    expect(q?.mrr10).toBe(0);
    expect(q?.relevant).toBe(2);
    expect(result.unmatched).toEqual(['no-such-doc']);
  });

  it('validates its input with code 101 naming the field', async () => {
    const ok = { datasetIds: [ds.id], queries: [{ id: 'q', question: 'x' }], qrels: {} };
    const bad = (input: unknown, field: RegExp) => expectRagFlowError(rag.evaluate(input as never), 101, field);
    await bad({ ...ok, datasetIds: [] }, /`datasetIds`/);
    await bad({ ...ok, queries: undefined }, /`queries`/);
    await bad({ ...ok, queries: [] }, /`queries` must not be empty/);
    await bad({ ...ok, queries: [{ id: 'q', question: 'a' }, { id: 'q', question: 'b' }] }, /`queries\[1\]\.id`/);
    await bad({ ...ok, queries: [{ id: 'q', question: ' ' }] }, /`queries\[0\]\.question`/);
    await bad({ ...ok, qrels: [] }, /`qrels`/);
    await bad({ ...ok, qrels: { q: { d: '1' } } }, /`qrels\.q\.d`/);
    await bad({ ...ok, k: 0 }, /`k`/);
    await bad({ ...ok, k: 1.5 }, /`k`/);
    await bad({ ...ok, onProgress: 'yes' }, /`onProgress`/);
    await expectRagFlowError(rag.evaluate({ ...ok, datasetIds: ['missing'] }), 102, /missing/);
  });

  it('stops when the signal is aborted', async () => {
    const controller = new AbortController();
    const queries = [1, 2, 3].map((n) => ({ id: `q${n}`, question: 'glaciers' }));
    const run = rag.evaluate({
      datasetIds: [ds.id],
      queries,
      qrels: {},
      signal: controller.signal,
      onProgress: (done) => done === 1 && controller.abort(),
    });
    await expect(run).rejects.toThrow(/abort/i);
  });
});
