/**
 * Cooperative scheduling for long CPU work: parsers and chunkers call `tick()` often and it only
 * really yields (a macrotask turn, so timers and I/O run) once `sliceMs` of work has passed.
 */
export class Yielder {
  private last = performance.now();

  constructor(
    private readonly signal?: AbortSignal,
    private readonly sliceMs = 20,
  ) {}

  async tick(): Promise<void> {
    this.signal?.throwIfAborted();
    if (performance.now() - this.last < this.sliceMs) return;
    await yieldNow();
    this.signal?.throwIfAborted();
    this.last = performance.now();
  }

  /** Yields unconditionally (between pages and other natural boundaries). */
  async now(): Promise<void> {
    this.signal?.throwIfAborted();
    await yieldNow();
    this.signal?.throwIfAborted();
    this.last = performance.now();
  }
}

export function yieldNow(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
