import { statSync } from 'node:fs';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

const startedAt = performance.now();

/** Progress line on stderr (the report itself goes to stdout). */
export function progress(message: string): void {
  const seconds = ((performance.now() - startedAt) / 1000).toFixed(1).padStart(6);
  process.stderr.write(`[bench ${seconds}s] ${message}\n`);
}

/** Calls `fn` at most once per `ms` (the first call always passes). */
export function throttle(ms: number): (fn: () => void) => void {
  let last = -Infinity;
  return (fn) => {
    const now = performance.now();
    if (now - last < ms) return;
    last = now;
    fn();
  };
}

/** Linear interpolation between closest ranks (numpy's default); `sorted` ascending. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = (p / 100) * (sorted.length - 1);
  const lo = Math.floor(rank);
  const hi = Math.ceil(rank);
  const a = sorted[lo] as number;
  const b = sorted[hi] as number;
  return a + (b - a) * (rank - lo);
}

export interface LatencySummary {
  n: number;
  mean: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

export function summarize(samples: readonly number[]): LatencySummary {
  const sorted = [...samples].sort((a, b) => a - b);
  const sum = sorted.reduce((s, x) => s + x, 0);
  return {
    n: sorted.length,
    mean: sorted.length > 0 ? sum / sorted.length : Number.NaN,
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    max: sorted[sorted.length - 1] ?? Number.NaN,
  };
}

export interface LoopDelay {
  /** Largest sampled delay, ms (includes the 10 ms sampling interval). */
  maxMs: number;
  p99Ms: number;
  meanMs: number;
  samples: number;
}

/**
 * Lets the event-loop watch record a block that has just ended: a block is sampled when the next timer
 * fires after it, which comes after the promise that the blocking step resolved. Await this before
 * `stop()`, or the last step's block is missed.
 */
export function loopSettled(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 50));
}

/**
 * Event-loop delay while some work runs. A sample is the time between two 10 ms timer ticks, so an
 * idle loop reads ~10 ms and a block of B ms reads ~B + 10 ms.
 */
export function watchEventLoop(): { stop(): LoopDelay } {
  const histogram = monitorEventLoopDelay({ resolution: 10 });
  histogram.enable();
  return {
    stop() {
      histogram.disable();
      return {
        maxMs: histogram.max / 1e6,
        p99Ms: histogram.percentile(99) / 1e6,
        meanMs: histogram.mean / 1e6,
        samples: histogram.count,
      };
    },
  };
}

export interface MemorySnapshot {
  /** Peak resident set of the whole process so far (KiB, from getrusage). */
  maxRssKiB: number;
  /** Current resident set (bytes). */
  rss: number;
  /** Live JS heap after a full GC (bytes). */
  heapUsed: number;
}

// A full GC before reading the heap, so heapUsed is what is live rather than when V8 last collected.
setFlagsFromString('--expose-gc');
const collect = runInNewContext('gc') as (() => void) | undefined;

/** A macrotask turn: lets timers (and the event-loop monitor) run between units of work. */
export const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

export function memory(): MemorySnapshot {
  collect?.();
  const usage = process.memoryUsage();
  return { maxRssKiB: process.resourceUsage().maxRSS, rss: usage.rss, heapUsed: usage.heapUsed };
}

/** Size of a SQLite database with its WAL and shared-memory files, in bytes (0 if absent). */
export function databaseBytes(path: string): { db: number; wal: number } {
  const size = (p: string): number => {
    try {
      return statSync(p).size;
    } catch {
      return 0;
    }
  };
  return { db: size(path), wal: size(`${path}-wal`) };
}

export const seconds = (ms: number): string => (ms / 1000).toFixed(2);
export const ms = (value: number, digits = 1): string => (Number.isFinite(value) ? value.toFixed(digits) : 'n/a');
export const int = (value: number): string => Math.round(value).toLocaleString('en-US');
export const mib = (bytes: number): string => (bytes / 1024 / 1024).toFixed(1);
export const mb = (bytes: number): string => (bytes / 1e6).toFixed(2);

/** A markdown table; cells are printed as given. */
export function table(headers: readonly string[], rows: readonly (readonly (string | number)[])[]): string {
  const line = (cells: readonly (string | number)[]) => `| ${cells.map(String).join(' | ')} |`;
  return [line(headers), line(headers.map(() => '---')), ...rows.map(line)].join('\n');
}

/** A small deterministic PRNG (xorshift32), so every run builds the same datasets. */
export function random(seed: number): () => number {
  let state = seed >>> 0 || 0x9e3779b9;
  return () => {
    state ^= state << 13;
    state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    return state / 0x1_0000_0000;
  };
}
