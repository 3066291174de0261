import type { PdfEvent, PdfLoadOptions, PdfScanOptions } from './extract-types.js';
import { PdfJsError, WORKER_SETUP_ERROR } from './extract-types.js';
import { extractInWorker } from './extract-worker.js';
import { extractInline } from './extract-inline.js';

let workerUsable = true;

/**
 * pdf.js text content page by page: in a worker thread when possible (keeps the event loop free and
 * makes cancellation immediate), otherwise on this thread. With `scan`, pages without a text layer
 * are flagged and (if asked) rendered for OCR.
 */
export async function* extractPdf(
  bytes: Uint8Array,
  options: PdfLoadOptions,
  moduleUrl: string | undefined,
  signal?: AbortSignal,
  scan?: PdfScanOptions,
): AsyncGenerator<PdfEvent> {
  if (workerUsable && moduleUrl) {
    try {
      yield* extractInWorker(bytes, options, moduleUrl, signal, scan);
      return;
    } catch (error) {
      if (!(error instanceof PdfJsError && error.name === WORKER_SETUP_ERROR)) throw error;
      workerUsable = false;
    }
  }
  yield* extractInline(bytes, options, signal, scan);
}
