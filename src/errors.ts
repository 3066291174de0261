/**
 * One catalogue of error codes, shared with RAGFlow's HTTP API (see API.md): the HTTP adapter maps
 * a RagFlowError to its envelope without guessing, and library users can switch on `code`.
 */
export const ErrorCode = {
  /** Unexpected failure inside the engine. */
  Exception: 100,
  /** Bad or missing argument. */
  Argument: 101,
  /** Business rule: not found, not yours, duplicate, wrong state, unknown model. */
  Data: 102,
  /** Authentication failed (used by the HTTP adapter). */
  Authentication: 109,
} as const;

export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

export class RagFlowError extends Error {
  readonly code: ErrorCode;

  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'RagFlowError';
    this.code = code;
  }
}

export const argumentError = (message: string): RagFlowError => new RagFlowError(ErrorCode.Argument, message);
export const dataError = (message: string): RagFlowError => new RagFlowError(ErrorCode.Data, message);

/** Another tenant's resource must be indistinguishable from a missing one. */
export const notFound = (what: string, id: string): RagFlowError =>
  new RagFlowError(ErrorCode.Data, `${what} not found: ${id}`);

export function isAbortError(error: unknown): boolean {
  return error instanceof Error && (error.name === 'AbortError' || error.name === 'TimeoutError');
}
