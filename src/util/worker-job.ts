import { Worker } from 'node:worker_threads';

/** The thread could not start or load its library: callers do the work on their own thread instead. */
export class WorkerSetupError extends Error {
  override readonly name = 'WorkerSetupError';
}

/** A message from a job thread that is not part of the handshake. */
export interface JobEvent {
  type: string;
}

interface JobFailure {
  type: 'error';
  message: string;
  [detail: string]: unknown;
}

type ThreadMessage = { type: 'ready' } | { type: 'setup-error'; message: string } | { type: 'done' } | JobFailure | JobEvent;

export interface WorkerJobOptions {
  /** Worker source run with `eval: true`: it posts {type:'ready'} once loaded (or {type:'setup-error'}), then answers `job`. */
  source: string;
  workerData: unknown;
  /** Posted once the thread is ready, with its `data` bytes transferred (a copy: the caller keeps its own). */
  job: { type: string; data: Uint8Array; [field: string]: unknown };
  /** What the thread is called in an unexpected-exit message ("mail", "spreadsheet"). */
  name: string;
  /** Turns the job's own {type:'error'} message into the error to throw. */
  failure: (message: JobFailure) => Error;
  signal?: AbortSignal | undefined;
}

/**
 * The events of one job run in a thread of its own, until the thread says {type:'done'}. Libraries
 * whose work is one long synchronous call (SheetJS, postal-mime, jszip) run this way so the event
 * loop stays free; aborting terminates the thread at once. A failure before the thread is ready is
 * a WorkerSetupError, so the caller can fall back to its own thread.
 */
export async function* runWorkerJob<E extends JobEvent>(options: WorkerJobOptions): AsyncGenerator<E> {
  const { signal } = options;
  signal?.throwIfAborted();
  // Flags that make eval'd code an ES module are the host's choice, not the worker's.
  const execArgv = process.execArgv.filter((a) => !/^--(input-type|experimental-default-type)\b/.test(a));
  let worker: Worker;
  try {
    worker = new Worker(options.source, { eval: true, workerData: options.workerData, execArgv });
  } catch (error) {
    throw new WorkerSetupError(error instanceof Error ? error.message : String(error));
  }
  const queue: E[] = [];
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
  worker.on('message', (message: ThreadMessage) => {
    if (message.type === 'ready') {
      ready = true;
      const data = new Uint8Array(options.job.data);
      worker.postMessage({ ...options.job, data }, [data.buffer]);
    } else if (message.type === 'setup-error') {
      fail(new WorkerSetupError((message as { message: string }).message));
    } else if (message.type === 'error') {
      fail(options.failure(message as JobFailure));
    } else if (message.type === 'done') {
      finished = true;
      notify();
    } else {
      queue.push(message as E);
      notify();
    }
  });
  worker.on('error', (error) => fail(ready ? error : new WorkerSetupError(error.message)));
  worker.on('exit', (code) => {
    const message = `The ${options.name} worker exited with code ${code}`;
    fail(ready ? new Error(message) : new WorkerSetupError(message));
  });
  const onAbort = (): void => fail(signal?.reason);
  signal?.addEventListener('abort', onAbort, { once: true });
  try {
    for (;;) {
      // A failure (an abort above all) wins over events still queued.
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
