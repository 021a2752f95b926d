/**
 * The fuzz suite's own checks (support/decoder-suite.ts) catch what they
 * are for: toy decoders with each fault are refused by `checkDecode`, and a
 * sound one passes. Without this, a budget that can never fail would look
 * like proof.
 */
import { describe, expect, it } from 'vitest';
import { Reader, Writer } from '../../../src/lib/core/encoding';
import { DecodeError } from '../../../src/lib/core/errors';
import { ALLOCATION_SLACK, externalGrowth, heldBytes } from './support/budget';
import { checkDecode, type DecoderSpec } from './support/decoder-suite';

/** A list of byte strings: count, then each as length-prefixed bytes (the sound decoder). */
const sound = (b: Uint8Array): Uint8Array[] => {
  const r = new Reader(b);
  const out = Array.from({ length: r.count(100, 'items') }, () => r.bytes(100, 'item'));
  r.end();
  return out;
};
const encode = (items: Uint8Array[]) => {
  const w = new Writer().varuint(items.length);
  for (const x of items) w.bytes(x, 100);
  return w.finish();
};
const claim = (n: number) => new Writer().varuint(n).finish();
const spec = (decode: (b: Uint8Array) => unknown, over: Partial<DecoderSpec<unknown>> = {}): DecoderSpec<unknown> => ({ decode, seeds: [], ...over });

describe('the fuzz budgets catch faulty decoders', () => {
  it('a sound decoder passes', () => {
    const bytes = encode([Uint8Array.of(1, 2), Uint8Array.of(3)]);
    expect(checkDecode(spec(sound, { encode: encode as never }), bytes).ok).toBe(true);
  });

  it('a throw other than DecodeError escapes (fails the property)', () => {
    expect(() =>
      checkDecode(
        spec(() => JSON.parse('{')),
        new Uint8Array(1),
      ),
    ).toThrow(SyntaxError);
    expect(
      checkDecode(
        spec(() => {
          throw new DecodeError('TRUNCATED', 'x', 0);
        }),
        new Uint8Array(1),
      ).ok,
    ).toBe(false);
  });

  it('a list of a claimed length built without reading its items is over the memory budget', () => {
    const lazy = (b: Uint8Array) => new Array<null>(new Reader(b).varuint()).fill(null);
    expect(() => checkDecode(spec(lazy), claim(100_000))).toThrow(/memory budget/);
  });

  it('reading the input again for every item is over the CPU and copy budgets', () => {
    const again = (b: Uint8Array) => {
      for (let i = 0; i < 50; i++) new Reader(b).fixed(b.length);
      return null;
    };
    expect(() => checkDecode(spec(again), new Uint8Array(10))).toThrow(/budget/);
  });

  it('a value that encodes to other bytes is not canonical', () => {
    const loose = (b: Uint8Array) => new Reader(b).u8() & 1;
    expect(() => checkDecode(spec(loose, { encode: (v) => Uint8Array.of(v as number) }), Uint8Array.of(3))).toThrow(/not canonical/);
  });

  it('a claimed length allocated before the input is checked shows as allocation growth', () => {
    const eager = (b: Uint8Array) => {
      const r = new Reader(b);
      const n = r.varuint();
      const out = new Uint8Array(n);
      out.set(r.fixed(n));
      return out;
    };
    let refused = false;
    const growth = externalGrowth(() => (refused = !checkDecode(spec(eager, { metered: false }), claim(64 * 1024 * 1024)).ok));
    // Refused with a DecodeError all right, but only after holding 64 MiB.
    expect(refused).toBe(true);
    expect(growth).toBeGreaterThan(ALLOCATION_SLACK);
  });

  it('heldBytes: shared strings once, views into the input free, list items one each', () => {
    const input = new Uint8Array(10);
    const id = 'ab'.repeat(32);
    expect(heldBytes({ a: id, b: id, v: input.subarray(2), c: new Uint8Array(3), n: [1, 2] }, input)).toBe(64 + 3 + 2 + 5);
  });
});
