import { ErrorCode, RagFlowError } from '../errors.js';
import { raceAbort } from '../util/abort.js';
import { acquireExtractor, type ExtractorLease, type FeatureExtractor, type TransformersSettings } from './transformers-loader.js';
import type { EmbeddingModel, EmbedOptions, EmbedResult } from './types.js';

/**
 * `<hf-id>@Builtin`: any Hugging Face model transformers.js can run, in-process. Mean pooling and
 * L2 normalisation match how sentence-transformers models (bge, e5, MiniLM) are meant to be used.
 */
export class TransformersEmbeddingModel implements EmbeddingModel {
  readonly id: string;
  readonly maxBatchSize = 32;
  private learntDimensions: number | undefined;
  private lease: ExtractorLease | undefined;

  constructor(
    readonly modelId: string,
    private readonly settings: TransformersSettings = {},
  ) {
    this.id = `${modelId}@Builtin`;
  }

  get dimensions(): number | undefined {
    return this.learntDimensions;
  }

  async embed(texts: readonly string[], options: EmbedOptions = {}): Promise<EmbedResult> {
    const { signal } = options;
    signal?.throwIfAborted();
    if (texts.length === 0) return { embeddings: [], tokens: 0 };
    const extractor = await raceAbort(this.extractor(), signal);
    const embeddings: Float32Array[] = [];
    let tokens = 0;
    // Callers normally split (embedTexts); chunking again here only guards direct calls against
    // padding a huge batch to its longest text.
    for (let start = 0; start < texts.length; start += this.maxBatchSize) {
      signal?.throwIfAborted();
      const input = texts.slice(start, start + this.maxBatchSize);
      const output = await extractor(input, { pooling: 'mean', normalize: true });
      embeddings.push(...splitRows(output.data, output.dims, input.length, this.id));
      tokens += countTokens(extractor, input);
    }
    this.learntDimensions ??= embeddings[0]?.length;
    return { embeddings, tokens };
  }

  async close(): Promise<void> {
    const lease = this.lease;
    this.lease = undefined;
    await lease?.release();
  }

  private extractor(): Promise<FeatureExtractor> {
    if (!this.lease) {
      const lease = acquireExtractor(this.modelId, this.settings);
      this.lease = lease;
      // Forget a failed load so the next call tries again (the loader has dropped it too).
      lease.extractor.catch(() => {
        if (this.lease === lease) this.lease = undefined;
        void lease.release();
      });
    }
    return this.lease.extractor;
  }
}

function splitRows(data: ArrayLike<number | bigint>, dims: readonly number[], rows: number, id: string): Float32Array[] {
  const width = dims[dims.length - 1] ?? 0;
  if (dims.length !== 2 || dims[0] !== rows || width < 1 || data.length !== rows * width) {
    throw new RagFlowError(
      ErrorCode.Exception,
      `${id} returned a tensor of shape [${dims.join(', ')}] for ${rows} texts; expected [${rows}, hidden size]`,
    );
  }
  const embeddings: Float32Array[] = [];
  for (let row = 0; row < rows; row++) {
    const vector = new Float32Array(width);
    for (let col = 0; col < width; col++) vector[col] = Number(data[row * width + col]);
    embeddings.push(vector);
  }
  return embeddings;
}

/** Real token counts (special tokens included) from the model's own tokenizer, when it exposes one. */
function countTokens(extractor: FeatureExtractor, texts: string[]): number {
  const mask = extractor.tokenizer?.(texts, { padding: true, truncation: true }).attention_mask;
  if (!mask) return 0;
  let tokens = 0;
  for (let i = 0; i < mask.data.length; i++) tokens += Number(mask.data[i]);
  return tokens;
}
