import { importOptional } from '../../util/optional-import.js';

/**
 * Vision APIs read PNG, JPEG and WebP (OpenAI refuses TIFF and BMP outright, Ollama's models decode
 * PNG and JPEG), while scans often arrive as TIFF or BMP. Those are redrawn as PNG first, as RAGFlow
 * redraws every picture as JPEG; a TIFF shows its first page, which is what a viewer opens on.
 */
export interface ViewableImage {
  bytes: Uint8Array;
  mimeType: string;
}

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
interface Canvas {
  getContext(kind: '2d'): {
    putImageData(data: unknown, x: number, y: number): void;
    drawImage(image: unknown, x: number, y: number): void;
  };
  encode(format: 'png'): Promise<Uint8Array>;
}
// Structural view of @napi-rs/canvas (pdf.js's optional dependency), so its types are not needed at build time.
interface CanvasModule {
  createCanvas(width: number, height: number): Canvas;
  loadImage(source: Buffer): Promise<{ width: number; height: number }>;
  ImageData: new (data: Uint8ClampedArray, width: number, height: number) => unknown;
}

/**
 * The image as a vision model can take it. When it cannot be redrawn (no canvas package, a file the
 * decoders refuse), the original goes as it is: a model that reads it still answers, and one that
 * does not says so in its own error.
 */
export async function viewableImage(bytes: Uint8Array, mimeType: string): Promise<ViewableImage> {
  if (mimeType !== 'image/tiff' && mimeType !== 'image/bmp') return { bytes, mimeType };
  try {
    const canvasModule = await importOptional<CanvasModule>('@napi-rs/canvas', 'Describing TIFF and BMP images');
    const canvas = mimeType === 'image/tiff' ? await drawTiff(bytes, canvasModule) : await drawBitmap(bytes, canvasModule);
    return canvas ? { bytes: new Uint8Array(await canvas.encode('png')), mimeType: 'image/png' } : { bytes, mimeType };
  } catch {
    return { bytes, mimeType };
  }
}

async function drawTiff(bytes: Uint8Array, { createCanvas, ImageData }: CanvasModule): Promise<Canvas | undefined> {
  const imported = await importOptional<Utif & { default?: Utif }>('utif2', 'Describing TIFF images');
  const utif = imported.default ?? imported;
  const data = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  // Reduced-resolution copies (thumbnails) have bit 0 of NewSubfileType (tag 254) set.
  const isThumbnail = (ifd: TiffDirectory): boolean => {
    const subfileType = ifd['t254'];
    return Array.isArray(subfileType) && typeof subfileType[0] === 'number' && (subfileType[0] & 1) === 1;
  };
  const firstPage = utif.decode(data).find((ifd) => !isThumbnail(ifd));
  if (!firstPage) return undefined;
  utif.decodeImage(data, firstPage);
  const { width, height } = firstPage;
  if (!(width > 0 && height > 0)) return undefined;
  const rgba = utif.toRGBA8(firstPage);
  const canvas = createCanvas(width, height);
  canvas.getContext('2d').putImageData(new ImageData(new Uint8ClampedArray(rgba.buffer, rgba.byteOffset, rgba.byteLength), width, height), 0, 0);
  return canvas;
}

async function drawBitmap(bytes: Uint8Array, { createCanvas, loadImage }: CanvasModule): Promise<Canvas> {
  const image = await loadImage(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  const canvas = createCanvas(image.width, image.height);
  canvas.getContext('2d').drawImage(image, 0, 0);
  return canvas;
}
