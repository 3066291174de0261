import { Worker } from 'node:worker_threads';
import type { PdfEvent, PdfLoadOptions, PdfScanOptions } from './extract-types.js';
import { PdfJsError, SCANNED_PAGE_MAX_CHARS, WORKER_SETUP_ERROR } from './extract-types.js';
import { PDF_WORKER_SOURCE } from './worker-source.js';

interface Job {
  push(event: PdfEvent): void;
  done(): void;
  fail(error: Error): void;
}

type WorkerMessage =
  | { type: 'ready' }
  | ({ id: number } & PdfEvent)
  | { id: number; type: 'done' }
  | { id: number; type: 'error'; name: string; message: string; page?: number };

/**
 * One long-lived worker thread shared by all PDF parses (pdf.js is loaded once). It holds the
 * process open only while jobs are running; if it dies, running jobs fail and the next parse
 * starts a new one.
 */
class PdfWorker {
  private readonly worker: Worker;
  private readonly jobs = new Map<number, Job>();
  private nextId = 1;
  /** Set by the worker's first message; a failure before it means the thread could not start. */
  private ready = false;
  dead = false;

  constructor(pdfjsUrl: string) {
    // Flags that make eval'd code an ES module are the host's choice, not the worker's.
    const execArgv = process.execArgv.filter((a) => !/^--(input-type|experimental-default-type)\b/.test(a));
    this.worker = new Worker(PDF_WORKER_SOURCE, { eval: true, workerData: { pdfjsUrl }, execArgv });
    this.worker.unref();
    this.worker.on('message', (msg: WorkerMessage) => this.dispatch(msg));
    this.worker.on('error', (error) => this.shutdown(error));
    this.worker.on('exit', (code) => this.shutdown(new Error(`PDF worker exited with code ${code}`)));
  }

  /**
   * Starts a job. `cancel` ends it (a no-op once the job has ended); `scanConsumed` tells the worker
   * a rendered scan has been read, so it may render further ahead.
   */
  start(
    data: Uint8Array,
    options: PdfLoadOptions,
    scan: PdfScanOptions | undefined,
    job: Job,
  ): { cancel: (aborted: boolean) => void; scanConsumed: () => void } {
    const id = this.nextId++;
    this.jobs.set(id, job);
    if (this.jobs.size === 1) this.worker.ref();
    const scanMessage = scan && { ...scan, maxChars: SCANNED_PAGE_MAX_CHARS };
    this.worker.postMessage({ type: 'extract', id, data, options, scan: scanMessage }, [data.buffer as ArrayBuffer]);
    const scanConsumed = (): void => {
      if (this.jobs.has(id)) this.worker.postMessage({ type: 'scan-consumed', id });
    };
    const cancel = (aborted: boolean): void => {
      if (!this.jobs.has(id)) return;
      this.finish(id);
      // pdf.js only sees the cancel between pages; a document that hangs inside one page would
      // hold the shared worker for ever. With nobody else waiting, a fresh worker is cheaper.
      if (aborted && this.jobs.size === 0) this.retire();
      else this.worker.postMessage({ type: 'cancel', id });
    };
    return { cancel, scanConsumed };
  }

  /** Stops the thread; the next parse starts a new one. */
  private retire(): void {
    this.dead = true;
    if (shared === this) shared = null;
    void this.worker.terminate();
  }

  private finish(id: number): void {
    this.jobs.delete(id);
    if (this.jobs.size === 0) this.worker.unref();
  }

  private dispatch(msg: WorkerMessage): void {
    if (msg.type === 'ready') {
      this.ready = true;
      return;
    }
    const job = this.jobs.get(msg.id);
    if (!job) return;
    if (msg.type === 'done') {
      this.finish(msg.id);
      job.done();
    } else if (msg.type === 'error') {
      this.finish(msg.id);
      job.fail(new PdfJsError(msg.name, msg.message, msg.page));
    } else {
      job.push(msg);
    }
  }

  private shutdown(error: Error): void {
    if (this.dead) return;
    this.dead = true;
    const failure = this.ready ? error : new PdfJsError(WORKER_SETUP_ERROR, error.message);
    for (const job of this.jobs.values()) job.fail(failure);
    this.jobs.clear();
    if (shared === this) shared = null;
  }
}

let shared: PdfWorker | null = null;

/**
 * Extraction events for one document, produced in the worker thread. Aborting the signal stops the
 * document in the worker (between pages) and ends this iterator at once with the signal's reason.
 */
export async function* extractInWorker(
  bytes: Uint8Array,
  options: PdfLoadOptions,
  pdfjsUrl: string,
  signal?: AbortSignal,
  scan?: PdfScanOptions,
): AsyncGenerator<PdfEvent> {
  signal?.throwIfAborted();
  if (!shared || shared.dead) {
    try {
      shared = new PdfWorker(pdfjsUrl);
    } catch (error) {
      throw new PdfJsError(WORKER_SETUP_ERROR, error instanceof Error ? error.message : String(error));
    }
  }
  const queue: PdfEvent[] = [];
  let finished = false;
  let failure: unknown;
  let wake: (() => void) | undefined;
  const notify = (): void => {
    wake?.();
    wake = undefined;
  };
  const { cancel, scanConsumed } = shared.start(new Uint8Array(bytes), options, scan, {
    push: (event) => {
      queue.push(event);
      notify();
    },
    done: () => {
      finished = true;
      notify();
    },
    fail: (error) => {
      failure = error;
      finished = true;
      notify();
    },
  });
  const onAbort = (): void => {
    cancel(true);
    failure = signal?.reason;
    finished = true;
    notify();
  };
  signal?.addEventListener('abort', onAbort, { once: true });
  try {
    for (;;) {
      if (failure !== undefined) throw failure;
      const event = queue.shift();
      if (event) {
        yield event;
        if (event.type === 'page' && event.scan?.png) scanConsumed();
        continue;
      }
      if (finished) return;
      await new Promise<void>((resolve) => (wake = resolve));
    }
  } finally {
    signal?.removeEventListener('abort', onAbort);
    cancel(false);
  }
}
