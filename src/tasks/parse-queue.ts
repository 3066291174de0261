import type { EngineContext } from '../context.js';
import type { Document } from '../types.js';
import { describeFailure, runParseJob, type AbortReason } from './parse-job.js';

export type ParseListener = (document: Document) => void;

interface Job {
  document: Document;
  controller: AbortController;
  done: Promise<void>;
  resolve: () => void;
  started: boolean;
}

// Progress-only updates hit the store at most this often; lines of the log are written at once.
const PROGRESS_WRITE_MS = 200;

/**
 * Background parsing with a concurrency limit. The store is the source of truth for status: the
 * queue only holds what is in flight, so after a crash `recover()` can rebuild it from the rows
 * still marked RUNNING.
 */
export class ParseQueue {
  private readonly jobs = new Map<string, Job>();
  private readonly pending: string[] = [];
  private readonly listeners = new Set<ParseListener>();
  private running = 0;
  private closed = false;

  constructor(
    private readonly ctx: EngineContext,
    private readonly concurrency: number,
  ) {}

  /** The document must already be marked RUNNING in the store. */
  enqueue(document: Document): void {
    if (this.closed || this.jobs.has(document.id)) return;
    let resolve!: () => void;
    const done = new Promise<void>((r) => (resolve = r));
    this.jobs.set(document.id, { document, controller: new AbortController(), done, resolve, started: false });
    this.pending.push(document.id);
    this.pump();
  }

  isActive(documentId: string): boolean {
    return this.jobs.has(documentId);
  }

  /**
   * Stops queued or running parses; resolves once they have really stopped. Queued ones are dropped
   * first, so stopping a whole batch never lets the next one start just to be stopped again.
   */
  async cancel(documentIds: string | readonly string[], reason: AbortReason = 'stop'): Promise<void> {
    const ids = typeof documentIds === 'string' ? [documentIds] : documentIds;
    const jobs = ids.map((id) => this.jobs.get(id)).filter((job) => job !== undefined);
    const queued = jobs.filter((job) => !job.started);
    const running = jobs.filter((job) => job.started);
    // All of this before the first await: nothing queued here may start in the meantime.
    for (const job of queued) this.pending.splice(this.pending.indexOf(job.document.id), 1);
    for (const job of running) job.controller.abort(reason);
    for (const job of queued) {
      // Marked before the job is released, so whoever waits on it sees the final state.
      if (reason === 'stop') await this.markCancelled(job.document.id, job.document.progressMsg);
      this.finish(job.document.id);
    }
    await Promise.all(running.map((job) => job.done));
  }

  private async markCancelled(documentId: string, log: string, processDuration?: number): Promise<void> {
    const updated = await this.ctx.store.updateDocument(documentId, {
      run: 'CANCEL',
      progressMsg: `${log} [Canceled]`,
      ...(processDuration !== undefined && { processDuration }),
      updateTime: this.ctx.now(),
    });
    if (updated) this.emit(updated);
  }

  /** Resolves when none of the documents is queued or running any more. */
  async waitFor(documentIds: readonly string[], signal?: AbortSignal): Promise<void> {
    for (;;) {
      const active = documentIds.map((id) => this.jobs.get(id)?.done).filter((p) => p !== undefined);
      if (active.length === 0) return;
      signal?.throwIfAborted();
      if (!signal) {
        await Promise.all(active);
        continue;
      }
      await new Promise<void>((resolve, reject) => {
        const onAbort = () => reject(signal.reason);
        signal.addEventListener('abort', onAbort, { once: true });
        void Promise.all(active).then(() => {
          signal.removeEventListener('abort', onAbort);
          resolve();
        });
      });
    }
  }

  subscribe(listener: ParseListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Aborts everything without marking it cancelled: those documents resume on the next open(). */
  async close(): Promise<void> {
    this.closed = true;
    await this.cancel([...this.jobs.keys()], 'shutdown');
  }

  private pump(): void {
    while (this.running < this.concurrency && this.pending.length > 0) {
      const id = this.pending.shift() as string;
      const job = this.jobs.get(id);
      if (!job) continue;
      job.started = true;
      this.running++;
      void this.run(job).finally(() => {
        this.running--;
        this.finish(id);
        this.pump();
      });
    }
  }

  private finish(documentId: string): void {
    const job = this.jobs.get(documentId);
    this.jobs.delete(documentId);
    job?.resolve();
  }

  private async run(job: Job): Promise<void> {
    const { document, controller } = job;
    const { store } = this.ctx;
    let log = document.progressMsg;
    let lastWrite = 0;
    const write = async (patch: Partial<Pick<Document, 'progress' | 'progressMsg' | 'run' | 'processDuration'>>) => {
      const updated = await store.updateDocument(document.id, { ...patch, updateTime: this.ctx.now() });
      if (updated) this.emit(updated);
    };
    const reporter = {
      get log() {
        return log;
      },
      step: async (progress: number, line?: string) => {
        if (controller.signal.aborted) return;
        if (line) log += `\n${line}`;
        const now = Date.now();
        if (!line && now - lastWrite < PROGRESS_WRITE_MS) return;
        lastWrite = now;
        await write({ progress, progressMsg: log });
      },
    };
    const started = this.ctx.now();
    try {
      await reporter.step(0.01, 'Task has been received.');
      if (document.chunkMethod === 'knowledge_graph') {
        await reporter.step(0.01, 'Chunk method "knowledge_graph" builds no graph here; parsing with "naive".');
      }
      await runParseJob(this.ctx, document, controller.signal, reporter);
      const done = await store.getDocument(document.tenantId, document.datasetId, document.id);
      if (done) this.emit(done);
    } catch (error) {
      const reason: unknown = controller.signal.reason;
      if (controller.signal.aborted && reason === 'shutdown') return;
      if (controller.signal.aborted && reason === 'stop') {
        await this.markCancelled(document.id, log, (this.ctx.now() - started) / 1000);
        return;
      }
      await write({
        run: 'FAIL',
        progress: -1,
        progressMsg: `${log}\n[ERROR]${describeFailure(error)}`,
        processDuration: (this.ctx.now() - started) / 1000,
      });
    }
  }

  private emit(document: Document): void {
    for (const listener of this.listeners) {
      try {
        listener(document);
      } catch {
        // A listener's bug must not break parsing.
      }
    }
  }
}
