import { createRequire } from 'node:module';
import { RagFlowError } from '../../errors.js';
import { importOptional } from '../../util/optional-import.js';
import { IngestError } from '../types.js';

interface TiffDirectory {
  [tag: string]: unknown;
  width: number;
  height: number;
}

interface Utif {
  decode(buffer: ArrayBuffer): TiffDirectory[];
  decodeImage(buffer: ArrayBuffer, ifd: TiffDirectory): void;
  toRGBA8(ifd: TiffDirectory): Uint8Array;
}

interface CanvasModule {
  createCanvas(width: number, height: number): {
    getContext(kind: '2d'): { putImageData(data: unknown, x: number, y: number): void };
    encode(format: 'png'): Promise<Buffer>;
  };
  ImageData: new (data: Uint8ClampedArray, width: number, height: number) => unknown;
}

const requireHere = createRequire(typeof __filename === 'string' ? __filename : import.meta.url);

export function isTiff(bytes: Uint8Array): boolean {
  const [a, b, c, d] = bytes;
  return (a === 0x49 && b === 0x49 && c === 0x2a && d === 0) || (a === 0x4d && b === 0x4d && c === 0 && d === 0x2a);
}

/** Reduced-resolution copies (thumbnails) are flagged by bit 0 of NewSubfileType (tag 254). */
function isThumbnail(ifd: TiffDirectory): boolean {
  const subfileType = ifd['t254'];
  return Array.isArray(subfileType) && typeof subfileType[0] === 'number' && (subfileType[0] & 1) === 1;
}

function buffer(bytes: Uint8Array): ArrayBuffer {
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
}

async function loadCanvas(): Promise<CanvasModule> {
  try {
    return await importOptional<CanvasModule>('@napi-rs/canvas', 'Reading multi-page TIFF files');
  } catch (error) {
    if (error instanceof RagFlowError) throw new IngestError(error.message, { cause: error });
    throw error;
  }
}

/**
 * The pages of a TIFF. Tesseract reads a TIFF itself but only its first page, so a multi-page file
 * is split: each page is decoded to RGBA by utif2 and handed over as a PNG.
 */
export class TiffPages {
  private constructor(
    private readonly data: ArrayBuffer,
    private readonly pages: TiffDirectory[],
    private readonly utif: Utif,
    private readonly original: Uint8Array,
  ) {}

  static open(bytes: Uint8Array): TiffPages {
    const utif = requireHere('utif2') as Utif;
    const data = buffer(bytes);
    let directories: TiffDirectory[];
    try {
      directories = utif.decode(data);
    } catch (error) {
      throw new IngestError('The TIFF file is corrupt or truncated.', { cause: error });
    }
    const pages = directories.filter((ifd) => !isThumbnail(ifd));
    if (pages.length === 0) throw new IngestError('The TIFF file holds no image.');
    return new TiffPages(data, pages, utif, bytes);
  }

  get count(): number {
    return this.pages.length;
  }

  /** Bytes Tesseract can read for page `index` (0-based). */
  async page(index: number): Promise<Uint8Array> {
    if (this.pages.length === 1) return this.original;
    const ifd = this.pages[index];
    if (!ifd) throw new RangeError(`TIFF page ${index + 1} does not exist`);
    let rgba: Uint8Array;
    try {
      this.utif.decodeImage(this.data, ifd);
      rgba = this.utif.toRGBA8(ifd);
    } catch (error) {
      throw new IngestError(`TIFF page ${index + 1} could not be decoded.`, { cause: error });
    }
    const canvasModule = await loadCanvas();
    const canvas = canvasModule.createCanvas(ifd.width, ifd.height);
    const pixels = new Uint8ClampedArray(rgba.buffer, rgba.byteOffset, ifd.width * ifd.height * 4);
    canvas.getContext('2d').putImageData(new canvasModule.ImageData(pixels, ifd.width, ifd.height), 0, 0);
    // Encoding runs on libuv's thread pool, off the event loop.
    return new Uint8Array(await canvas.encode('png'));
  }
}
