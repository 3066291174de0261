import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export interface PdfAssetDirs {
  cMapUrl?: string;
  standardFontDataUrl?: string;
}

let cached: PdfAssetDirs | undefined;

/**
 * pdf.js needs its CMap files to read CJK fonts that rely on predefined encodings, and its standard
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
    };
  } catch {
    cached = {};
  }
  return cached;
}
