import { describe, expect, it } from 'vitest';
import { ErrorCode, RagFlowError, isAbortError } from '../../src/errors.js';
import { embedTexts } from '../../src/embed/batch.js';
import { HashEmbeddingModel } from '../../src/embed/hash.js';
import type { EmbeddingModel, EmbedOptions, EmbedResult } from '../../src/embed/types.js';

/** A model that records its calls and answers with vectors of a chosen width. */
function recordingModel(maxBatchSize: number, width: (text: string) => number = () => 3) {
  const calls: string[][] = [];
  const model: EmbeddingModel = {
    id: 'fake@Test',
    dimensions: undefined,
    maxBatchSize,
    async embed(texts: readonly string[], options?: EmbedOptions): Promise<EmbedResult> {
      options?.signal?.throwIfAborted();
      calls.push([...texts]);
      return { embeddings: texts.map((t) => new Float32Array(width(t)).fill(t.length)), tokens: texts.length * 2 };
    },
  };
  return { model, calls };
}

describe('embedTexts', () => {
  it('splits into batches of the model limit, keeps order and sums tokens', async () => {
    const { model, calls } = recordingModel(2);
    const texts = ['a', 'bb', 'ccc', 'dddd', 'eeeee'];
    const progress: [number, number][] = [];
    const { embeddings, tokens } = await embedTexts(model, texts, { onProgress: (d, t) => progress.push([d, t]) });
    expect(calls).toEqual([['a', 'bb'], ['ccc', 'dddd'], ['eeeee']]);
    expect(embeddings.map((v) => v[0])).toEqual([1, 2, 3, 4, 5]);
    expect(tokens).toBe(10);
    expect(progress).toEqual([
      [2, 5],
      [4, 5],
      [5, 5],
    ]);
  });

  it('does not call the model for no texts', async () => {
    const { model, calls } = recordingModel(2);
    expect(await embedTexts(model, [])).toEqual({ embeddings: [], tokens: 0 });
    expect(calls).toEqual([]);
  });

  it('refuses vectors of different dimensions, naming the model', async () => {
    const { model } = recordingModel(2, (t) => (t === 'odd' ? 4 : 3));
    const error = await embedTexts(model, ['a', 'b', 'odd']).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(RagFlowError);
    expect((error as RagFlowError).code).toBe(ErrorCode.Exception);
    expect((error as RagFlowError).message).toMatch(/fake@Test returned vectors of different dimensions \(3 and 4\)/);
  });

  it('refuses vectors that do not match the dimensions a model declares', async () => {
    const model = new HashEmbeddingModel({ dimensions: 8 });
    const liar: EmbeddingModel = { ...model, id: model.id, dimensions: 16, maxBatchSize: 4, embed: (t, o) => model.embed(t, o) };
    await expect(embedTexts(liar, ['x'])).rejects.toThrow(/different dimensions \(16 and 8\)/);
  });

  it('refuses a batch answered with the wrong number of vectors', async () => {
    const model: EmbeddingModel = {
      id: 'short@Test',
      dimensions: undefined,
      maxBatchSize: 10,
      embed: async () => ({ embeddings: [new Float32Array(2)], tokens: 0 }),
    };
    await expect(embedTexts(model, ['a', 'b'])).rejects.toThrow(/short@Test returned 1 vectors for 2 texts/);
  });

  it('stops between batches when the signal aborts', async () => {
    const { model, calls } = recordingModel(1);
    const controller = new AbortController();
    const error = await embedTexts(model, ['a', 'b', 'c', 'd'], {
      signal: controller.signal,
      onProgress: (done) => {
        if (done === 2) controller.abort();
      },
    }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(isAbortError(error)).toBe(true);
    expect(calls).toHaveLength(2);
  });

  it('works end to end with the hash model', async () => {
    const texts = Array.from({ length: 2500 }, (_, i) => `chunk ${i}`);
    const { embeddings, tokens } = await embedTexts(new HashEmbeddingModel(), texts);
    expect(embeddings).toHaveLength(2500);
    expect(tokens).toBe(5000);
  });
});
