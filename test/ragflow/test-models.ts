import { HashEmbeddingModel } from '../../src/embed/hash.js';
import type { EmbeddingModel, EmbedOptions, EmbedResult } from '../../src/embed/types.js';

/**
 * An embedder for parse tests: the hash model's vectors, but each batch takes `delayMs` (so a
 * parse can be stopped mid-way) and it fails on demand (so a parse can fail after extraction).
 */
export class ControlledModel implements EmbeddingModel {
  readonly id = 'controlled@Test';
  readonly dimensions = 64;
  readonly maxBatchSize = 2;
  delayMs = 0;
  failWith: string | undefined;
  calls = 0;
  private readonly inner = new HashEmbeddingModel({ dimensions: 64 });

  async embed(texts: readonly string[], options: EmbedOptions = {}): Promise<EmbedResult> {
    this.calls++;
    if (this.delayMs > 0) {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(resolve, this.delayMs);
        options.signal?.addEventListener(
          'abort',
          () => {
            clearTimeout(timer);
            reject(options.signal?.reason);
          },
          { once: true },
        );
      });
    }
    if (this.failWith) throw new Error(this.failWith);
    return this.inner.embed(texts, options);
  }
}
