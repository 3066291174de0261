import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isAbortError } from '../../src/errors.js';
import type { ChatModel, ChatRequest } from '../../src/llm/types.js';

/**
 * What every chat provider must do, whatever sits behind it. Each provider's test file runs this
 * once against a wire-faithful fake backend (or, for extractive@Builtin, against grounding).
 */

export interface ChatContractSubject {
  model: ChatModel;
  /** An ordinary request with a deterministic answer of at least two deltas. */
  request: ChatRequest;
  /** A request whose stream lasts long enough to be aborted after its first delta. */
  longRequest: ChatRequest;
  cleanup(): Promise<void>;
}

export async function collect(stream: AsyncIterable<string>): Promise<string[]> {
  const deltas: string[] = [];
  for await (const delta of stream) deltas.push(delta);
  return deltas;
}

export const failure = async (work: Promise<unknown>): Promise<unknown> =>
  work.then(
    () => undefined,
    (e: unknown) => e,
  );

export function describeChatModelContract(label: string, makeModel: () => Promise<ChatContractSubject>): void {
  describe(`${label}: ChatModel contract`, () => {
    let subject: ChatContractSubject | undefined;
    const get = (): ChatContractSubject => {
      if (!subject) throw new Error('contract subject was not created');
      return subject;
    };

    beforeAll(async () => {
      subject = await makeModel();
    });
    afterAll(async () => {
      await subject?.cleanup();
    });

    it('has a model@provider id and a positive context window', () => {
      expect(get().model.id).toMatch(/^.+@.+$/);
      expect(Number.isInteger(get().model.contextTokens)).toBe(true);
      expect(get().model.contextTokens).toBeGreaterThan(0);
    });

    it('generates text', async () => {
      const { text } = await get().model.generate(get().request);
      expect(typeof text).toBe('string');
      expect(text.trim()).not.toBe('');
    });

    it('streams deltas that add up to what generate returns', async () => {
      const { model, request } = get();
      const { text } = await model.generate(request);
      const deltas = await collect(model.stream(request));
      expect(deltas.length).toBeGreaterThanOrEqual(2);
      expect(deltas.every((d) => typeof d === 'string' && d !== '')).toBe(true);
      expect(deltas.join('')).toBe(text);
    });

    it('is deterministic', async () => {
      const { model, request } = get();
      expect((await model.generate(request)).text).toBe((await model.generate(request)).text);
    });

    it('rejects at once when the signal is already aborted', async () => {
      const { model, request } = get();
      const controller = new AbortController();
      controller.abort();
      const aborted = { ...request, signal: controller.signal };
      expect(isAbortError(await failure(model.generate(aborted)))).toBe(true);
      expect(isAbortError(await failure(collect(model.stream(aborted))))).toBe(true);
    });

    it('stops within 100 ms and throws when aborted mid-stream', async () => {
      const { model, longRequest } = get();
      const controller = new AbortController();
      const deltas: string[] = [];
      let abortedAt = 0;
      const error = await failure(
        (async () => {
          for await (const delta of model.stream({ ...longRequest, signal: controller.signal })) {
            deltas.push(delta);
            if (deltas.length === 1) {
              controller.abort();
              abortedAt = performance.now();
            }
          }
        })(),
      );
      const elapsed = performance.now() - abortedAt;
      expect(deltas).toHaveLength(1);
      expect(isAbortError(error)).toBe(true);
      expect(error).toBe(controller.signal.reason);
      expect(elapsed).toBeLessThan(100);
    });

    it('runs concurrent streams independently: aborting one leaves the other whole', async () => {
      const { model, request, longRequest } = get();
      const controller = new AbortController();
      const doomed = model.stream({ ...longRequest, signal: controller.signal })[Symbol.asyncIterator]();
      expect((await doomed.next()).done).toBe(false);
      const whole = collect(model.stream(request));
      controller.abort();
      expect(isAbortError(await failure(doomed.next()))).toBe(true);
      expect((await whole).join('')).toBe((await model.generate(request)).text);
    });
  });
}
