import { ErrorCode, RagFlowError, isAbortError } from '../errors.js';
import { errorDetail } from '../util/error-detail.js';
import { isConnectionError } from '../util/net-errors.js';
import { StatusFailure, retryPolicy, withRetries, type RetryOptions, type RetryPolicy } from '../util/retry.js';
import { toVector } from './vectors.js';
import { openAIEndpoint, openAIHeaders, requireOpenAIKey } from '../util/openai-endpoint.js';
import type { EmbeddingModel, EmbeddingProviderSettings, EmbedOptions, EmbedResult } from './types.js';

/**
 * `<model>@OpenAI`: the OpenAI embeddings endpoint, or anything that speaks it (vLLM, LM Studio,
 * LiteLLM, Azure-style gateways). Plain fetch: the wire format is one POST and not worth a dependency.
 */

export { OPENAI_DEFAULT_BASE_URL } from '../util/openai-endpoint.js';

type OpenAISettings = NonNullable<EmbeddingProviderSettings['openai']>;

export interface OpenAIEmbeddingOptions extends RetryOptions {
  /** Texts per request; default 256 (OpenAI accepts up to 2048). */
  batchSize?: number;
  /** Provider name used in `id`, e.g. 'OpenAI-API-Compatible'; default 'OpenAI'. */
  providerName?: string;
}

interface Attempt {
  embeddings: Float32Array[];
  tokens: number;
}

export class OpenAIEmbeddingModel implements EmbeddingModel {
  readonly id: string;
  readonly baseURL: string;
  readonly maxBatchSize: number;
  private readonly apiKey: string | undefined;
  private readonly retry: RetryPolicy;
  private learntDimensions: number | undefined;

  constructor(
    readonly model: string,
    private readonly settings: OpenAISettings = {},
    options: OpenAIEmbeddingOptions = {},
  ) {
    this.id = `${model}@${options.providerName ?? 'OpenAI'}`;
    ({ baseURL: this.baseURL, apiKey: this.apiKey } = openAIEndpoint(settings));
    this.maxBatchSize = positive(options.batchSize ?? 256, 'batchSize');
    this.retry = retryPolicy(options);
  }

  get dimensions(): number | undefined {
    return this.learntDimensions;
  }

  async embed(texts: readonly string[], options: EmbedOptions = {}): Promise<EmbedResult> {
    const { signal } = options;
    signal?.throwIfAborted();
    if (texts.length === 0) return { embeddings: [], tokens: 0 };
    requireOpenAIKey(this.id, this.baseURL, this.apiKey);
    const embeddings: Float32Array[] = [];
    let tokens = 0;
    for (let start = 0; start < texts.length; start += this.maxBatchSize) {
      const batch = await this.request(texts.slice(start, start + this.maxBatchSize), signal);
      embeddings.push(...batch.embeddings);
      tokens += batch.tokens;
    }
    this.learntDimensions ??= embeddings[0]?.length;
    return { embeddings, tokens };
  }

  private async request(input: string[], signal: AbortSignal | undefined): Promise<Attempt> {
    const url = `${this.baseURL}/embeddings`;
    const body = JSON.stringify({ model: this.model, input, encoding_format: 'float' });
    const headers = openAIHeaders(this.apiKey, 'application/json', this.settings.headers);

    const send = async (): Promise<string> => {
      signal?.throwIfAborted();
      let response: Response;
      let text: string;
      try {
        response = await fetch(url, { method: 'POST', headers, body, ...(signal ? { signal } : {}) });
        text = await response.text();
      } catch (error) {
        throw this.transportError(error, signal);
      }
      if (!response.ok) throw new StatusFailure(response.status, errorDetail(text), response.headers.get('retry-after'));
      return text;
    };
    try {
      return this.parse(await withRetries(send, this.retry, signal), input.length);
    } catch (error) {
      if (!(error instanceof StatusFailure)) throw error;
      throw this.statusError(error);
    }
  }

  private parse(text: string, expected: number): Attempt {
    let payload: unknown;
    try {
      payload = JSON.parse(text);
    } catch {
      throw new RagFlowError(
        ErrorCode.Exception,
        `${this.source()} returned malformed JSON (is ${this.baseURL} an OpenAI-compatible API?): ${text.slice(0, 120)}`,
      );
    }
    const data = (payload as { data?: unknown } | null)?.data;
    if (!Array.isArray(data) || data.length !== expected) {
      const got = Array.isArray(data) ? `${data.length} embeddings` : 'no "data" list';
      throw new RagFlowError(ErrorCode.Exception, `${this.source()} returned ${got} for ${expected} texts`);
    }
    // `index` is authoritative: the API does not promise to answer in input order.
    const ordered = data
      .map((item: unknown, position) => {
        const entry = item as { index?: unknown; embedding?: unknown } | null;
        return { index: typeof entry?.index === 'number' ? entry.index : position, embedding: entry?.embedding };
      })
      .sort((a, b) => a.index - b.index);
    const embeddings = ordered.map((entry, position) => {
      if (entry.index !== position) {
        throw new RagFlowError(ErrorCode.Exception, `${this.source()} returned embeddings with missing or repeated indexes`);
      }
      return typeof entry.embedding === 'string'
        ? decodeBase64(entry.embedding)
        : toVector(entry.embedding, position, this.source());
    });
    const usage = (payload as { usage?: { prompt_tokens?: unknown } }).usage;
    const tokens = typeof usage?.prompt_tokens === 'number' ? usage.prompt_tokens : 0;
    return { embeddings, tokens };
  }

  private transportError(error: unknown, signal: AbortSignal | undefined): unknown {
    if (signal?.aborted) return signal.reason;
    if (isAbortError(error)) return error;
    if (isConnectionError(error)) {
      return new RagFlowError(ErrorCode.Exception, `The embedding API ${this.id} is not reachable at ${this.baseURL}`, {
        cause: error,
      });
    }
    const detail = error instanceof Error ? error.message : String(error);
    return new RagFlowError(ErrorCode.Exception, `${this.source()} request failed: ${detail}`, { cause: error });
  }

  private statusError(failure: StatusFailure): RagFlowError {
    const { status, detail, attempts } = failure;
    const suffix = detail ? `: ${detail}` : '';
    if (status === 401 || status === 403) {
      return new RagFlowError(
        ErrorCode.Data,
        `${this.source()} rejected the API key (HTTP ${status}); check providers.openai.apiKey or OPENAI_API_KEY${suffix}`,
      );
    }
    if (status === 404) {
      return new RagFlowError(
        ErrorCode.Data,
        `${this.source()} does not know the embedding model "${this.model}" (HTTP 404; check the model name and baseURL)${suffix}`,
      );
    }
    if (failure.retryable) {
      const what = status === 429 ? 'kept rate-limiting' : 'kept failing';
      return new RagFlowError(
        ErrorCode.Exception,
        `${this.source()} ${what} the embedding request (HTTP ${status}, ${attempts} attempts)${suffix}`,
      );
    }
    return new RagFlowError(ErrorCode.Data, `${this.source()} rejected the embedding request (HTTP ${status})${suffix}`);
  }

  private source(): string {
    return `The embedding API at ${this.baseURL} (${this.id})`;
  }
}

/** Some compatible servers answer base64 regardless of encoding_format: little-endian float32. */
function decodeBase64(value: string): Float32Array {
  const bytes = Buffer.from(value, 'base64');
  const vector = new Float32Array(bytes.length >> 2);
  for (let i = 0; i < vector.length; i++) vector[i] = bytes.readFloatLE(i * 4);
  return vector;
}

function positive(value: number, name: string): number {
  if (!Number.isInteger(value) || value < 1) {
    throw new RagFlowError(ErrorCode.Argument, `${name} must be a positive integer, got ${String(value)}`);
  }
  return value;
}
