import express, { type Request, type Router } from 'express';
import type { RagFlow } from '../../src/ragflow.js';
import { errorMiddleware, errorReply, sendError, HttpError } from './errors.js';
import { authMiddleware, dispatch, jsonBody, route, type Route } from './http.js';
import { openApiDocument } from './openapi.js';
import { chatRoutes } from './routes/chats.js';
import { chunkRoutes } from './routes/chunks.js';
import { datasetRoutes } from './routes/datasets.js';
import { documentRoutes } from './routes/documents.js';
import { retrievalRoutes } from './routes/retrieval.js';
import { sessionRoutes } from './routes/sessions.js';

export interface RouterOptions {
  /** Largest file of an upload in bytes (default 128 MiB); over it: 413 and nothing is kept. */
  maxUploadBytes?: number;
  /** Largest upload request in bytes (default 1 GiB). */
  maxRequestBytes?: number;
  /** Largest JSON body in bytes (default 10 MiB). */
  maxJsonBytes?: number;
  /** The tenant of an API key, or undefined to refuse it (default: `rag.apiKeys.authenticate`). */
  authenticate?: (key: string) => Promise<string | undefined>;
  /** Called with unexpected errors (the ones answered with code 100), e.g. to log them. */
  onError?: (error: unknown, req: Request) => void;
}

const MiB = 1024 * 1024;

function positive(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isSafeInteger(value) || value < 1) throw new TypeError(`RouterOptions.${name} must be a positive integer`);
  return value;
}

/** Every route of the API, in wire paths relative to the router root (mounted at /api/v1). */
export function apiRoutes(options: Pick<RouterOptions, 'maxUploadBytes' | 'maxRequestBytes'> = {}): Route[] {
  const limits = {
    maxUploadBytes: positive('maxUploadBytes', options.maxUploadBytes, 128 * MiB),
    maxRequestBytes: positive('maxRequestBytes', options.maxRequestBytes, 1024 * MiB),
  };
  return [
    ...datasetRoutes,
    ...documentRoutes(limits),
    ...chunkRoutes,
    ...retrievalRoutes,
    ...chatRoutes,
    ...sessionRoutes,
  ];
}

/**
 * RAGFlow's HTTP API over one RagFlow instance, as an express router (mount it at `/api/v1`).
 * Each request runs as the tenant of its API key. The router only translates: it validates the
 * request, calls the facade, wraps the result in `{code, data}` and maps errors to codes.
 *
 * ```ts
 * const app = express();
 * app.use('/api/v1', ragflowRouter(rag));
 * ```
 */
export function ragflowRouter(rag: RagFlow, options: RouterOptions = {}): Router {
  const routes = apiRoutes(options);
  const maxJsonBytes = positive('maxJsonBytes', options.maxJsonBytes, 10 * MiB);
  const authenticate = options.authenticate ?? ((key: string) => rag.apiKeys.authenticate(key));
  let document: unknown;
  const openapi = route({
    method: 'get',
    path: '/openapi.json',
    tag: 'Meta',
    summary: 'This OpenAPI 3.1 document',
    public: true,
    handler: async () => {
      document ??= openApiDocument([...routes, openapi]);
      return document;
    },
  });

  const router = express.Router({ caseSensitive: true });
  const auth = authMiddleware(authenticate);
  const json = jsonBody(maxJsonBytes);
  // The OpenAPI document is sent as is, without the envelope.
  router.get(openapi.path, async (_req, res) => {
    document ??= openApiDocument([...routes, openapi]);
    res.json(document);
  });
  for (const r of routes) {
    const handlers = [auth, ...(r.body && !r.multipart ? [json] : []), dispatch(r, rag)];
    router[r.method](r.path, ...handlers);
  }
  router.use((req, res) => {
    sendError(res, errorReply(new HttpError(404, 404, `Not Found: ${req.baseUrl}${req.path}`)));
  });
  router.use(errorMiddleware(options.onError));
  return router;
}

export type { Route } from './http.js';
export { openApiDocument } from './openapi.js';
