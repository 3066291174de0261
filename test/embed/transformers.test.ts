import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi, type MockInstance } from 'vitest';
import { ErrorCode, RagFlowError } from '../../src/errors.js';
import { acquireExtractor } from '../../src/embed/transformers-loader.js';
import { TransformersEmbeddingModel } from '../../src/embed/transformers.js';
import { TINY_HIDDEN_SIZE, writeTinyModel, type TinyModel } from '../fixtures/tiny-model.js';
import { describeEmbeddingModelContract, maxAbsDiff } from './contract.js';

// Installed before transformers.js is first imported, so any download attempt is seen.
let fetchSpy: MockInstance<typeof fetch>;
let tiny: TinyModel;
let cacheDir: string;

beforeAll(async () => {
  fetchSpy = vi.spyOn(globalThis, 'fetch');
  tiny = await writeTinyModel();
  cacheDir = await mkdtemp(join(tmpdir(), 'ragflow-hf-cache-'));
});
afterAll(async () => {
  fetchSpy.mockRestore();
  await tiny.cleanup();
  await rm(cacheDir, { recursive: true, force: true });
});

const offline = () => ({ localModelPath: tiny.root, cacheDir, allowRemoteModels: false });

describeEmbeddingModelContract('transformers.js (tiny local BERT)', async () => {
  const model = new TransformersEmbeddingModel(tiny.modelId, offline());
  return { model, cleanup: () => model.close() };
});

/** What the tiny model must return: the normalised mean of the rows it looks up. */
function expected(tokens: string[]): Float32Array {
  const sum = new Float64Array(TINY_HIDDEN_SIZE);
  for (const token of ['[CLS]', ...tokens, '[SEP]']) {
    const id = tiny.vocab.get(token);
    if (id === undefined) throw new Error(`test bug: "${token}" is not in the tiny vocabulary`);
    for (let j = 0; j < TINY_HIDDEN_SIZE; j++) sum[j]! += tiny.table[id * TINY_HIDDEN_SIZE + j]!;
  }
  const mean = sum.map((x) => x / (tokens.length + 2));
  const length = Math.sqrt(mean.reduce((s, x) => s + x * x, 0));
  return Float32Array.from(mean, (x) => x / length);
}

describe('TransformersEmbeddingModel', () => {
  it('computes mean-pooled, normalised embeddings exactly, offline, without any fetch', async () => {
    const model = new TransformersEmbeddingModel(tiny.modelId, offline());
    try {
      expect(model.id).toBe('local/tiny-bert@Builtin');
      expect(model.dimensions).toBeUndefined();
      const { embeddings, tokens } = await model.embed(['Hello world', 'the quick brown fox jumps over the lazy cats!']);
      expect(maxAbsDiff(embeddings[0]!, expected(['hello', 'world']))).toBeLessThan(1e-6);
      // Batched with a longer text: padding must not leak into the mean.
      expect(
        maxAbsDiff(
          embeddings[1]!,
          expected(['the', 'quick', 'brown', 'fox', 'jumps', 'over', 'the', 'lazy', 'cat', '##s', '!']),
        ),
      ).toBeLessThan(1e-6);
      expect(tokens).toBe(4 + 13);
      expect(model.dimensions).toBe(TINY_HIDDEN_SIZE);
      expect(fetchSpy).not.toHaveBeenCalled();
    } finally {
      await model.close();
    }
  });

  it('splits inputs larger than its batch limit', async () => {
    const model = new TransformersEmbeddingModel(tiny.modelId, offline());
    try {
      const texts = Array.from({ length: model.maxBatchSize * 2 + 3 }, (_, i) => (i % 2 ? 'hello world' : 'red fox'));
      const { embeddings } = await model.embed(texts);
      expect(embeddings).toHaveLength(texts.length);
      expect(maxAbsDiff(embeddings[texts.length - 1]!, expected(['red', 'fox']))).toBeLessThan(1e-6);
    } finally {
      await model.close();
    }
  });

  it('loads a model once per process, even for concurrent first calls', async () => {
    const first = acquireExtractor(tiny.modelId, offline());
    const second = acquireExtractor(tiny.modelId, offline());
    try {
      expect(second.extractor).toBe(first.extractor);
      const a = new TransformersEmbeddingModel(tiny.modelId, offline());
      const b = new TransformersEmbeddingModel(tiny.modelId, offline());
      const [ra, rb] = await Promise.all([a.embed(['hello']), b.embed(['hello'])]);
      expect(maxAbsDiff(ra.embeddings[0]!, rb.embeddings[0]!)).toBe(0);
      await Promise.all([a.close(), b.close()]);
    } finally {
      await first.release();
      await second.release();
    }
  });

  it('disposes the pipeline when its last holder closes, and reloads on next use', async () => {
    const lease = acquireExtractor(tiny.modelId, offline());
    const extractor = await lease.extractor;
    const dispose = vi.spyOn(extractor as { dispose(): Promise<void> }, 'dispose');
    await lease.release();
    await lease.release();
    expect(dispose).toHaveBeenCalledTimes(1);
    const again = acquireExtractor(tiny.modelId, offline());
    expect(again.extractor).not.toBe(lease.extractor);
    await again.release();
  });

  it('explains a model that cannot be loaded offline', async () => {
    const model = new TransformersEmbeddingModel('nobody/no-such-model', offline());
    const error = await model.embed(['hello']).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(RagFlowError);
    expect((error as RagFlowError).code).toBe(ErrorCode.Data);
    expect((error as RagFlowError).message).toMatch(/^Embedding model "nobody\/no-such-model" could not be loaded: /);
    expect((error as RagFlowError).message).toMatch(/Hugging Face Hub on first use; offline, put a copy under localModelPath/);
    expect((error as RagFlowError).message).toContain(join(tiny.root, 'nobody/no-such-model'));
    expect(fetchSpy).not.toHaveBeenCalled();
    // A failed load is not cached as a failure forever: the next call tries again (and fails the same way).
    await expect(model.embed(['hello'])).rejects.toThrow(/could not be loaded/);
    // Failing "the same way" would also hold if the failure were cached; once the files are there,
    // only a fresh load can succeed.
    await cp(join(tiny.root, tiny.modelId), join(tiny.root, 'nobody/no-such-model'), { recursive: true });
    try {
      const { embeddings } = await model.embed(['hello']);
      expect(maxAbsDiff(embeddings[0]!, expected(['hello']))).toBeLessThan(1e-6);
    } finally {
      await model.close();
    }
  });

  it('leaves the global transformers.js env as it found it', async () => {
    const { env } = await import('@huggingface/transformers');
    const before = { localModelPath: env.localModelPath, allowRemoteModels: env.allowRemoteModels, cacheDir: env.cacheDir };
    const model = new TransformersEmbeddingModel(tiny.modelId, { ...offline(), dtype: 'fp32' });
    await model.embed(['hello']);
    await model.close();
    expect({ localModelPath: env.localModelPath, allowRemoteModels: env.allowRemoteModels, cacheDir: env.cacheDir }).toEqual(
      before,
    );
  });
});
