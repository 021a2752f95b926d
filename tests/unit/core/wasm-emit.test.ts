/** The WebAssembly writer: LEB128 as the specification's examples, and a module Node compiles and runs. */
import { describe, expect, it } from 'vitest';
import { Code, I32, OP, SIMD, V128, sleb, uleb, wasmModule } from '../../../src/lib/core/wasm-emit';

describe('wasm-emit', () => {
  it('encodes LEB128 integers', () => {
    expect(uleb(0)).toEqual([0]);
    expect(uleb(127)).toEqual([0x7f]);
    expect(uleb(128)).toEqual([0x80, 0x01]);
    expect(uleb(624485)).toEqual([0xe5, 0x8e, 0x26]);
    expect(sleb(-1)).toEqual([0x7f]);
    expect(sleb(63)).toEqual([0x3f]);
    expect(sleb(64)).toEqual([0xc0, 0x00]);
    expect(sleb(-123456)).toEqual([0xc0, 0xbb, 0x78]);
    expect(sleb(0x7fffffff)).toEqual([0xff, 0xff, 0xff, 0xff, 0x07]);
  });

  it('writes a module that compiles and runs: scalar loop, SIMD lanes, memory loads', () => {
    // sum(n): 1 + 2 + … + n with a loop; lanes(x): whether any lane of splat(x) + [0,1,2,3] is ≤ the word at byte 8, via load32_splat.
    const sum = new Code();
    sum.op(OP.loop, OP.void).get(0).i32(1).op(OP.i32GeU, OP.if, OP.void);
    sum.get(1).get(0).op(OP.i32Add).set(1).get(0).i32(-1).op(OP.i32Add).set(0).op(OP.br, 1);
    sum.op(OP.end, OP.end).get(1);
    const lanes = new Code();
    lanes.get(0).simd(SIMD.i32x4Splat).v128([0, 1, 2, 3]).simd(SIMD.i32x4Add).splatLoad(8).simd(SIMD.i32x4LeU).set(1);
    lanes.get(1).simd(SIMD.anyTrue);
    const bytes = wasmModule(1, [
      { name: 'sum', params: [I32], results: [I32], locals: [[1, I32]], code: sum },
      { name: 'lanes', params: [I32], results: [I32], locals: [[1, V128]], code: lanes },
    ]);
    expect(WebAssembly.validate(bytes)).toBe(true);
    const { exports } = new WebAssembly.Instance(new WebAssembly.Module(bytes), {});
    expect((exports.sum as (n: number) => number)(5)).toBe(15);
    expect((exports.sum as (n: number) => number)(0)).toBe(0);
    new DataView((exports.memory as WebAssembly.Memory).buffer).setUint32(8, 10, true);
    const any = exports.lanes as (x: number) => number;
    expect(any(7)).toBe(1); // 7 ≤ 10
    expect(any(10)).toBe(1);
    expect(any(11)).toBe(0);
    expect(any(-1)).toBe(1); // lanes wrap: 0xffffffff + 1 = 0
  });
});
