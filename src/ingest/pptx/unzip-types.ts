import type { ModuleLocation } from '../../util/module-location.js';

/** Where jszip's file lives, for a worker thread to load it. */
export type JsZipModule = ModuleLocation;

/** The archive itself is unreadable (not a ZIP, truncated), or one of its entries is. */
export class UnzipError extends Error {
  override readonly name = 'UnzipError';
  constructor(
    message: string,
    /** The entry that failed, when the archive opened but an entry did not. */
    readonly part?: string,
  ) {
    super(message);
  }
}

/** The thread could not start or load jszip: the caller unpacks on its own thread instead. */
export { WorkerSetupError } from '../../util/worker-job.js';
