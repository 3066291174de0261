import { Worker } from 'node:worker_threads';
import { BATCH_ROWS, WorkbookReadError, WorkerSetupError, type SheetEvent } from './events.js';
import type { XlsxModule } from './xlsx-module.js';
import { SPREADSHEET_WORKER_SOURCE } from './worker-source.js';

type WorkerMessage =
  | { type: 'ready' }
  | { type: 'setup-error'; message: string }
  | SheetEvent
  | { type: 'done' }
  | { type: 'error'; message: string };

/**
 * The workbook's events, read in a worker thread of its own: SheetJS's read cannot be interrupted,
 * so aborting terminates the thread, and one thread per file lets two files be read at once. A
 * failure before the worker has loaded SheetJS is a WorkerSetupError (the caller reads inline).
 */
export async function* readInWorker(bytes: Uint8Array, module: XlsxModule, signal?: AbortSignal): AsyncGenerator<SheetEvent> {
  signal?.throwIfAborted();
  // Flags that make eval'd code an ES module are the host's choice, not the worker's.
  const execArgv = process.execArgv.filter((a) => !/^--(input-type|experimental-default-type)\b/.test(a));
  let worker: Worker;
  try {
    worker = new Worker(SPREADSHEET_WORKER_SOURCE, { eval: true, workerData: { xlsxPath: module.path, xlsxUrl: module.url }, execArgv });
  } catch (error) {
    throw new WorkerSetupError(error instanceof Error ? error.message : String(error));
  }
  const queue: SheetEvent[] = [];
  let ready = false;
  let finished = false;
  let failure: unknown;
  let wake: (() => void) | undefined;
  const notify = (): void => {
    wake?.();
    wake = undefined;
  };
  const fail = (error: unknown): void => {
    if (finished) return;
    failure = error;
    finished = true;
    notify();
  };
  worker.on('message', (msg: WorkerMessage) => {
    if (msg.type === 'ready') {
      ready = true;
      const data = new Uint8Array(bytes);
      worker.postMessage({ type: 'read', data, batchRows: BATCH_ROWS }, [data.buffer]);
    } else if (msg.type === 'setup-error') {
      fail(new WorkerSetupError(msg.message));
    } else if (msg.type === 'error') {
      fail(new WorkbookReadError(msg.message));
    } else if (msg.type === 'done') {
      finished = true;
      notify();
    } else {
      queue.push(msg);
      notify();
    }
  });
  worker.on('error', (error) => fail(ready ? error : new WorkerSetupError(error.message)));
  worker.on('exit', (code) => {
    const message = `The spreadsheet worker exited with code ${code}`;
    fail(ready ? new Error(message) : new WorkerSetupError(message));
  });
  const onAbort = (): void => fail(signal?.reason);
  signal?.addEventListener('abort', onAbort, { once: true });
  try {
    for (;;) {
      if (failure !== undefined) throw failure;
      const event = queue.shift();
      if (event) {
        yield event;
        continue;
      }
      if (finished) return;
      await new Promise<void>((resolve) => (wake = resolve));
    }
  } finally {
    signal?.removeEventListener('abort', onAbort);
    finished = true;
    void worker.terminate();
  }
}
