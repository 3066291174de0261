import type { PdfFontStyle, PdfTextItem } from './geometry.js';

/** What pdf.js gives for one page, reduced to plain data that can cross a thread boundary. */
export interface PdfPageContent {
  page: number;
  items: PdfTextItem[];
  styles: Record<string, PdfFontStyle>;
  /** Viewport transform at scale 1: PDF user space to the page as seen (top-left origin). */
  transform: number[];
  height: number;
}

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
