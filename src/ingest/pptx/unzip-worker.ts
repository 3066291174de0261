import { Worker } from 'node:worker_threads';
import { UNZIP_WORKER_SOURCE } from './unzip-worker-source.js';
import { UnzipError, WorkerSetupError, type JsZipModule } from './unzip-types.js';

type WorkerMessage =
  | { type: 'ready' }
  | { type: 'setup-error'; message: string }
  | { type: 'part'; name: string; text: string }
  | { type: 'error'; message: string; part?: string }
  | { type: 'done' };

/** One archive unpacked in a thread of its own; aborting terminates the thread. */
export function unzipInWorker(bytes: Uint8Array, wanted: RegExp, module: JsZipModule, signal?: AbortSignal): Promise<Map<string, string>> {
  return new Promise<Map<string, string>>((resolve, reject) => {
    // Flags that make eval'd code an ES module are the host's choice, not the worker's.
    const execArgv = process.execArgv.filter((a) => !/^--(input-type|experimental-default-type)\b/.test(a));
    let worker: Worker;
    try {
      worker = new Worker(UNZIP_WORKER_SOURCE, { eval: true, workerData: { modulePath: module.path, moduleUrl: module.url }, execArgv });
    } catch (error) {
      reject(new WorkerSetupError(error instanceof Error ? error.message : String(error)));
      return;
    }
    const parts = new Map<string, string>();
    let ready = false;
    let settled = false;
    const settle = (outcome: () => void): void => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener('abort', onAbort);
      void worker.terminate();
      outcome();
    };
    const onAbort = (): void => settle(() => reject(signal?.reason));
    signal?.addEventListener('abort', onAbort, { once: true });
    worker.on('message', (msg: WorkerMessage) => {
      if (msg.type === 'ready') {
        ready = true;
        const data = new Uint8Array(bytes);
        worker.postMessage({ type: 'unzip', data, pattern: wanted.source }, [data.buffer]);
      } else if (msg.type === 'part') parts.set(msg.name, msg.text);
      else if (msg.type === 'setup-error') settle(() => reject(new WorkerSetupError(msg.message)));
      else if (msg.type === 'error') settle(() => reject(new UnzipError(msg.message, msg.part)));
      else settle(() => resolve(parts));
    });
    worker.on('error', (error) => settle(() => reject(ready ? error : new WorkerSetupError(error.message))));
    worker.on('exit', (code) => {
      const message = `The unzip worker exited with code ${code}`;
      settle(() => reject(ready ? new Error(message) : new WorkerSetupError(message)));
    });
  });
}
