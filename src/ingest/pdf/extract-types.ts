import type { PdfFontStyle, PdfTextItem } from './geometry.js';

/** What pdf.js gives for one page, reduced to plain data that can cross a thread boundary. */
export interface PdfPageContent {
  page: number;
  items: PdfTextItem[];
  styles: Record<string, PdfFontStyle>;
  /** Viewport transform at scale 1: PDF user space to the page as seen (top-left origin). */
  transform: number[];
  height: number;
  /** Set for a page with (almost) no text layer but an image on it: a scan. */
  scan?: PdfPageScan;
}

export interface PdfPageScan {
  /** The page rendered as PNG, when rendering was asked for (OCR is available). */
  png?: Uint8Array;
  /** Page units (points, as in `height`) per pixel of `png`. */
  pointsPerPixel: number;
  /** Why a page that should have been rendered was not. */
  renderError?: string;
}

/** What to do with pages that have no text layer. */
export interface PdfScanOptions {
  /** Render such pages to PNG for OCR; otherwise they are only flagged. */
  render: boolean;
  /** Rendering resolution. */
  dpi: number;
}

/** Fewer characters than this in a page's text layer, with an image present, make the page a scan. */
export const SCANNED_PAGE_MAX_CHARS = 10;

export type PdfEvent = { type: 'document'; numPages: number } | ({ type: 'page' } & PdfPageContent);

/** Options passed to pdf.js getDocument (all plain data). */
export interface PdfLoadOptions {
  verbosity: number;
  isEvalSupported: boolean;
  disableFontFace: boolean;
  useSystemFonts: boolean;
  cMapPacked: boolean;
  cMapUrl?: string;
  standardFontDataUrl?: string;
}

/** An error raised by pdf.js, rebuilt with its name (PasswordException, InvalidPDFException, ...). */
export class PdfJsError extends Error {
  constructor(
    name: string,
    message: string,
    readonly page?: number,
  ) {
    super(message);
    this.name = name;
  }
}

/** The worker thread could not load pdf.js; extraction falls back to the calling thread. */
export const WORKER_SETUP_ERROR = 'PdfWorkerSetupError';
