/**
 * The first pass of the vector search: dot products of one int16 query with many int8 rows. Plain
 * JavaScript manages ~1 multiply-add per nanosecond, 25 ms for 100k rows of 256 dimensions, so the
 * loop is a tiny WebAssembly function using 128-bit SIMD (16 int8 lanes per load, sign-extended to
 * int16 and multiplied-and-added pairwise into int32 lanes by i32x4.dot_i16x8_s). It is assembled
 * here, byte by byte, because the project ships no WebAssembly toolchain; a JavaScript loop with the
 * same integer arithmetic takes over where WebAssembly SIMD is unavailable.
 *
 * Memory layout, chosen by the caller: the query as `stride` int16 values at `queryOffset`, `rows`
 * rows of `stride` int8 values at `codesOffset`, one int32 result per row at `outOffset`.
 * `stride` is a multiple of 16 (rows are zero-padded).
 */

// The project compiles without the DOM library, which is where TypeScript declares WebAssembly:
// the little used here is declared locally.
interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
interface WasmApi {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: unknown };
  Memory: new (descriptor: { initial: number }) => WasmMemory;
}
const wasm = (globalThis as unknown as { WebAssembly?: WasmApi }).WebAssembly;

export interface Int8Scanner {
  readonly memory: WasmMemory;
  scan(queryOffset: number, codesOffset: number, rows: number, stride: number, outOffset: number): void;
}

// LEB128 for the few multi-byte SIMD opcodes used below (all < 16384).
const simd = (op: number): number[] => (op < 0x80 ? [0xfd, op] : [0xfd, (op & 0x7f) | 0x80, op >> 7]);
const V128_LOAD = (offset: number): number[] => [...simd(0x00), 0x00, offset];
const V128_CONST_ZERO = [...simd(0x0c), ...new Array<number>(16).fill(0)];
const I16X8_EXTEND_LOW_I8X16_S = simd(0x87);
const I16X8_EXTEND_HIGH_I8X16_S = simd(0x88);
const I32X4_DOT_I16X8_S = simd(0xba);
const I32X4_ADD = simd(0xae);
const I32X4_EXTRACT_LANE = (lane: number): number[] => [...simd(0x1b), lane];

const GET = 0x20;
const SET = 0x21;
const TEE = 0x22;
const I32_CONST = 0x41;
const I32_ADD = 0x6a;
const I32_SHL = 0x74;
const I32_LT_U = 0x49;
const I32_GE_U = 0x4f;
const BLOCK = 0x02;
const LOOP = 0x03;
const BR = 0x0c;
const BR_IF = 0x0d;
const END = 0x0b;
const VOID = 0x40;

// Locals: parameters 0-4, then row, j, p, qp (i32) and acc, doc (v128).
const [Q, CODES, ROWS, STRIDE, OUT, ROW, J, P, QP, ACC, DOC] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10];

function body(): number[] {
  return [
    0x02, 0x04, 0x7f, 0x02, 0x7b, // locals: 4 × i32, 2 × v128
    GET, CODES, SET, P,
    BLOCK, VOID,
    LOOP, VOID,
    GET, ROW, GET, ROWS, I32_GE_U, BR_IF, 1,
    ...V128_CONST_ZERO, SET, ACC,
    I32_CONST, 0, SET, J,
    GET, Q, SET, QP,
    LOOP, VOID,
    GET, P, ...V128_LOAD(0), SET, DOC,
    GET, ACC,
    GET, DOC, ...I16X8_EXTEND_LOW_I8X16_S, GET, QP, ...V128_LOAD(0), ...I32X4_DOT_I16X8_S, ...I32X4_ADD,
    GET, DOC, ...I16X8_EXTEND_HIGH_I8X16_S, GET, QP, ...V128_LOAD(16), ...I32X4_DOT_I16X8_S, ...I32X4_ADD,
    SET, ACC,
    GET, P, I32_CONST, 16, I32_ADD, SET, P,
    GET, QP, I32_CONST, 32, I32_ADD, SET, QP,
    GET, J, I32_CONST, 16, I32_ADD, TEE, J, GET, STRIDE, I32_LT_U, BR_IF, 0,
    END,
    GET, OUT, GET, ROW, I32_CONST, 2, I32_SHL, I32_ADD,
    GET, ACC, ...I32X4_EXTRACT_LANE(0),
    GET, ACC, ...I32X4_EXTRACT_LANE(1), I32_ADD,
    GET, ACC, ...I32X4_EXTRACT_LANE(2), I32_ADD,
    GET, ACC, ...I32X4_EXTRACT_LANE(3), I32_ADD,
    0x36, 0x02, 0x00, // i32.store align=4 offset=0
    GET, ROW, I32_CONST, 1, I32_ADD, SET, ROW,
    BR, 0,
    END,
    END,
    END,
  ];
}

const leb = (n: number): number[] => {
  const out: number[] = [];
  do {
    let byte = n & 0x7f;
    n >>>= 7;
    if (n !== 0) byte |= 0x80;
    out.push(byte);
  } while (n !== 0);
  return out;
};
const section = (id: number, content: number[]): number[] => [id, ...leb(content.length), ...content];
const name = (s: string): number[] => [s.length, ...Array.from(s, (c) => c.charCodeAt(0))];

function moduleBytes(): Uint8Array {
  const code = body();
  return new Uint8Array([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, [1, 0x60, 5, 0x7f, 0x7f, 0x7f, 0x7f, 0x7f, 0]), // (i32 × 5) -> ()
    ...section(3, [1, 0]),
    ...section(5, [1, 0x00, 1]), // one memory, at least one page
    ...section(7, [2, ...name('memory'), 0x02, 0, ...name('scan'), 0x00, 0]),
    ...section(10, [1, ...leb(code.length), ...code]),
  ]);
}

let compiled: object | null | undefined;

function wasmModule(): object | null {
  if (compiled === undefined) {
    try {
      const bytes = moduleBytes();
      compiled = wasm && wasm.validate(bytes) ? new wasm.Module(bytes) : null;
    } catch {
      compiled = null;
    }
  }
  return compiled ?? null;
}

/** A scanner with its own memory (one per vector store, so stores grow independently). */
export function createScanner(forceJs = false): Int8Scanner {
  const module = forceJs ? null : wasmModule();
  if (module && wasm) {
    const instance = new wasm.Instance(module, {});
    const exports = instance.exports as { memory: WasmMemory; scan: Int8Scanner['scan'] };
    return { memory: exports.memory, scan: exports.scan };
  }
  const memory: WasmMemory = wasm ? new wasm.Memory({ initial: 1 }) : growableMemory();
  return {
    memory,
    scan(queryOffset, codesOffset, rows, stride, outOffset) {
      const q = new Int16Array(memory.buffer, queryOffset, stride);
      const codes = new Int8Array(memory.buffer, codesOffset, rows * stride);
      const out = new Int32Array(memory.buffer, outOffset, rows);
      for (let r = 0, o = 0; r < rows; r++, o += stride) {
        let acc = 0;
        for (let d = 0; d < stride; d++) acc += (codes[o + d] as number) * (q[d] as number);
        out[r] = acc;
      }
    },
  };
}

/** Stands in for WebAssembly.Memory where WebAssembly is missing altogether. */
function growableMemory(): WasmMemory {
  const memory = {
    buffer: new ArrayBuffer(65536),
    grow(pages: number): number {
      const before = memory.buffer.byteLength / 65536;
      const next = new ArrayBuffer(memory.buffer.byteLength + pages * 65536);
      new Uint8Array(next).set(new Uint8Array(memory.buffer));
      memory.buffer = next;
      return before;
    },
  };
  return memory;
}
