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
