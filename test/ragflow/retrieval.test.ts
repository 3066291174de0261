import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RagFlow } from '../../src/ragflow.js';
import type { Dataset, Document } from '../../src/types.js';
import { expectRagFlowError, openMemory, text } from './helpers.js';

let rag: RagFlow;
let ds: Dataset;
let docA: Document;
let docB: Document;

const CORPUS_A = [
  'Photosynthesis converts light energy into chemical energy in chloroplasts.',
  'Mitochondria produce ATP through cellular respiration.',
  'The Krebs cycle runs inside the mitochondrial matrix.',
];
const CORPUS_B = ['Plate tectonics explains earthquakes and volcanoes.', 'Glaciers carve U-shaped valleys.'];

beforeEach(async () => {
  rag = await openMemory();
  ds = await rag.datasets.create({ name: 'science' });
  [docA, docB] = (await rag.documents.upload(ds.id, [
    { name: 'biology.txt', data: text('b') },
    { name: 'geology.txt', data: text('g') },
  ])) as [Document, Document];
  await rag.chunks.add(ds.id, docA.id, { content: CORPUS_A });
  await rag.chunks.add(ds.id, docB.id, { content: CORPUS_B });
});
afterEach(async () => {
  await rag.close();
});

describe('retrieve', () => {
  it('ranks the matching chunk first and reports the score parts', async () => {
    const result = await rag.retrieve({ datasetIds: [ds.id], question: 'Where do mitochondria make their ATP?' });
    const top = result.chunks[0]!;
    expect(top.content).toBe(CORPUS_A[1]);
    expect(top.documentId).toBe(docA.id);
    expect(top.similarity).toBeCloseTo(0.7 * top.termSimilarity + 0.3 * top.vectorSimilarity, 10);
    for (const chunk of result.chunks) {
      for (const score of [chunk.similarity, chunk.termSimilarity, chunk.vectorSimilarity]) {
        expect(score).toBeGreaterThanOrEqual(0);
        expect(score).toBeLessThanOrEqual(1);
      }
    }
    // 'where', 'do', 'their' are stopwords; 'make' is not in the chunk: 2 of 3 terms by weight.
    expect(top.termSimilarity).toBeGreaterThan(0.5);
    expect(top.termSimilarity).toBeLessThan(1);
    const exact = await rag.retrieve({ datasetIds: [ds.id], question: 'mitochondria ATP' });
    expect(exact.chunks[0]?.termSimilarity).toBeCloseTo(1, 6);
  });

  it('weights the vector leg by vector_similarity_weight', async () => {
    const result = await rag.retrieve({
      datasetIds: [ds.id],
      question: 'mitochondria ATP',
      vectorSimilarityWeight: 0.9,
      similarityThreshold: 0,
    });
    for (const c of result.chunks) expect(c.similarity).toBeCloseTo(0.1 * c.termSimilarity + 0.9 * c.vectorSimilarity, 10);
  });

  it('drops chunks below the threshold and counts the rest in total and doc_aggs', async () => {
    const question = 'mitochondria energy';
    const loose = await rag.retrieve({ datasetIds: [ds.id], question, similarityThreshold: 0 });
    const cut = ((loose.chunks[0]?.similarity ?? 0) + (loose.chunks.at(-1)?.similarity ?? 0)) / 2;
    const strict = await rag.retrieve({ datasetIds: [ds.id], question, similarityThreshold: cut });
    expect(strict.total).toBeGreaterThan(0);
    expect(strict.total).toBeLessThan(loose.total);
    expect(strict.total).toBe(loose.chunks.filter((c) => c.similarity >= cut).length);
    for (const c of strict.chunks) expect(c.similarity).toBeGreaterThanOrEqual(cut);
    expect(strict.docAggs.reduce((n, a) => n + a.count, 0)).toBe(strict.total);
    expect(strict.docAggs[0]).toEqual({ docName: 'biology.txt', docId: docA.id, count: expect.any(Number) });
    expect(loose.docAggs.reduce((n, a) => n + a.count, 0)).toBe(loose.total);
  });

  it('pages through the ranked list', async () => {
    const all = await rag.retrieve({ datasetIds: [ds.id], question: 'energy mitochondria glaciers', similarityThreshold: 0 });
    const p2 = await rag.retrieve({
      datasetIds: [ds.id],
      question: 'energy mitochondria glaciers',
      similarityThreshold: 0,
      page: 2,
      pageSize: 2,
    });
    expect(p2.chunks.map((c) => c.id)).toEqual(all.chunks.slice(2, 4).map((c) => c.id));
    expect(p2.total).toBe(all.total);
  });

  it('restricts to the given documents and refuses unknown ones', async () => {
    const result = await rag.retrieve({
      datasetIds: [ds.id],
      question: 'energy valleys earthquakes',
      documentIds: [docB.id],
      similarityThreshold: 0,
    });
    expect(result.chunks.length).toBeGreaterThan(0);
    for (const c of result.chunks) expect(c.documentId).toBe(docB.id);
    await expectRagFlowError(rag.retrieve({ datasetIds: [ds.id], question: 'x', documentIds: ['nope'] }), 102, /nope/);
  });

  it('hides disabled documents', async () => {
    await rag.documents.update(ds.id, docA.id, { enabled: false });
    const result = await rag.retrieve({ datasetIds: [ds.id], question: 'mitochondria', similarityThreshold: 0 });
    for (const c of result.chunks) expect(c.documentId).toBe(docB.id);
  });

  it('highlights matched words when asked', async () => {
    const result = await rag.retrieve({ datasetIds: [ds.id], question: 'glacier valleys', highlight: true });
    expect(result.chunks[0]?.highlight).toBe('<em>Glaciers</em> carve U-shaped <em>valleys</em>.');
    const plain = await rag.retrieve({ datasetIds: [ds.id], question: 'glacier valleys' });
    expect(plain.chunks[0]?.highlight).toBeUndefined();
  });

  it('answers a blank question with nothing, and validates its input', async () => {
    expect(await rag.retrieve({ datasetIds: [ds.id], question: '  ' })).toEqual({ chunks: [], docAggs: [], total: 0 });
    await expectRagFlowError(rag.retrieve({ datasetIds: [], question: 'x' }), 101, /dataset_ids/);
    await expectRagFlowError(rag.retrieve({ datasetIds: ['nope'], question: 'x' }), 102, /not found/);
    await expectRagFlowError(rag.retrieve({ datasetIds: [ds.id], question: 'x', topK: 0 }), 101, /top_k/);
    await expectRagFlowError(rag.retrieve({ datasetIds: [ds.id], question: 'x', similarityThreshold: -1 }), 101);
    await expectRagFlowError(rag.retrieve({ datasetIds: [ds.id], question: 'x', rerankId: 'bge' }), 102, /Rerank/);
  });

  it('searches several datasets but refuses mixed embedding models', async () => {
    const other = await rag.datasets.create({ name: 'other' });
    const [doc] = await rag.documents.upload(other.id, { name: 'astro.txt', data: text('a') });
    await rag.chunks.add(other.id, doc!.id, { content: 'Mitochondria are not found in stars.' });
    const both = await rag.retrieve({ datasetIds: [ds.id, other.id], question: 'mitochondria', similarityThreshold: 0 });
    expect(new Set(both.chunks.map((c) => c.datasetId))).toEqual(new Set([ds.id, other.id]));
    const foreign = await rag.datasets.create({ name: 'ollama', embeddingModel: 'nomic-embed-text@Ollama' });
    await expectRagFlowError(rag.retrieve({ datasetIds: [ds.id, foreign.id], question: 'x' }), 102, /different embedding/);
  });

  it('finds Chinese and Japanese text by segmented words', async () => {
    const [doc] = await rag.documents.upload(ds.id, { name: 'cjk.txt', data: text('c') });
    await rag.chunks.add(ds.id, doc!.id, {
      content: ['北京是中国的首都，有很多名胜古迹。', '東京は日本の首都です。', 'Paris is the capital of France.'],
    });
    const zh = await rag.retrieve({ datasetIds: [ds.id], question: '中国的首都是哪里？' });
    expect(zh.chunks[0]?.content).toBe('北京是中国的首都，有很多名胜古迹。');
    const ja = await rag.retrieve({ datasetIds: [ds.id], question: '日本の首都' });
    expect(ja.chunks[0]?.content).toBe('東京は日本の首都です。');
  });

  it("defaults threshold and weight to the dataset's own settings", async () => {
    await rag.datasets.update(ds.id, { similarityThreshold: 0, vectorSimilarityWeight: 0.5 });
    const result = await rag.retrieve({ datasetIds: [ds.id], question: 'mitochondria' });
    expect(result.total).toBe(CORPUS_A.length + CORPUS_B.length);
    for (const c of result.chunks) expect(c.similarity).toBeCloseTo(0.5 * c.termSimilarity + 0.5 * c.vectorSimilarity, 10);
  });

  it('does not embed the question when the vector weight is 0', async () => {
    const { ControlledModel } = await import('./test-models.js');
    const model = new ControlledModel();
    const local = await openMemory({ embeddingModels: [model] });
    try {
      const kb = await local.datasets.create({ name: 'kb', embeddingModel: model.id });
      const [doc] = await local.documents.upload(kb.id, { name: 'a.txt', data: text('a') });
      await local.chunks.add(kb.id, doc!.id, { content: 'Krypton is a noble gas.' });
      const calls = model.calls;
      const result = await local.retrieve({ datasetIds: [kb.id], question: 'krypton', vectorSimilarityWeight: 0 });
      expect(model.calls).toBe(calls);
      expect(result.chunks[0]).toMatchObject({ similarity: expect.closeTo(1, 6), vectorSimilarity: 0 });
    } finally {
      await local.close();
    }
  });
});
