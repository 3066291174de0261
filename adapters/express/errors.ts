import type { ErrorRequestHandler, Request, Response } from 'express';
import type { ZodError } from 'zod';
import { ErrorCode } from '../../src/errors.js';

/**
 * Errors and the envelope: every reply is `{code, data}` or `{code, message}`. RAGFlow clients read
 * `code`, so 101/102 travel with HTTP 200; only authentication (401), unknown routes (404),
 * oversized uploads (413) and unexpected failures (500) change the HTTP status.
 */

/** An error raised by the adapter itself, with its HTTP status and envelope code. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: number,
    message: string,
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

export const badRequest = (message: string): HttpError => new HttpError(200, ErrorCode.Argument, message);
export const tooLarge = (message: string): HttpError => new HttpError(413, ErrorCode.Argument, message);
export const unauthorized = (message: string): HttpError => new HttpError(401, ErrorCode.Authentication, message);

/** The message of a failed zod parse, naming the first offending field by its wire name. */
export function zodMessage(error: ZodError, where: string): string {
  const issue = error.issues[0];
  if (!issue) return `Invalid ${where}`;
  const path = issue.path.map(String).join('.');
  return path === '' ? `Invalid ${where}: ${issue.message}` : `\`${path}\`: ${issue.message}`;
}

interface BodyParserError {
  type: string;
  status?: number;
  message: string;
}

const isBodyParserError = (error: unknown): error is BodyParserError =>
  error instanceof Error && typeof (error as { type?: unknown }).type === 'string' && 'status' in error;

/**
 * The code of a RagFlowError. Recognised by name and shape, not `instanceof`: the published
 * `ragflow-ts/express` bundle has its own copy of src/errors.ts, so the class the facade throws
 * (from `ragflow-ts`) is not the one this module would import.
 */
function ragFlowCode(error: unknown): number | undefined {
  if (!(error instanceof Error) || error.name !== 'RagFlowError') return undefined;
  const code = (error as { code?: unknown }).code;
  return typeof code === 'number' ? code : undefined;
}

export interface ErrorReply {
  status: number;
  code: number;
  message: string;
}

/** Maps anything thrown by a handler, the facade or a body parser to a status and an envelope. */
export function errorReply(error: unknown): ErrorReply {
  if (error instanceof HttpError) return { status: error.status, code: error.code, message: error.message };
  const code = ragFlowCode(error);
  if (code !== undefined && error instanceof Error) {
    const status = code === ErrorCode.Authentication ? 401 : code === ErrorCode.Argument || code === ErrorCode.Data ? 200 : 500;
    return { status, code, message: error.message };
  }
  if (isBodyParserError(error)) {
    if (error.type === 'entity.parse.failed') {
      return { status: 200, code: ErrorCode.Argument, message: `Malformed JSON in the request body: ${error.message}` };
    }
    if (error.type === 'entity.too.large') {
      return { status: 413, code: ErrorCode.Argument, message: 'The JSON body is larger than the limit' };
    }
    if ((error.status ?? 500) < 500) return { status: 200, code: ErrorCode.Argument, message: error.message };
  }
  // express 5 rejects a path it cannot decode with a 400 error of its own.
  if (error instanceof Error && (error as { status?: unknown }).status === 400) {
    return { status: 200, code: ErrorCode.Argument, message: error.message };
  }
  const message = error instanceof Error ? error.message : String(error);
  return { status: 500, code: ErrorCode.Exception, message: message || 'Internal error' };
}

export function sendError(res: Response, reply: ErrorReply): void {
  if (reply.status === 401) res.setHeader('WWW-Authenticate', 'Bearer');
  res.status(reply.status).json({ code: reply.code, message: reply.message });
}

/** The router's error middleware. A reply already under way (a download, an event stream) is cut off. */
export function errorMiddleware(onError?: (error: unknown, req: Request) => void): ErrorRequestHandler {
  return (error, req, res, _next) => {
    const reply = errorReply(error);
    if (reply.status >= 500) onError?.(error, req);
    if (res.headersSent) {
      res.destroy();
      return;
    }
    sendError(res, reply);
  };
}
