import type { PDFPageProxy } from 'pdfjs-dist/types/src/display/api.js';
import type { PdfPageScan, PdfScanOptions } from './extract-types.js';
import { SCANNED_PAGE_MAX_CHARS } from './extract-types.js';

type PdfJs = typeof import('pdfjs-dist/legacy/build/pdf.mjs');

interface CanvasLib {
  createCanvas(width: number, height: number): {
    width: number;
    height: number;
    getContext(kind: '2d'): unknown;
    encode(format: 'png'): Promise<Buffer>;
  };
}

/** Same limit as the worker: larger pages are rendered at a lower resolution. */
const MAX_SCAN_PIXELS = 40e6;

let canvasLib: Promise<CanvasLib | string> | undefined;

function loadCanvas(): Promise<CanvasLib | string> {
  // A variable specifier: the package is pdf.js's optional dependency, not ours to bundle.
  const specifier: string = '@napi-rs/canvas';
  canvasLib ??= (import(specifier) as Promise<CanvasLib & { default?: CanvasLib }>).then(
    (mod) => (typeof mod.createCanvas === 'function' ? mod : (mod.default as CanvasLib)),
    (error: unknown) => (error instanceof Error ? error.message : String(error)),
  );
  return canvasLib;
}

function hasImage(lib: PdfJs, fnArray: readonly number[]): boolean {
  const { OPS } = lib;
  const painters = new Set<number>([
    OPS.paintImageXObject,
    OPS.paintInlineImageXObject,
    OPS.paintImageXObjectRepeat,
    OPS.paintInlineImageXObjectGroup,
    OPS.paintImageMaskXObject,
    OPS.paintImageMaskXObjectGroup,
    OPS.paintImageMaskXObjectRepeat,
  ]);
  return fnArray.some((fn) => painters.has(fn));
}

/** The calling-thread twin of the worker's scan handling (see worker-source.ts). */
export async function scanOfPage(
  lib: PdfJs,
  proxy: PDFPageProxy,
  items: readonly { str: string }[],
  scan: PdfScanOptions | undefined,
): Promise<PdfPageScan | undefined> {
  if (!scan) return undefined;
  const chars = items.reduce((n, it) => n + it.str.replace(/\s+/g, '').length, 0);
  if (chars >= SCANNED_PAGE_MAX_CHARS) return undefined;
  if (!hasImage(lib, (await proxy.getOperatorList()).fnArray)) return undefined;
  const base = proxy.getViewport({ scale: 1 });
  let scale = scan.dpi / 72;
  const pixels = base.width * base.height * scale * scale;
  if (pixels > MAX_SCAN_PIXELS) scale *= Math.sqrt(MAX_SCAN_PIXELS / pixels);
  if (!scan.render) return { pointsPerPixel: 1 / scale };
  const canvas = await loadCanvas();
  if (typeof canvas === 'string') {
    return { pointsPerPixel: 1 / scale, renderError: `the page could not be rendered (@napi-rs/canvas: ${canvas})` };
  }
  const viewport = proxy.getViewport({ scale });
  const target = canvas.createCanvas(Math.ceil(viewport.width), Math.ceil(viewport.height));
  const context = target.getContext('2d') as CanvasRenderingContext2DLike;
  context.fillStyle = '#ffffff';
  context.fillRect(0, 0, target.width, target.height);
  await proxy.render({ canvasContext: context as never, viewport }).promise;
  return { png: new Uint8Array(await target.encode('png')), pointsPerPixel: 1 / scale };
}

interface CanvasRenderingContext2DLike {
  fillStyle: string;
  fillRect(x: number, y: number, width: number, height: number): void;
}
