/**
 * A tiny WebAssembly binary writer (issue 7): just what the mining kernel
 * needs — one memory, exported functions, i32 and v128 locals, and the
 * handful of scalar and SIMD instructions it uses. Pure: it only builds bytes
 * (compiling them is the adapter's business, see
 * adapters/miner/wasm-engine.ts). Encoding follows the WebAssembly core
 * specification 2.0, binary format (LEB128 integers, sections by id).
 */

/** Value types. */
export const I32 = 0x7f;
export const V128 = 0x7b;

/** Scalar opcodes used by the kernel. */
export const OP = {
  block: 0x02,
  loop: 0x03,
  if: 0x04,
  end: 0x0b,
  br: 0x0c,
  brIf: 0x0d,
  return: 0x0f,
  localGet: 0x20,
  localSet: 0x21,
  i32Const: 0x41,
  i32GeU: 0x4f,
  i32Add: 0x6a,
  /** Block type of a block without results. */
  void: 0x40,
} as const;

/** SIMD opcodes (after the 0xfd prefix). */
export const SIMD = {
  load32Splat: 0x09,
  const: 0x0c,
  i32x4Splat: 0x11,
  i32x4LeU: 0x3e,
  and: 0x4e,
  or: 0x50,
  xor: 0x51,
  bitselect: 0x52,
  anyTrue: 0x53,
  i32x4Shl: 0xab,
  i32x4ShrU: 0xad,
  i32x4Add: 0xae,
} as const;

/** Unsigned LEB128. */
export function uleb(n: number): number[] {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n = Math.floor(n / 128);
    if (n !== 0) b |= 0x80;
    out.push(b);
  } while (n !== 0);
  return out;
}

/** Signed LEB128 of a 32-bit integer. */
export function sleb(n: number): number[] {
  const out: number[] = [];
  n |= 0;
  for (;;) {
    const b = n & 0x7f;
    n >>= 7;
    if ((n === 0 && (b & 0x40) === 0) || (n === -1 && (b & 0x40) !== 0)) return [...out, b];
    out.push(b | 0x80);
  }
}

/** An instruction stream for one function body. */
export class Code {
  readonly bytes: number[] = [];

  op(...b: number[]): this {
    this.bytes.push(...b);
    return this;
  }
  simd(op: number): this {
    return this.op(0xfd, ...uleb(op));
  }
  get(local: number): this {
    return this.op(OP.localGet, ...uleb(local));
  }
  set(local: number): this {
    return this.op(OP.localSet, ...uleb(local));
  }
  i32(n: number): this {
    return this.op(OP.i32Const, ...sleb(n));
  }
  /** `v128.load32_splat` of the 32-bit word at byte `offset` (address operand 0). */
  splatLoad(offset: number): this {
    return this.i32(0)
      .simd(SIMD.load32Splat)
      .op(2, ...uleb(offset));
  }
  /** `v128.const` with four 32-bit lanes. */
  v128(lanes: readonly [number, number, number, number]): this {
    this.simd(SIMD.const);
    for (const l of lanes) this.op(l & 0xff, (l >>> 8) & 0xff, (l >>> 16) & 0xff, (l >>> 24) & 0xff);
    return this;
  }
}

export interface FuncDef {
  readonly name: string;
  readonly params: readonly number[];
  readonly results: readonly number[];
  /** Extra locals after the parameters, in runs of one type. */
  readonly locals: readonly (readonly [count: number, type: number])[];
  readonly code: Code;
}

const vec = (items: readonly number[][]): number[] => [...uleb(items.length), ...items.flat()];
const section = (id: number, body: number[]): number[] => [id, ...uleb(body.length), ...body];
const name = (s: string): number[] => vec([...s].map((c) => [c.charCodeAt(0)]));

/** A module with one memory of `pages` 64 KiB pages exported as "memory", and `funcs` exported by name. */
export function wasmModule(pages: number, funcs: readonly FuncDef[]): Uint8Array<ArrayBuffer> {
  const types = funcs.map((f) => [0x60, ...vec(f.params.map((t) => [t])), ...vec(f.results.map((t) => [t]))]);
  const bodies = funcs.map((f) => {
    const body = [...vec(f.locals.map(([n, t]) => [...uleb(n), t])), ...f.code.bytes, OP.end];
    return [...uleb(body.length), ...body];
  });
  const exports = [[...name('memory'), 2, 0], ...funcs.map((f, i) => [...name(f.name), 0, ...uleb(i)])];
  return new Uint8Array([
    0x00,
    0x61,
    0x73,
    0x6d,
    0x01,
    0x00,
    0x00,
    0x00,
    ...section(1, vec(types)),
    ...section(3, vec(funcs.map((_, i) => uleb(i)))),
    ...section(5, vec([[0x00, ...uleb(pages)]])),
    ...section(7, vec(exports)),
    ...section(10, vec(bodies)),
  ]);
}
