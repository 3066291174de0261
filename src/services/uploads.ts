import { readFile, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { argumentError } from '../errors.js';

/** What `documents.upload` accepts: bytes, a stream, or a file path. */
export type UploadInput =
  | string
  | { path: string; name?: string }
  | { name: string; data: Uint8Array | ArrayBuffer | AsyncIterable<Uint8Array> | ReadableStream<Uint8Array> };

export interface UploadedFile {
  name: string;
  bytes: Uint8Array;
}

const MAX_NAME_BYTES = 255;
const CONTROL = /[\u0000-\u001f\u007f]/g;

/** Keeps the last path component, drops control characters; refuses names that end up empty or too long. */
export function sanitizeFileName(raw: string): string {
  const name = basename(raw.replaceAll('\\', '/')).replace(CONTROL, '').trim();
  if (name === '' || name === '.' || name === '..') throw argumentError(`Invalid file name: ${JSON.stringify(raw)}`);
  if (Buffer.byteLength(name) > MAX_NAME_BYTES) {
    throw argumentError(`File name is longer than ${MAX_NAME_BYTES} bytes: ${name.slice(0, 40)}...`);
  }
  return name;
}

const tooLarge = (name: string, limit: number) =>
  argumentError(`File ${name} exceeds the upload limit of ${Math.round(limit / 1024 / 1024)} MiB`);

async function collect(source: AsyncIterable<Uint8Array>, name: string, limit: number): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  let size = 0;
  for await (const part of source) {
    const bytes = typeof part === 'string' ? Buffer.from(part) : part;
    size += bytes.byteLength;
    // Stop reading as soon as the limit is passed: a huge stream must not fill memory first.
    if (size > limit) throw tooLarge(name, limit);
    parts.push(bytes);
  }
  return Buffer.concat(parts, size);
}

export async function readUpload(input: UploadInput, limit: number): Promise<UploadedFile> {
  if (typeof input === 'string' || (typeof input === 'object' && input !== null && 'path' in input)) {
    const path = typeof input === 'string' ? input : input.path;
    const name = sanitizeFileName(typeof input === 'string' ? path : (input.name ?? path));
    const info = await stat(path).catch(() => undefined);
    if (!info?.isFile()) throw argumentError(`No such file: ${path}`);
    if (info.size > limit) throw tooLarge(name, limit);
    return { name, bytes: new Uint8Array(await readFile(path)) };
  }
  if (typeof input !== 'object' || input === null || typeof input.name !== 'string') {
    throw argumentError('an upload is a file path, {path, name?} or {name, data}');
  }
  const name = sanitizeFileName(input.name);
  const data = input.data;
  if (data instanceof Uint8Array || data instanceof ArrayBuffer) {
    const bytes = data instanceof ArrayBuffer ? new Uint8Array(data) : data;
    if (bytes.byteLength > limit) throw tooLarge(name, limit);
    return { name, bytes };
  }
  if (data && typeof (data as ReadableStream<Uint8Array>).getReader === 'function') {
    const reader = (data as ReadableStream<Uint8Array>).getReader();
    const iterable: AsyncIterable<Uint8Array> = {
      async *[Symbol.asyncIterator]() {
        try {
          for (;;) {
            const { done, value } = await reader.read();
            if (done) return;
            yield value;
          }
        } finally {
          reader.releaseLock();
        }
      },
    };
    return { name, bytes: await collect(iterable, name, limit) };
  }
  if (data && typeof (data as AsyncIterable<Uint8Array>)[Symbol.asyncIterator] === 'function') {
    return { name, bytes: await collect(data as AsyncIterable<Uint8Array>, name, limit) };
  }
  throw argumentError(`\`data\` of ${name} must be a Uint8Array, an ArrayBuffer or a stream`);
}
