import { ErrorCode, RagFlowError } from '../errors.js';
import { sleep } from './abort.js';

/**
 * How long to wait before retry number `attempt` (1-based): the server's Retry-After when it sends
 * one (seconds or an HTTP date), else exponential backoff with jitter so parallel workers that were
 * throttled together do not come back together. Never more than `maxMs`.
 */
export function retryDelayMs(attempt: number, retryAfter: string | null, baseMs: number, maxMs: number): number {
  const fromServer = parseRetryAfter(retryAfter);
  if (fromServer !== undefined) return Math.min(fromServer, maxMs);
  const backoff = baseMs * 2 ** (attempt - 1);
  return Math.min(backoff * (0.75 + Math.random() * 0.5), maxMs);
}

export function parseRetryAfter(value: string | null): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Number(trimmed) * 1000;
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

export interface RetryOptions {
  /** Attempts for a rate-limited or failing (429/5xx) request; default 3. */
  maxAttempts?: number;
  /** First backoff delay, doubled per retry; default 500 ms. */
  retryBaseDelayMs?: number;
  /** Upper bound on any single wait, Retry-After included; default 30 s. */
  maxRetryDelayMs?: number;
}

export type RetryPolicy = Required<RetryOptions>;

export function retryPolicy(options: RetryOptions): RetryPolicy {
  const maxAttempts = options.maxAttempts ?? 3;
  if (!Number.isInteger(maxAttempts) || maxAttempts < 1) {
    throw new RagFlowError(ErrorCode.Argument, `maxAttempts must be a positive integer, got ${String(maxAttempts)}`);
  }
  return {
    maxAttempts,
    retryBaseDelayMs: options.retryBaseDelayMs ?? 500,
    maxRetryDelayMs: options.maxRetryDelayMs ?? 30_000,
  };
}

/** A non-2xx answer, before anything was streamed. Providers turn it into a RagFlowError. */
export class StatusFailure extends Error {
  /** How many attempts ended like this one (more than 1 only for retryable statuses). */
  attempts = 1;

  constructor(
    readonly status: number,
    readonly detail: string,
    readonly retryAfter: string | null,
    options?: { cause?: unknown },
  ) {
    super(`HTTP ${status}${detail ? `: ${detail}` : ''}`, options);
    this.name = 'StatusFailure';
  }

  get retryable(): boolean {
    return this.status === 429 || this.status >= 500;
  }
}

/**
 * Runs `start` (which sends the request and returns once the answer has begun) again after a
 * retryable StatusFailure. Only the start is retried: once text has reached the caller, a retry
 * would repeat it, so failures after that are the caller's to handle.
 */
export async function withRetries<T>(
  start: () => Promise<T>,
  policy: RetryPolicy,
  signal: AbortSignal | undefined,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await start();
    } catch (error) {
      if (!(error instanceof StatusFailure) || !error.retryable) throw error;
      error.attempts = attempt;
      if (attempt >= policy.maxAttempts) throw error;
      await sleep(retryDelayMs(attempt, error.retryAfter, policy.retryBaseDelayMs, policy.maxRetryDelayMs), signal);
    }
  }
}
