import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isAbortError } from '../../src/errors.js';
import type { EmbeddingModel } from '../../src/embed/types.js';

/**
 * What every embedding provider must do, whatever sits behind it. Each provider's test file runs
 * this once against a real (or wire-faithful fake) backend.
 */

export interface ContractSubject {
  model: EmbeddingModel;
  cleanup(): Promise<void>;
}

export interface ContractOptions {
  /** Whether nearby texts should land nearer than unrelated ones (false for random fakes). */
  meaningful?: boolean;
}

const TEXTS = [
  'the quick brown fox jumps over the lazy dog',
  'hello world',
  'stock market fell today',
  'a',
  'rain on the river bank',
];
const SIMILAR: [string, string] = ['the cat sat on the mat', 'the cat sat on a mat'];
const UNRELATED = 'stock market fell today';

export function cosine(a: Float32Array, b: Float32Array): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i] ?? 0;
    const y = b[i] ?? 0;
    dot += x * y;
    na += x * x;
    nb += y * y;
  }
  return na === 0 || nb === 0 ? 0 : dot / Math.sqrt(na * nb);
}

export function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  expect(a.length).toBe(b.length);
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs((a[i] ?? 0) - (b[i] ?? 0)));
  return max;
}

export function describeEmbeddingModelContract(
  label: string,
  makeModel: () => Promise<ContractSubject>,
  options: ContractOptions = {},
): void {
  describe(`${label}: EmbeddingModel contract`, () => {
    let subject: ContractSubject | undefined;
    const model = (): EmbeddingModel => {
      if (!subject) throw new Error('contract subject was not created');
      return subject.model;
    };

    beforeAll(async () => {
      subject = await makeModel();
    });
    afterAll(async () => {
      await subject?.cleanup();
    });

    it('has a model@provider id and a positive batch limit', () => {
      expect(model().id).toMatch(/^.+@.+$/);
      expect(model().maxBatchSize).toBeGreaterThanOrEqual(1);
    });

    it('returns one vector per input, in input order', async () => {
      const { embeddings } = await model().embed(TEXTS);
      expect(embeddings).toHaveLength(TEXTS.length);
      for (const [i, text] of TEXTS.entries()) {
        const single = await model().embed([text]);
        expect(single.embeddings).toHaveLength(1);
        expect(maxAbsDiff(embeddings[i]!, single.embeddings[0]!)).toBeLessThan(1e-5);
      }
    });

    it('gives every vector the same dimension, equal to model.dimensions once known', async () => {
      const { embeddings } = await model().embed(TEXTS);
      const width = embeddings[0]!.length;
      expect(width).toBeGreaterThan(0);
      for (const vector of embeddings) {
        expect(vector).toBeInstanceOf(Float32Array);
        expect(vector.length).toBe(width);
      }
      expect(model().dimensions).toBe(width);
    });

    it('is deterministic', async () => {
      const first = await model().embed(TEXTS);
      const second = await model().embed(TEXTS);
      for (const [i, vector] of first.embeddings.entries()) {
        expect(maxAbsDiff(vector, second.embeddings[i]!)).toBeLessThan(1e-6);
      }
    });

    it('returns finite numbers', async () => {
      const { embeddings, tokens } = await model().embed(TEXTS);
      for (const vector of embeddings) expect(vector.every((x) => Number.isFinite(x))).toBe(true);
      expect(Number.isFinite(tokens)).toBe(true);
      expect(tokens).toBeGreaterThanOrEqual(0);
    });

    it('answers an empty input with an empty result', async () => {
      const result = await model().embed([]);
      expect(result.embeddings).toEqual([]);
    });

    it('rejects when the signal is already aborted', async () => {
      const controller = new AbortController();
      controller.abort();
      const error = await model()
        .embed(['hello world'], { signal: controller.signal })
        .then(
          () => undefined,
          (e: unknown) => e,
        );
      expect(isAbortError(error)).toBe(true);
    });

    it.runIf(options.meaningful !== false)('puts similar texts closer than unrelated ones', async () => {
      const { embeddings } = await model().embed([...SIMILAR, UNRELATED]);
      const [a, b, c] = embeddings as [Float32Array, Float32Array, Float32Array];
      expect(cosine(a, b)).toBeGreaterThan(cosine(a, c));
      expect(cosine(a, b)).toBeGreaterThan(cosine(b, c));
    });
  });
}
