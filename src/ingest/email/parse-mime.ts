import { moduleLocation, type ModuleLocation } from '../../util/module-location.js';
import { Worker } from 'node:worker_threads';
import PostalMime, { type Email, type PostalMimeOptions } from 'postal-mime';
import { MIME_WORKER_SOURCE } from './mime-worker-source.js';

/** Below this size a mail decodes in a few milliseconds; a thread would cost more than it saves. */
const WORKER_THRESHOLD_BYTES = 256 * 1024;

/** postal-mime failed on the message itself (not a thread or setup problem). */
export class MimeParseError extends Error {
  override readonly name = 'MimeParseError';
}

class WorkerSetupError extends Error {}

/** Where postal-mime lives, resolved from this package so it works from the ESM and CJS builds. */
const postalMimeLocation = (): ModuleLocation | null => moduleLocation('postal-mime');

type WorkerMessage =
  | { type: 'ready' }
  | { type: 'setup-error'; message: string }
  | { type: 'done'; email: Email }
  | { type: 'error'; message: string };

/** One mail decoded in a thread of its own; aborting terminates the thread. */
function parseInWorker(bytes: Uint8Array, options: PostalMimeOptions, module: ModuleLocation, signal?: AbortSignal): Promise<Email> {
  return new Promise<Email>((resolve, reject) => {
    // Flags that make eval'd code an ES module are the host's choice, not the worker's.
    const execArgv = process.execArgv.filter((a) => !/^--(input-type|experimental-default-type)\b/.test(a));
    let worker: Worker;
    try {
      worker = new Worker(MIME_WORKER_SOURCE, { eval: true, workerData: { modulePath: module.path, moduleUrl: module.url }, execArgv });
    } catch (error) {
      reject(new WorkerSetupError(error instanceof Error ? error.message : String(error)));
      return;
    }
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
        worker.postMessage({ type: 'parse', data, options }, [data.buffer]);
      } else if (msg.type === 'setup-error') settle(() => reject(new WorkerSetupError(msg.message)));
      else if (msg.type === 'error') settle(() => reject(new MimeParseError(msg.message)));
      else settle(() => resolve(msg.email));
    });
    worker.on('error', (error) => settle(() => reject(ready ? error : new WorkerSetupError(error.message))));
    worker.on('exit', (code) => {
      const message = `The mail worker exited with code ${code}`;
      settle(() => reject(ready ? new Error(message) : new WorkerSetupError(message)));
    });
  });
}

async function parseHere(bytes: Uint8Array, options: PostalMimeOptions): Promise<Email> {
  try {
    return await PostalMime.parse(bytes, options);
  } catch (error) {
    throw new MimeParseError(error instanceof Error ? error.message : String(error), { cause: error });
  }
}

/**
 * Decodes a MIME message: large ones in a worker thread, small ones (or when no thread can start)
 * on this one. postal-mime's own failures are MimeParseErrors; an abort rejects with its reason.
 */
export async function parseMime(bytes: Uint8Array, options: PostalMimeOptions, signal?: AbortSignal): Promise<Email> {
  signal?.throwIfAborted();
  const module = postalMimeLocation();
  if (bytes.byteLength < WORKER_THRESHOLD_BYTES || module === null) return parseHere(bytes, options);
  try {
    return await parseInWorker(bytes, options, module, signal);
  } catch (error) {
    if (!(error instanceof WorkerSetupError)) throw error;
    return parseHere(bytes, options);
  }
}
