import type { NextFunction, Request, Response } from 'express';

export type LineWriter = (line: string) => void;

/** One line per request once it is over: `METHOD PATH STATUS MSms` (the query string is left out). */
export function requestLog(write: LineWriter) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const started = process.hrtime.bigint();
    const path = req.originalUrl.split('?')[0] ?? req.originalUrl;
    res.once('close', () => {
      const ms = Math.round(Number(process.hrtime.bigint() - started) / 1e6);
      const aborted = res.writableFinished ? '' : ' (aborted)';
      write(`${req.method} ${path} ${res.statusCode} ${ms}ms${aborted}`);
    });
    next();
  };
}
