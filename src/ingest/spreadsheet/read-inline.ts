import { BATCH_ROWS, WorkbookReadError, type SheetEvent } from './events.js';
import { WALK_SOURCE } from './walk-source.js';
import { loadXlsxHere } from './xlsx-module.js';
import { yieldToEventLoop } from '../../util/yield.js';

interface Walker {
  next(): SheetEvent | null;
}

type OpenWorkbook = (xlsx: unknown, data: Uint8Array, batchRows: number) => Walker;

let openWorkbook: OpenWorkbook | undefined;

/**
 * The same walk on the calling thread, for environments where no worker thread can start. It
 * yields between batches of rows, but SheetJS's read of the whole file still holds the loop.
 */
export async function* readInline(bytes: Uint8Array, signal?: AbortSignal): AsyncGenerator<SheetEvent> {
  signal?.throwIfAborted();
  const xlsx = await loadXlsxHere();
  // The walker is shared with the worker as source text; this compiles it once for this thread.
  openWorkbook ??= new Function(`${WALK_SOURCE}\nreturn openWorkbook;`)() as OpenWorkbook;
  let walker: Walker;
  try {
    walker = openWorkbook(xlsx, new Uint8Array(bytes), BATCH_ROWS);
  } catch (error) {
    throw new WorkbookReadError(error instanceof Error ? error.message : String(error));
  }
  for (let event = walker.next(); event !== null; event = walker.next()) {
    yield event;
    await yieldToEventLoop();
    signal?.throwIfAborted();
  }
}
