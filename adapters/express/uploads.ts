import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import busboy from 'busboy';
import type { Request, Response } from 'express';
import { badRequest, HttpError, tooLarge } from './errors.js';

/**
 * multipart/form-data uploads: each `file` part is streamed to a temp file (never held whole in
 * memory), limits are enforced while reading, and the temp directory is removed whatever happens.
 * Names are passed on as the client sent them: the facade sanitises them and refuses bad ones.
 */

export interface UploadLimits {
  /** Per file. */
  maxUploadBytes: number;
  /** Per request (all parts and multipart framing). */
  maxRequestBytes: number;
}

export interface ReceivedFile {
  path: string;
  name: string;
}

const mib = (bytes: number): string => `${Math.round((bytes / 1024 / 1024) * 100) / 100} MiB`;

/** The upload went away before it was complete: nothing to answer. */
class Aborted extends Error {}

function receive(req: Request, res: Response, dir: string, limits: UploadLimits, signal: AbortSignal): Promise<ReceivedFile[]> {
  return new Promise<ReceivedFile[]>((resolve, reject) => {
    let parser: busboy.Busboy;
    try {
      parser = busboy({
        headers: req.headers,
        defParamCharset: 'utf8',
        limits: { fileSize: limits.maxUploadBytes, fieldSize: 1024 * 1024, fields: 1000, parts: 10_000 },
      });
    } catch (error) {
      reject(badRequest(`Malformed multipart request: ${error instanceof Error ? error.message : String(error)}`));
      return;
    }
    const files: ReceivedFile[] = [];
    const writes: Promise<unknown>[] = [];
    const streams: Readable[] = [];
    let failure: Error | undefined;
    let settled = false;
    let received = 0;

    const settle = (error: Error | undefined): void => {
      if (settled) return;
      settled = true;
      req.off('data', count);
      signal.removeEventListener('abort', onAbort);
      // Every temp file is closed before the caller removes the directory.
      void Promise.allSettled(writes).then(() => (error ? reject(error) : resolve(files)));
    };
    const stop = (error: Error): void => {
      req.unpipe(parser);
      parser.destroy();
      for (const stream of streams) stream.destroy(error);
      settle(error);
    };
    const count = (chunk: Buffer): void => {
      received += chunk.length;
      if (received > limits.maxRequestBytes && !settled) {
        // Reading on would let one request fill the disk: answer now and close the connection.
        res.setHeader('Connection', 'close');
        stop(tooLarge(`The upload exceeds the request limit of ${mib(limits.maxRequestBytes)}`));
      }
    };
    const onAbort = (): void => stop(new Aborted('The upload was aborted'));

    parser.on('file', (field, stream, info) => {
      if (field !== 'file' || failure || settled) {
        stream.resume();
        return;
      }
      if (!info.filename) {
        failure = badRequest('No file selected!');
        stream.resume();
        return;
      }
      const name = info.filename;
      const path = join(dir, String(files.length));
      files.push({ path, name });
      streams.push(stream);
      stream.on('limit', () => {
        failure ??= tooLarge(`File ${name} exceeds the upload limit of ${mib(limits.maxUploadBytes)}`);
      });
      writes.push(
        pipeline(stream, createWriteStream(path)).catch((error: unknown) => {
          failure ??= error instanceof Error ? error : new Error(String(error));
        }),
      );
    });
    parser.on('error', (error: unknown) => {
      stop(badRequest(`Malformed multipart request: ${error instanceof Error ? error.message : String(error)}`));
    });
    parser.on('close', () => {
      void Promise.allSettled(writes).then(() => {
        if (failure) settle(failure);
        else if (files.length === 0) settle(badRequest('No file part!'));
        else settle(undefined);
      });
    });
    req.on('data', count);
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
    req.pipe(parser);
  });
}

/**
 * Receives the files of a multipart request and hands them to `store` (the facade's all-or-nothing
 * upload). Over a limit: 413 and nothing kept. The temp files are gone when this settles.
 */
export async function receiveUploads<T>(
  req: Request,
  res: Response,
  limits: UploadLimits,
  signal: AbortSignal,
  store: (files: ReceivedFile[]) => Promise<T>,
): Promise<T> {
  if (!req.is('multipart/form-data')) {
    const type = req.headers['content-type'];
    throw badRequest(`Content-Type must be multipart/form-data${type ? `, not ${type}` : ''}`);
  }
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limits.maxRequestBytes) {
    res.setHeader('Connection', 'close');
    throw tooLarge(`The upload exceeds the request limit of ${mib(limits.maxRequestBytes)}`);
  }
  const dir = await mkdtemp(join(tmpdir(), 'ragflow-upload-'));
  try {
    const files = await receive(req, res, dir, limits, signal);
    return await store(files);
  } catch (error) {
    if (error instanceof Aborted) throw new HttpError(400, 101, error.message);
    throw error;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
