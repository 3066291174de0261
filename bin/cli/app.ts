import express, { type NextFunction, type Request, type Response } from 'express';
import { ragflowRouter } from '../../adapters/express/index.js';
import type { RagFlow } from '../../src/index.js';
import { requestLog, type LineWriter } from './log.js';

export interface AppOptions {
  maxUploadBytes: number;
  /** Tenant of a key, or undefined: the keys of the database plus the one given to `serve`. */
  authenticate: (key: string) => Promise<string | undefined>;
  log: LineWriter;
  /** True once shutting down: answers carry `Connection: close`. */
  closing: () => boolean;
}

/** Plain Express: request log, the RAGFlow API under /api/v1, a JSON 404 for everything else. */
export function createApp(rag: RagFlow, options: AppOptions): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.use(requestLog(options.log));
  app.use((_req: Request, res: Response, next: NextFunction) => {
    if (options.closing()) res.setHeader('Connection', 'close');
    next();
  });
  app.use(
    '/api/v1',
    ragflowRouter(rag, {
      maxUploadBytes: options.maxUploadBytes,
      authenticate: options.authenticate,
      onError: (error, req) => options.log(`Unexpected error in ${req.method} ${req.originalUrl.split('?')[0]}: ${describe(error)}`),
    }),
  );
  app.use((req: Request, res: Response) => {
    res.status(404).json({ code: 404, message: `Not found: ${req.method} ${req.path}` });
  });
  app.use((error: unknown, _req: Request, res: Response, next: NextFunction) => {
    if (res.headersSent) {
      next(error);
      return;
    }
    const status = (error as { status?: unknown } | null)?.status;
    if (typeof status === 'number' && status >= 400 && status < 500) {
      res.status(status).json({ code: 101, message: error instanceof Error ? error.message : 'Bad request' });
      return;
    }
    options.log(`Unexpected error: ${describe(error)}`);
    res.status(500).json({ code: 100, message: error instanceof Error ? error.message : String(error) });
  });
  return app;
}

const describe = (error: unknown): string => (error instanceof Error ? (error.stack ?? error.message) : String(error));
