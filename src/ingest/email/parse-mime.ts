import { moduleLocation, type ModuleLocation } from '../../util/module-location.js';
import { runWorkerJob, WorkerSetupError } from '../../util/worker-job.js';
import PostalMime, { type Email, type PostalMimeOptions } from 'postal-mime';
import { MIME_WORKER_SOURCE } from './mime-worker-source.js';

/** Below this size a mail decodes in a few milliseconds; a thread would cost more than it saves. */
const WORKER_THRESHOLD_BYTES = 256 * 1024;

/** postal-mime failed on the message itself (not a thread or setup problem). */
export class MimeParseError extends Error {
  override readonly name = 'MimeParseError';
}


/** Where postal-mime lives, resolved from this package so it works from the ESM and CJS builds. */
const postalMimeLocation = (): ModuleLocation | null => moduleLocation('postal-mime');

/** One mail decoded in a thread of its own; aborting terminates the thread. */
async function parseInWorker(bytes: Uint8Array, options: PostalMimeOptions, module: ModuleLocation, signal?: AbortSignal): Promise<Email> {
  const events = runWorkerJob<{ type: 'email'; email: Email }>({
    source: MIME_WORKER_SOURCE,
    workerData: { modulePath: module.path, moduleUrl: module.url },
    job: { type: 'parse', data: bytes, options },
    name: 'mail',
    failure: (message) => new MimeParseError(message.message),
    signal,
  });
  for await (const event of events) return event.email;
  throw new Error('The mail worker finished without a result.');
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
