import { runWorkerJob } from '../../util/worker-job.js';
import { UNZIP_WORKER_SOURCE } from './unzip-worker-source.js';
import { UnzipError, type JsZipModule } from './unzip-types.js';

/** One archive unpacked in a thread of its own; aborting terminates the thread. */
export async function unzipInWorker(bytes: Uint8Array, wanted: RegExp, module: JsZipModule, signal?: AbortSignal): Promise<Map<string, string>> {
  const parts = new Map<string, string>();
  const events = runWorkerJob<{ type: 'part'; name: string; text: string }>({
    source: UNZIP_WORKER_SOURCE,
    workerData: { modulePath: module.path, moduleUrl: module.url },
    job: { type: 'unzip', data: bytes, pattern: wanted.source },
    name: 'unzip',
    failure: (message) => new UnzipError(message.message, typeof message['part'] === 'string' ? message['part'] : undefined),
    signal,
  });
  for await (const part of events) parts.set(part.name, part.text);
  return parts;
}
