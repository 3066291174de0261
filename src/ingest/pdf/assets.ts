import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export interface PdfAssetDirs {
  cMapUrl?: string;
  standardFontDataUrl?: string;
  /** file: URL of pdf.js's legacy build, for the worker thread to import. */
  moduleUrl?: string;
}

let cached: PdfAssetDirs | undefined;

/**
 * Where pdfjs-dist lives. pdf.js needs its CMap files to read CJK fonts that rely on predefined encodings, and its standard
 * font files for the 14 base fonts; both ship inside pdfjs-dist. Works from the ESM and CJS builds.
 */
export function pdfAssetDirs(): PdfAssetDirs {
  if (cached) return cached;
  try {
    const here = typeof __filename === 'string' ? __filename : fileURLToPath(import.meta.url);
    const root = path.dirname(createRequire(here).resolve('pdfjs-dist/package.json'));
    cached = {
      cMapUrl: path.join(root, 'cmaps') + path.sep,
      standardFontDataUrl: path.join(root, 'standard_fonts') + path.sep,
      moduleUrl: pathToFileURL(path.join(root, 'legacy', 'build', 'pdf.mjs')).href,
    };
  } catch {
    cached = {};
  }
  return cached;
}
