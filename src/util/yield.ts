/**
 * Cooperative scheduling for long CPU work: parsers, chunkers and embedders call `tick()` often and
 * it only really yields (a macrotask turn, so timers and I/O run) once `sliceMs` of work has passed.
 * Slices are short because several parse jobs run at once and their slices add up within one turn
 * of the loop: two 10 ms slices keep an HTTP server on top well inside ~100 ms.
 */
export class Yielder {
  private last = performance.now();

  constructor(
    private readonly signal?: AbortSignal,
    private readonly sliceMs = 10,
  ) {}

  async tick(): Promise<void> {
    this.signal?.throwIfAborted();
    if (performance.now() - this.last < this.sliceMs) return;
    await yieldToEventLoop();
    this.signal?.throwIfAborted();
    this.last = performance.now();
  }

  /** Yields unconditionally (between pages and other natural boundaries). */
  async now(): Promise<void> {
    this.signal?.throwIfAborted();
    await yieldToEventLoop();
    this.signal?.throwIfAborted();
    this.last = performance.now();
  }
}

export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
