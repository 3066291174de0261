import express, { type Request, type RequestHandler, type Response } from 'express';
import type { z } from 'zod';
import type { RagFlow } from '../../src/ragflow.js';
import { badRequest, unauthorized, zodMessage } from './errors.js';

/**
 * The route table's machinery: one declarative entry per route (method, path, schemas, handler),
 * turned into express handlers here and into the OpenAPI document in openapi.ts.
 */

export type Method = 'get' | 'post' | 'put' | 'delete';

/** How a route answers: the JSON envelope (default), raw bytes, or server-sent events. */
export type Produces = 'json' | 'download' | 'sse';

export interface Context<B, Q> {
  /** The facade seen as the caller's tenant. */
  rag: RagFlow;
  body: B;
  query: Q;
  /** A path parameter (always present: the route matched). */
  param(name: string): string;
  /** Aborted when the client goes away before the reply is complete. */
  signal: AbortSignal;
  req: Request;
  res: Response;
}

/** A handler that wrote its reply itself (a download, an event stream). */
export const HANDLED = Symbol('handled');

/** A list reply: RAGFlow puts `total` beside `data`. */
export class Listed {
  constructor(
    readonly data: unknown[],
    readonly total: number,
  ) {}
}

export interface Route {
  method: Method;
  /** express syntax, relative to the router root: `/dataset/:dataset_id`. */
  path: string;
  tag: string;
  summary: string;
  /** JSON body schema. */
  body?: z.ZodType;
  /** The body schema also reads the query string (body wins): GET with a query or a JSON body. */
  bodyFromQuery?: boolean;
  query?: z.ZodType;
  /** multipart/form-data with repeatable `file` parts; the handler reads it. */
  multipart?: boolean;
  produces?: Produces;
  /** Public routes need no API key (only the OpenAPI document). */
  public?: boolean;
  handler(ctx: Context<unknown, unknown>): Promise<unknown>;
}

/** Declares a route; the handler sees the parsed (output) types of its schemas. */
export function route<B extends z.ZodType = z.ZodType<undefined>, Q extends z.ZodType = z.ZodType<undefined>>(spec: {
  method: Method;
  path: string;
  tag: string;
  summary: string;
  body?: B;
  bodyFromQuery?: boolean;
  query?: Q;
  multipart?: boolean;
  produces?: Produces;
  public?: boolean;
  handler(ctx: Context<z.output<B>, z.output<Q>>): Promise<unknown>;
}): Route {
  return spec as unknown as Route;
}

function validate(schema: z.ZodType | undefined, value: unknown, where: string): unknown {
  if (!schema) return undefined;
  const result = schema.safeParse(value);
  if (!result.success) throw badRequest(zodMessage(result.error, where));
  return result.data;
}

const hasBody = (req: Request): boolean =>
  req.headers['transfer-encoding'] !== undefined ||
  (req.headers['content-length'] !== undefined && req.headers['content-length'] !== '0');

/** JSON bodies only: another content type is refused by name, malformed JSON reaches the error middleware. */
export function jsonBody(limit: number): RequestHandler {
  const parse = express.json({ limit, strict: true, type: () => true });
  return (req, res, next) => {
    if (!hasBody(req)) {
      req.body = undefined;
      next();
      return;
    }
    if (!req.is(['application/json', '+json'])) {
      const type = req.headers['content-type'];
      next(badRequest(type ? `Content-Type must be application/json, not ${type}` : 'Content-Type must be application/json'));
      return;
    }
    parse(req, res, next);
  };
}

/** `Authorization: Bearer <key>` (or the bare key); the tenant goes to res.locals. */
export function authMiddleware(authenticate: (key: string) => Promise<string | undefined>): RequestHandler {
  return async (req, res, next) => {
    const header = req.headers.authorization?.trim();
    if (!header) throw unauthorized("`Authorization` can't be empty");
    const match = /^bearer\s+(.+)$/i.exec(header);
    const key = (match?.[1] ?? header).trim();
    const tenant = await authenticate(key);
    if (tenant === undefined) throw unauthorized('Authentication error: API key is invalid!');
    res.locals.tenant = tenant;
    next();
  };
}

/** The final handler of a route: validates, calls the facade through the route's handler, wraps the result. */
export function dispatch(route: Route, rag: RagFlow): RequestHandler {
  return async (req, res) => {
    const tenant: unknown = res.locals.tenant;
    const scoped = typeof tenant === 'string' ? rag.forTenant(tenant) : rag;
    const query = validate(route.query, req.query, 'query string');
    const raw: unknown = req.body;
    const body = route.bodyFromQuery
      ? validate(route.body, { ...(req.query as object), ...(raw !== undefined && typeof raw === 'object' ? raw : {}) }, 'request')
      : validate(route.body, raw ?? {}, 'request body');
    const controller = new AbortController();
    res.on('close', () => {
      if (!res.writableFinished) controller.abort(new DOMException('The client went away', 'AbortError'));
    });
    const params = req.params as Record<string, string | undefined>;
    const result = await route.handler({
      rag: scoped,
      body,
      query,
      param: (name) => {
        const value = params[name];
        if (value === undefined) throw badRequest(`Missing path parameter ${name}`);
        return value;
      },
      signal: controller.signal,
      req,
      res,
    });
    if (result === HANDLED) return;
    if (result instanceof Listed) res.json({ code: 0, data: result.data, total: result.total });
    else res.json({ code: 0, data: result ?? true });
  };
}
