import { ErrorCode, RagFlowError, isAbortError } from '../errors.js';
import { isConnectionError } from '../util/net-errors.js';
import { importOptional } from '../util/optional-import.js';
import { checkVectors } from './vectors.js';
import type { EmbeddingModel, EmbeddingProviderSettings, EmbedOptions, EmbedResult } from './types.js';

/** `<model>@Ollama`: embeddings from a local (or remote) Ollama server via the `ollama` package. */

export const OLLAMA_DEFAULT_HOST = 'http://127.0.0.1:11434';
const OLLAMA_DEFAULT_PORT = '11434';

type OllamaSettings = NonNullable<EmbeddingProviderSettings['ollama']>;

// Structural view of the parts of the package used here, so its types are not needed at build time.
interface OllamaClient {
  embed(request: { model: string; input: string[] }): Promise<{ embeddings?: unknown; prompt_eval_count?: unknown }>;
}
interface OllamaModule {
  Ollama: new (config: { host: string; headers?: Record<string, string>; fetch?: typeof fetch }) => OllamaClient;
}

export class OllamaEmbeddingModel implements EmbeddingModel {
  readonly id: string;
  readonly host: string;
  readonly maxBatchSize = 32;
  private learntDimensions: number | undefined;

  constructor(
    readonly model: string,
    private readonly settings: OllamaSettings = {},
  ) {
    this.id = `${model}@Ollama`;
    this.host = resolveOllamaHost(settings.host ?? process.env['OLLAMA_HOST']);
  }

  get dimensions(): number | undefined {
    return this.learntDimensions;
  }

  async embed(texts: readonly string[], options: EmbedOptions = {}): Promise<EmbedResult> {
    const { signal } = options;
    signal?.throwIfAborted();
    if (texts.length === 0) return { embeddings: [], tokens: 0 };
    const { Ollama } = await importOptional<OllamaModule>('ollama', `Embedding model "${this.id}"`);
    // The client's own abort() only reaches streamed requests, so the signal goes in through fetch.
    // A client per call also keeps concurrent calls from cancelling each other.
    const client = new Ollama({
      host: this.host,
      ...(this.settings.headers ? { headers: this.settings.headers } : {}),
      ...(signal ? { fetch: (input, init) => fetch(input, { ...init, signal }) } : {}),
    });

    const embeddings: Float32Array[] = [];
    let tokens = 0;
    for (let start = 0; start < texts.length; start += this.maxBatchSize) {
      signal?.throwIfAborted();
      const input = texts.slice(start, start + this.maxBatchSize);
      let response: Awaited<ReturnType<OllamaClient['embed']>>;
      try {
        response = await client.embed({ model: this.model, input });
      } catch (error) {
        throw this.translate(error, signal);
      }
      embeddings.push(...checkVectors(response.embeddings, input.length, `Ollama at ${this.host} (${this.id})`));
      if (typeof response.prompt_eval_count === 'number') tokens += response.prompt_eval_count;
    }
    this.learntDimensions ??= embeddings[0]?.length;
    return { embeddings, tokens };
  }

  private translate(error: unknown, signal: AbortSignal | undefined): unknown {
    if (signal?.aborted) return signal.reason;
    if (isAbortError(error) || error instanceof RagFlowError) return error;
    if (isConnectionError(error)) {
      return new RagFlowError(ErrorCode.Exception, `Ollama is not reachable at ${this.host} — is it running?`, {
        cause: error,
      });
    }
    const status = (error as { status_code?: unknown }).status_code;
    const detail = error instanceof Error ? error.message : String(error);
    if (status === 404) {
      return new RagFlowError(ErrorCode.Data, `Ollama has no model "${this.model}" — run: ollama pull ${this.model}`, {
        cause: error,
      });
    }
    if (typeof status === 'number' && status >= 400 && status < 500) {
      return new RagFlowError(
        ErrorCode.Data,
        `Ollama at ${this.host} rejected the embedding request for "${this.model}" (HTTP ${status}): ${detail}`,
        { cause: error },
      );
    }
    if (error instanceof SyntaxError) {
      return new RagFlowError(ErrorCode.Exception, `Ollama at ${this.host} returned malformed JSON: ${detail}`, {
        cause: error,
      });
    }
    const code = typeof status === 'number' ? ` (HTTP ${status})` : '';
    return new RagFlowError(ErrorCode.Exception, `Ollama at ${this.host} failed to embed with "${this.model}"${code}: ${detail}`, {
      cause: error,
    });
  }
}

/**
 * Same reading of OLLAMA_HOST as the Ollama CLI: a bare host gets http:// and port 11434,
 * ":PORT" means localhost, an explicit URL is taken as is.
 */
export function resolveOllamaHost(configured: string | undefined): string {
  const raw = configured?.trim() || OLLAMA_DEFAULT_HOST;
  const explicit = raw.includes('://');
  const withScheme = explicit ? raw : `http://${raw.startsWith(':') ? `127.0.0.1${raw}` : raw}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    throw new RagFlowError(ErrorCode.Argument, `Ollama host "${raw}" is not a valid URL (e.g. ${OLLAMA_DEFAULT_HOST})`);
  }
  if (!explicit && !url.port) url.port = OLLAMA_DEFAULT_PORT;
  return url.toString().replace(/\/+$/, '');
}
