import { importOptional } from '../util/optional-import.js';
import { StatusFailure } from '../util/retry.js';
import { ndjsonGuard } from './ndjson-guard.js';
import type { RequestWatch } from './request-watch.js';

/** The `ollama` package's constructor, typed by each caller with the client methods it uses. */
export interface OllamaModule<Client> {
  Ollama: new (config: { host: string; headers?: Record<string, string>; fetch?: typeof fetch }) => Client;
}

export interface OllamaAttemptOptions {
  host: string;
  headers: Record<string, string> | undefined;
  /** Who needs the package, for the message when it is not installed, e.g. 'Chat model "llava@Ollama"'. */
  feature: string;
  /** Guard the NDJSON body so a malformed line fails the answer instead of being skipped. */
  streaming: boolean;
}

/**
 * One attempt on a fresh client, for the chat and vision models alike: the signal reaches every
 * request through fetch (the client's own abort() only covers streams), concurrent requests cannot
 * cancel each other, and an HTTP error becomes a StatusFailure with the status and Retry-After that
 * withRetries needs.
 */
export async function ollamaAttempt<Client, T>(
  options: OllamaAttemptOptions,
  watch: RequestWatch,
  call: (client: Client) => Promise<T>,
): Promise<T> {
  const { Ollama } = await importOptional<OllamaModule<Client>>('ollama', options.feature);
  let retryAfter: string | null = null;
  const client = new Ollama({
    host: options.host,
    ...(options.headers ? { headers: options.headers } : {}),
    fetch: async (input, init) => {
      const signal = init?.signal ? AbortSignal.any([init.signal, watch.signal]) : watch.signal;
      // A retry starts a fresh wait: the backoff before it was not the server's silence.
      watch.touch();
      const response = await fetch(input, { ...init, signal });
      watch.touch();
      retryAfter = response.headers.get('retry-after');
      if (response.ok) watch.markAnswered();
      if (!options.streaming || !response.ok || !response.body) return response;
      const { status, statusText, headers } = response;
      const guarded = response.body.pipeThrough(ndjsonGuard(`Ollama at ${options.host}`));
      return new Response(guarded, { status, statusText, headers });
    },
  });
  try {
    return await call(client);
  } catch (error) {
    // The package reports HTTP errors as a ResponseError with status_code; retries need the status.
    const status = (error as { status_code?: unknown } | null)?.status_code;
    if (typeof status !== 'number') throw error;
    const detail = error instanceof Error ? error.message : String(error);
    throw new StatusFailure(status, detail, retryAfter, { cause: error });
  }
}
