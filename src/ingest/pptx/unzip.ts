import { moduleLocation } from '../../util/module-location.js';
import JSZip from 'jszip';
import type { Yielder } from '../../util/yield.js';
import { unzipInWorker } from './unzip-worker.js';
import { UnzipError, WorkerSetupError, type JsZipModule } from './unzip-types.js';

/** Below this size jszip opens a deck in a few milliseconds; a thread would cost more than it saves. */
const WORKER_THRESHOLD_BYTES = 2 * 1024 * 1024;

/** Where jszip lives, resolved from this package so it works from the ESM and CJS builds. */
const jsZipLocation = (): JsZipModule | null => moduleLocation('jszip');

async function unzipHere(bytes: Uint8Array, wanted: RegExp, yielder: Yielder): Promise<Map<string, string>> {
  let zip: JSZip;
  try {
    zip = await JSZip.loadAsync(bytes);
  } catch (error) {
    throw new UnzipError(error instanceof Error ? error.message : String(error));
  }
  const parts = new Map<string, string>();
  for (const file of Object.values(zip.files)) {
    if (file.dir || !wanted.test(file.name)) continue;
    await yielder.tick();
    try {
      parts.set(file.name, await file.async('string'));
    } catch (error) {
      throw new UnzipError(error instanceof Error ? error.message : String(error), file.name);
    }
  }
  return parts;
}

/**
 * The text of the archive entries whose names match `wanted` (the rest, pictures and media, is
 * never inflated; `wanted` is sent to the worker by its source, so it takes no flags): large archives are opened in a worker thread, small ones (or when no thread can
 * start) on this one. Failures of the archive are UnzipErrors; an abort rejects with its reason.
 */
export async function unzipTextParts(bytes: Uint8Array, wanted: RegExp, yielder: Yielder, signal?: AbortSignal): Promise<Map<string, string>> {
  signal?.throwIfAborted();
  const module = jsZipLocation();
  if (bytes.byteLength < WORKER_THRESHOLD_BYTES || module === null) return unzipHere(bytes, wanted, yielder);
  try {
    return await unzipInWorker(bytes, wanted, module, signal);
  } catch (error) {
    if (!(error instanceof WorkerSetupError)) throw error;
    return unzipHere(bytes, wanted, yielder);
  }
}
