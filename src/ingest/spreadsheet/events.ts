import type { ChunkFieldValue } from '../../types.js';

/** What the workbook walker (walk-source.ts) produces, in order, for every sheet. */
export type SheetEvent =
  | { type: 'sheet'; index: number; count: number; name: string; /** rows to walk, blank ones included */ rowCount: number }
  | {
      type: 'rows';
      index: number;
      /** Cells as a user sees them. */
      rows: string[][];
      typed: (ChunkFieldValue | null)[][];
      /** The sheet's 1-based row number of each entry. */
      numbers: number[];
      /** Rows of the sheet walked so far. */
      done: number;
    }
  | { type: 'sheet-end'; index: number };

/** Rows per message from the worker: small enough that no single message takes long to receive. */
export const BATCH_ROWS = 2000;

/** SheetJS failed on the file itself (corrupt, encrypted, not a workbook). */
export class WorkbookReadError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WorkbookReadError';
  }
}

/** The worker could not start or load SheetJS; reading falls back to the calling thread. */
export { WorkerSetupError } from '../../util/worker-job.js';
