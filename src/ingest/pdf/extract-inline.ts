import type { PdfEvent, PdfLoadOptions, PdfScanOptions } from './extract-types.js';
import { scanOfPage } from './scan-inline.js';
import { PdfJsError } from './extract-types.js';
import type { PdfTextItem } from './geometry.js';
import { yieldToEventLoop } from '../../util/yield.js';

type PdfJs = typeof import('pdfjs-dist/legacy/build/pdf.mjs');

let pdfjs: Promise<PdfJs> | undefined;

/**
 * The same extraction on the calling thread, for environments where the worker thread cannot
 * start (pdfjs-dist not resolvable as a file, worker threads unavailable). It yields to the event
 * loop between pages, but a page with heavy fonts can still hold the loop while pdf.js parses it.
 */
export async function* extractInline(
  bytes: Uint8Array,
  options: PdfLoadOptions,
  signal?: AbortSignal,
  scan?: PdfScanOptions,
): AsyncGenerator<PdfEvent> {
  pdfjs ??= import('pdfjs-dist/legacy/build/pdf.mjs');
  const lib = await pdfjs;
  const task = lib.getDocument({ data: new Uint8Array(bytes), ...options });
  let page = 0;
  try {
    const doc = await task.promise;
    yield { type: 'document', numPages: doc.numPages };
    for (page = 1; page <= doc.numPages; page++) {
      await yieldToEventLoop();
      signal?.throwIfAborted();
      const proxy = await doc.getPage(page);
      const viewport = proxy.getViewport({ scale: 1 });
      const content = await proxy.getTextContent({ disableNormalization: true });
      const items = content.items.filter((it): it is PdfTextItem & typeof it => 'str' in it);
      const scanned = await scanOfPage(lib, proxy, items, scan);
      const event = { type: 'page', page, items, styles: content.styles, transform: viewport.transform, height: viewport.height } as const;
      yield scanned ? { ...event, scan: scanned } : event;
      proxy.cleanup();
    }
  } catch (error) {
    if (error instanceof Error && error.name === 'AbortError') throw error;
    if (signal?.aborted) throw signal.reason;
    const name = error instanceof Error ? error.name : 'Error';
    throw new PdfJsError(name, error instanceof Error ? error.message : String(error), page || undefined);
  } finally {
    await task.destroy();
  }
}
