import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { moduleLocation } from '../../util/module-location.js';

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
    const location = moduleLocation('pdfjs-dist/package.json');
    if (!location) throw new Error('pdfjs-dist is not installed');
    const root = path.dirname(location.path);
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
