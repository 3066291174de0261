import { runWorkerJob } from '../../util/worker-job.js';
import { BATCH_ROWS, WorkbookReadError, type SheetEvent } from './events.js';
import type { XlsxModule } from './xlsx-module.js';
import { SPREADSHEET_WORKER_SOURCE } from './worker-source.js';

/**
 * The workbook's events, read in a worker thread of its own: SheetJS's read cannot be interrupted,
 * so aborting terminates the thread, and one thread per file lets two files be read at once. A
 * failure before the worker has loaded SheetJS is a WorkerSetupError (the caller reads inline).
 */
export function readInWorker(bytes: Uint8Array, module: XlsxModule, signal?: AbortSignal): AsyncGenerator<SheetEvent> {
  return runWorkerJob<SheetEvent>({
    source: SPREADSHEET_WORKER_SOURCE,
    workerData: { xlsxPath: module.path, xlsxUrl: module.url },
    job: { type: 'read', data: bytes, batchRows: BATCH_ROWS },
    name: 'spreadsheet',
    failure: (message) => new WorkbookReadError(message.message),
    signal,
  });
}
