import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { IngestError } from '../types.js';
import { TIFF_WORKER_SOURCE } from './tiff-worker-source.js';
import { requireFromPackage, resolveFromPackage } from '../../util/module-location.js';

interface TiffDirectory {
  [tag: string]: unknown;
}

interface Utif {
  decode(buffer: ArrayBuffer): TiffDirectory[];
}

type PageReply = { index: number; png: Uint8Array } | { index: number; error: string };


export function isTiff(bytes: Uint8Array): boolean {
  const [a, b, c, d] = bytes;
  return (a === 0x49 && b === 0x49 && c === 0x2a && d === 0) || (a === 0x4d && b === 0x4d && c === 0 && d === 0x2a);
}

/** Reduced-resolution copies (thumbnails) are flagged by bit 0 of NewSubfileType (tag 254). */
function isThumbnail(ifd: TiffDirectory): boolean {
  const subfileType = ifd['t254'];
  return Array.isArray(subfileType) && typeof subfileType[0] === 'number' && (subfileType[0] & 1) === 1;
}

/** @napi-rs/canvas is pdfjs-dist's optional dependency; it may sit next to us or under pdfjs-dist. */
function canvasPath(): string {
  try {
    return resolveFromPackage('@napi-rs/canvas');
  } catch {
    try {
      return createRequire(resolveFromPackage('pdfjs-dist/package.json')).resolve('@napi-rs/canvas');
    } catch (error) {
      throw new IngestError('Reading multi-page TIFF files needs @napi-rs/canvas: npm install @napi-rs/canvas', { cause: error });
    }
  }
}

/**
 * The pages of a TIFF. Tesseract reads a TIFF itself but only its first page, so the pages of a
 * multi-page file are decoded (in a worker thread, by utif2) and handed over as PNGs.
 */
export class TiffPages {
  private worker: Worker | undefined;
  private readonly waiting = new Map<number, { resolve(png: Uint8Array): void; reject(error: Error): void }>();

  private constructor(
    private readonly bytes: Uint8Array,
    /** Index into utif2's directory list of each page. */
    private readonly pages: number[],
  ) {}

  static open(bytes: Uint8Array): TiffPages {
    const utif = requireFromPackage('utif2') as Utif;
    let directories: TiffDirectory[];
    try {
      directories = utif.decode(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer);
    } catch (error) {
      throw new IngestError('The TIFF file is corrupt or truncated.', { cause: error });
    }
    const pages = directories.flatMap((ifd, index) => (isThumbnail(ifd) ? [] : [index]));
    if (pages.length === 0) throw new IngestError('The TIFF file holds no image.');
    return new TiffPages(bytes, pages);
  }

  get count(): number {
    return this.pages.length;
  }

  /** Bytes Tesseract can read for page `index` (0-based). */
  page(index: number): Promise<Uint8Array> {
    if (this.pages.length === 1) return Promise.resolve(this.bytes);
    const worker = this.start();
    return new Promise((resolve, reject) => {
      this.waiting.set(index, { resolve, reject });
      worker.postMessage({ index });
    });
  }

  close(): void {
    void this.worker?.terminate();
    this.worker = undefined;
  }

  private start(): Worker {
    if (this.worker) return this.worker;
    const execArgv = process.execArgv.filter((a) => !/^--(input-type|experimental-default-type)\b/.test(a));
    const worker = new Worker(TIFF_WORKER_SOURCE, {
      eval: true,
      execArgv,
      workerData: { bytes: this.bytes, pages: this.pages, utifPath: resolveFromPackage('utif2'), canvasPath: canvasPath() },
    });
    worker.on('message', (reply: PageReply) => {
      const waiter = this.waiting.get(reply.index);
      this.waiting.delete(reply.index);
      if ('png' in reply) waiter?.resolve(reply.png);
      else waiter?.reject(new IngestError(`TIFF page ${reply.index + 1} could not be decoded: ${reply.error}`));
    });
    const failAll = (error: Error): void => {
      for (const waiter of this.waiting.values()) {
        waiter.reject(new IngestError(`The TIFF file could not be decoded: ${error.message}`, { cause: error }));
      }
      this.waiting.clear();
    };
    worker.on('error', failAll);
    worker.on('exit', (code) => failAll(new Error(`decoder exited with code ${code}`)));
    this.worker = worker;
    return worker;
  }
}
