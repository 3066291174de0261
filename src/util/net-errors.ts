const CONNECT_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ETIMEDOUT',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_SOCKET',
]);

/**
 * True when fetch failed before any HTTP response arrived (nothing listening, DNS, reset).
 * Node's fetch reports these as `TypeError: fetch failed` with the socket error as `cause`,
 * sometimes wrapped in an AggregateError when several addresses were tried.
 */
export function isConnectionError(error: unknown): boolean {
  return connectionCode(error) !== undefined;
}

export function connectionCode(error: unknown, depth = 0): string | undefined {
  if (!(error instanceof Error) || depth > 4) return undefined;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && CONNECT_CODES.has(code)) return code;
  if (error instanceof AggregateError) {
    for (const inner of error.errors) {
      const found = connectionCode(inner, depth + 1);
      if (found) return found;
    }
  }
  return connectionCode(error.cause, depth + 1);
}
