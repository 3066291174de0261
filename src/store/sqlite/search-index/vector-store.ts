import { createScanner, type Int8Scanner } from './int8-kernel.js';

/**
 * The vectors of one dataset for one dimension, in memory: exact float32 copies (for the re-scoring
 * and for the candidates' cosines) and int8 codes (for the fast first pass, in the scanner's memory).
 * Rows are dense: removing one moves the last row into its place.
 *
 * Quantisation: each row is scaled so that its largest |x| becomes 127 and rounded; `mult` folds the
 * scale and the row's norm back in, so that code·query × mult ranks rows as cosine does, up to the
 * rounding. The query is scaled to int16 (as large as the int32 sums allow).
 */
export class VectorStore {
  readonly stride: number;
  rows = 0;
  private capacity = 0;
  private scanner: Int8Scanner;
  private codesOffset = 0;
  private outOffset = 0;
  vectors: Float32Array;
  norms: Float64Array;
  private mult: Float64Array;
  /** Segment slot of each row. */
  slots: Int32Array;

  constructor(
    readonly dim: number,
    /** Rows to make room for at once (a build knows how many are coming: no doubling, no slack). */
    initialCapacity = 64,
  ) {
    this.stride = Math.ceil(dim / 16) * 16;
    this.scanner = createScanner();
    this.vectors = new Float32Array(0);
    this.norms = new Float64Array(0);
    this.mult = new Float64Array(0);
    this.slots = new Int32Array(0);
    this.grow(Math.max(16, initialCapacity));
  }

  /** Bytes held (typed arrays and the scanner's memory). */
  bytes(): number {
    return (
      this.vectors.byteLength +
      this.norms.byteLength +
      this.mult.byteLength +
      this.slots.byteLength +
      this.bucket.byteLength +
      this.scanner.memory.buffer.byteLength
    );
  }

  private grow(capacity: number): void {
    const stride = this.stride;
    const outOffset = 2 * stride;
    const codesOffset = outOffset + 4 * capacity;
    const need = codesOffset + capacity * stride;
    const memory = this.scanner.memory;
    const pages = Math.ceil((need - memory.buffer.byteLength) / 65536);
    if (pages > 0) memory.grow(pages);
    const bytes = new Int8Array(memory.buffer);
    // Codes move up to make room for the larger result area (copyWithin handles the overlap).
    bytes.copyWithin(codesOffset, this.codesOffset, this.codesOffset + this.rows * stride);
    this.codesOffset = codesOffset;
    this.outOffset = outOffset;
    const vectors = new Float32Array(capacity * this.dim);
    vectors.set(this.vectors.subarray(0, this.rows * this.dim));
    this.vectors = vectors;
    const norms = new Float64Array(capacity);
    norms.set(this.norms.subarray(0, this.rows));
    this.norms = norms;
    const mult = new Float64Array(capacity);
    mult.set(this.mult.subarray(0, this.rows));
    this.mult = mult;
    const slots = new Int32Array(capacity);
    slots.set(this.slots.subarray(0, this.rows));
    this.slots = slots;
    this.capacity = capacity;
  }

  /** Appends a row; returns its index. */
  add(slot: number, vector: Float32Array): number {
    if (this.rows === this.capacity) this.grow(this.capacity * 2);
    const row = this.rows++;
    this.write(row, slot, vector);
    return row;
  }

  private write(row: number, slot: number, vector: Float32Array): void {
    const dim = this.dim;
    this.vectors.set(vector, row * dim);
    let max = 0;
    let sum = 0;
    for (let d = 0; d < dim; d++) {
      const x = vector[d] as number;
      sum += x * x;
      const a = Math.abs(x);
      if (a > max) max = a;
    }
    const norm = Math.sqrt(sum);
    const scale = max > 0 ? 127 / max : 0;
    const codes = new Int8Array(this.scanner.memory.buffer, this.codesOffset + row * this.stride, this.stride);
    codes.fill(0);
    for (let d = 0; d < dim; d++) codes[d] = Math.round((vector[d] as number) * scale);
    this.norms[row] = norm;
    this.mult[row] = scale > 0 && norm > 0 ? 1 / (scale * norm) : 0;
    this.slots[row] = slot;
  }

  /** Removes a row by moving the last one into it; returns the slot whose row changed (or -1). */
  remove(row: number): number {
    const last = --this.rows;
    if (row === last) return -1;
    const dim = this.dim;
    this.vectors.copyWithin(row * dim, last * dim, last * dim + dim);
    const bytes = new Int8Array(this.scanner.memory.buffer);
    bytes.copyWithin(this.codesOffset + row * this.stride, this.codesOffset + last * this.stride, this.codesOffset + (last + 1) * this.stride);
    this.norms[row] = this.norms[last] as number;
    this.mult[row] = this.mult[last] as number;
    const moved = this.slots[last] as number;
    this.slots[row] = moved;
    return moved;
  }

  vector(row: number): Float32Array {
    return this.vectors.subarray(row * this.dim, row * this.dim + this.dim);
  }

  /** Exact cosine of the query with a row (double precision over the float32 values). */
  cosine(query: Float32Array, queryNorm: number, row: number): number {
    const norm = this.norms[row] as number;
    if (norm === 0 || queryNorm === 0) return 0;
    const v = this.vectors;
    const o = row * this.dim;
    let dot = 0;
    for (let d = 0; d < this.dim; d++) dot += (query[d] as number) * (v[o + d] as number);
    return dot / (queryNorm * norm);
  }

  private bucket: Uint16Array = new Uint16Array(0);
  private readonly histogram = new Int32Array(2048);

  /**
   * The rows (visible by `visible[slot]`) with the `count` best approximate cosines, in no order;
   * rows tied at the cut may add a few more. Empty for a zero query. The int8 pass scores every
   * row; the cut is then found with a histogram of the scores, not a heap: two linear passes.
   */
  approximateBest(query: Float32Array, count: number, visible: Uint8Array): number[] {
    const stride = this.stride;
    const rows = this.rows;
    let max = 0;
    for (let d = 0; d < this.dim; d++) max = Math.max(max, Math.abs(query[d] as number));
    if (max === 0 || rows === 0 || count <= 0) return [];
    // |Σ code·q| <= 127 · qmax · stride must fit an int32.
    const qmax = Math.min(32767, Math.floor(2147483647 / (127 * stride)));
    const scale = qmax / max;
    const q = new Int16Array(this.scanner.memory.buffer, 0, stride);
    q.fill(0);
    for (let d = 0; d < this.dim; d++) q[d] = Math.round((query[d] as number) * scale);
    this.scanner.scan(0, this.codesOffset, rows, stride, this.outOffset);
    const dots = new Int32Array(this.scanner.memory.buffer, this.outOffset, rows);
    if (this.bucket.length < rows) this.bucket = new Uint16Array(this.capacity);
    const bucket = this.bucket;
    const mult = this.mult;
    const slots = this.slots;
    // code·q × mult ≈ scale · |q| · cosine: the histogram spans cosines in [-1.05, 1.05] (rounding
    // can step slightly outside [-1, 1]; the end buckets take the rest), so one pass fills it.
    let queryNorm = 0;
    for (let d = 0; d < this.dim; d++) queryNorm += (query[d] as number) * (query[d] as number);
    const toCosine = 1 / (scale * Math.sqrt(queryNorm));
    const buckets = this.histogram.length;
    const histogram = this.histogram;
    histogram.fill(0);
    // bucket = floor((cosine + 1.05) · buckets / 2.1), folded into one multiply-add per row; `| 0`
    // truncates, which is floor for the non-negative values kept (negatives clamp to bucket 0).
    const perBucket = buckets / 2.1;
    const slope = toCosine * perBucket;
    const offset = 1.05 * perBucket;
    const last = buckets - 1;
    // Bucket 0 marks rows that may not be returned; the others are shifted up by one.
    let eligible = 0;
    for (let r = 0; r < rows; r++) {
      if (!visible[slots[r] as number]) {
        bucket[r] = 0;
        continue;
      }
      const x = (dots[r] as number) * (mult[r] as number) * slope + offset;
      const b = x <= 0 ? 0 : x >= last ? last : x | 0;
      bucket[r] = b + 1;
      eligible++;
      histogram[b] = (histogram[b] as number) + 1;
    }
    const out: number[] = [];
    if (eligible <= count) {
      for (let r = 0; r < rows; r++) if (bucket[r] !== 0) out.push(r);
      return out;
    }
    // The highest bucket that keeps at least `count` rows at or above it.
    let kept = 0;
    let cut = buckets - 1;
    for (; cut > 0; cut--) {
      kept += histogram[cut] as number;
      if (kept >= count) break;
    }
    const keep = cut + 1;
    for (let r = 0; r < rows; r++) if ((bucket[r] as number) >= keep) out.push(r);
    return out;
  }
}
