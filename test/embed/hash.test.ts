import { describe, expect, it } from 'vitest';
import { isAbortError } from '../../src/errors.js';
import { HASH_DEFAULT_DIMENSIONS, HashEmbeddingModel, hashVector } from '../../src/embed/hash.js';
import { cosine, describeEmbeddingModelContract } from './contract.js';

describeEmbeddingModelContract('hash@Builtin', async () => ({
  model: new HashEmbeddingModel(),
  cleanup: async () => {},
}));

const norm = (v: Float32Array): number => Math.sqrt(v.reduce((s, x) => s + x * x, 0));

describe('hash@Builtin', () => {
  it('knows its id and dimensions before any call', () => {
    const model = new HashEmbeddingModel();
    expect(model.id).toBe('hash@Builtin');
    expect(model.dimensions).toBe(HASH_DEFAULT_DIMENSIONS);
    expect(HASH_DEFAULT_DIMENSIONS).toBe(256);
  });

  it('honours a configured dimension and rejects a nonsensical one', async () => {
    const model = new HashEmbeddingModel({ dimensions: 64 });
    const { embeddings } = await model.embed(['hello world']);
    expect(embeddings[0]).toHaveLength(64);
    expect(() => new HashEmbeddingModel({ dimensions: 0 })).toThrow(/positive integer/);
    expect(() => new HashEmbeddingModel({ dimensions: 2.5 })).toThrow(/positive integer/);
  });

  it('L2-normalises non-empty texts', () => {
    for (const text of ['hello', 'The quick brown fox', '检索增强生成', 'x'.repeat(500)]) {
      expect(norm(hashVector(text, 256).vector)).toBeCloseTo(1, 5);
    }
  });

  it('maps empty and punctuation-only text to an all-zero vector', async () => {
    const { embeddings, tokens } = await new HashEmbeddingModel().embed(['', '   \n\t', '?!...']);
    for (const vector of embeddings) {
      expect(vector).toHaveLength(256);
      expect(vector.every((x) => x === 0)).toBe(true);
    }
    expect(tokens).toBe(0);
  });

  it('counts word terms as tokens', async () => {
    const { tokens } = await new HashEmbeddingModel().embed(['Hello, world!', 'one two three']);
    expect(tokens).toBe(5);
  });

  it('goes through the shared analyzer: stems, case and diacritics do not matter', () => {
    const a = hashVector('Running cafés', 256).vector;
    const b = hashVector('run CAFE', 256).vector;
    expect(cosine(a, b)).toBeGreaterThan(0.99);
  });

  it('rewards shared sub-words through character n-grams', () => {
    const base = hashVector('embedding', 256).vector;
    const near = hashVector('embeddings', 256).vector;
    const far = hashVector('giraffe', 256).vector;
    expect(cosine(base, near)).toBeGreaterThan(0.5);
    expect(Math.abs(cosine(base, far))).toBeLessThan(0.3);
  });

  it('damps repeated terms (1 + log tf) instead of counting them linearly', () => {
    const once = hashVector('alpha beta', 256).vector;
    const many = hashVector(`${'alpha '.repeat(50)}beta`, 256).vector;
    // Linear tf would make "beta" vanish next to 50 alphas; damped it still matters.
    expect(cosine(many, hashVector('beta', 256).vector)).toBeGreaterThan(0.15);
    expect(cosine(once, many)).toBeGreaterThan(0.7);
  });

  it('produces the same vector in any process (fixed hash, no randomness)', () => {
    // A regression anchor: changing features, weights or the hash silently invalidates stored vectors.
    const vector = hashVector('retrieval augmented generation', 256).vector;
    const nonZero = [...vector.entries()].filter(([, x]) => x !== 0).map(([i]) => i);
    expect(nonZero.length).toBeGreaterThan(10);
    const again = hashVector('retrieval augmented generation', 256).vector;
    expect([...again]).toEqual([...vector]);
    // Comparing two calls in one process cannot catch a changed hash, feature set or weight:
    // pin the sparse vector itself (bucket → value), as every stored vector depends on it.
    const sparse = Object.fromEntries(nonZero.map((i) => [i, Number(vector[i]!.toFixed(4))]));
    const [w, ww] = [0.1796, 0.3592];
    expect(sparse).toEqual({
      11: w, 25: -w, 28: w, 31: ww, 36: -w, 37: -w, 48: -w, 53: ww, 55: -w, 75: w, 83: -w,
      121: -ww, 128: w, 153: w, 160: w, 171: w, 182: -w, 190: w, 201: w, 205: w, 227: -w, 236: -w,
    });
  });

  it('yields to the event loop during a large batch', async () => {
    const texts = Array.from({ length: 6000 }, (_, i) => `document ${i} about vectors, search engines and ranking ${i * 7}`);
    let ticks = 0;
    const timer = setInterval(() => {
      ticks += 1;
    }, 1);
    let ticksWhenDone = -1;
    try {
      await new HashEmbeddingModel().embed(texts).then(() => {
        ticksWhenDone = ticks;
      });
    } finally {
      clearInterval(timer);
    }
    expect(ticksWhenDone).toBeGreaterThan(0);
  });

  it('stops a large batch when the signal aborts mid-way', async () => {
    const texts = Array.from({ length: 20000 }, (_, i) => `text number ${i} with several words in it`);
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 5);
    const error = await new HashEmbeddingModel().embed(texts, { signal: controller.signal }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(isAbortError(error)).toBe(true);
  });
});
