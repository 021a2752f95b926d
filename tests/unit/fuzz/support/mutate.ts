/**
 * Mutations of valid encodings (issue 13): random bytes rarely get past a
 * decoder's first field, while a valid message with a byte flipped, a field
 * cut short or a length prefix rewritten to a huge value reaches every field
 * behind it. {@link mutant} draws such inputs from seeds; {@link hugePrefixes}
 * lists every way to plant a huge length at each offset of one seed.
 */
import fc from 'fast-check';
import { Writer } from '../../../../src/lib/core/encoding';

/** Length and count values an attacker would claim: limits' edges, 2^31, 2^32 - 1, 2^53 - 1. */
export const HUGE_VALUES = [0x7f, 0x80, 0x3fff, 0x4000, 0xffff, 0x10000, 0x7fffffff, 2 ** 31, 0xffffffff, 2 ** 53 - 1] as const;

export type Mutation =
  | { readonly op: 'flip'; readonly at: number; readonly bit: number }
  | { readonly op: 'set'; readonly at: number; readonly value: number }
  | { readonly op: 'insert'; readonly at: number; readonly bytes: Uint8Array }
  | { readonly op: 'delete'; readonly at: number; readonly n: number }
  | { readonly op: 'truncate'; readonly at: number }
  | { readonly op: 'duplicate'; readonly at: number; readonly n: number }
  /** Overwrites `width` bytes at `at` with a varuint (or a big-endian u32) of `value`. */
  | { readonly op: 'length'; readonly at: number; readonly width: number; readonly value: number; readonly u32: boolean };

const varuint = (v: number): Uint8Array => new Writer().varuint(v).finish();
const u32 = (v: number): Uint8Array => new Writer().u32(v >>> 0).finish();

function splice(b: Uint8Array, at: number, remove: number, insert: Uint8Array): Uint8Array {
  const out = new Uint8Array(b.length - remove + insert.length);
  out.set(b.subarray(0, at));
  out.set(insert, at);
  out.set(b.subarray(at + remove), at + insert.length);
  return out;
}

/** `bytes` with one mutation applied (positions are taken modulo the length, so any drawn position fits). */
export function applyMutation(bytes: Uint8Array, m: Mutation): Uint8Array {
  const len = bytes.length;
  const at = len === 0 ? 0 : m.at % len;
  switch (m.op) {
    case 'flip':
    case 'set': {
      if (len === 0) return bytes;
      const out = bytes.slice();
      out[at] = m.op === 'flip' ? out[at]! ^ (1 << m.bit) : m.value;
      return out;
    }
    case 'insert':
      return splice(bytes, m.at % (len + 1), 0, m.bytes);
    case 'delete':
      return splice(bytes, at, Math.min(m.n, len - at), new Uint8Array(0));
    case 'truncate':
      return bytes.slice(0, m.at % (len + 1));
    case 'duplicate':
      return splice(bytes, at, 0, bytes.slice(at, at + m.n));
    case 'length':
      return splice(bytes, at, Math.min(m.width, len - at), m.u32 ? u32(m.value) : varuint(m.value));
  }
}

const position = fc.nat({ max: 1 << 20 });

/** One mutation of any kind, length rewrites included. */
export const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ op: fc.constant('flip' as const), at: position, bit: fc.nat({ max: 7 }) }),
  fc.record({ op: fc.constant('set' as const), at: position, value: fc.oneof(fc.constantFrom(0, 1, 0x7f, 0x80, 0xff), fc.nat({ max: 255 })) }),
  fc.record({ op: fc.constant('insert' as const), at: position, bytes: fc.uint8Array({ minLength: 1, maxLength: 8 }) }),
  fc.record({ op: fc.constant('delete' as const), at: position, n: fc.integer({ min: 1, max: 8 }) }),
  fc.record({ op: fc.constant('truncate' as const), at: position }),
  fc.record({ op: fc.constant('duplicate' as const), at: position, n: fc.integer({ min: 1, max: 64 }) }),
  fc.record({
    op: fc.constant('length' as const),
    at: position,
    width: fc.integer({ min: 1, max: 4 }),
    value: fc.oneof(fc.constantFrom(...HUGE_VALUES), fc.nat({ max: 1 << 16 })),
    u32: fc.boolean(),
  }),
);

/** Inputs made from one of `seeds` by one to four mutations; `seed` says which (for messages). */
export function mutant(seeds: readonly Uint8Array[]): fc.Arbitrary<{ seed: number; bytes: Uint8Array }> {
  return fc
    .tuple(fc.nat({ max: seeds.length - 1 }), fc.array(mutation, { minLength: 1, maxLength: 4 }))
    .map(([seed, ms]) => ({ seed, bytes: ms.reduce(applyMutation, seeds[seed]!) }));
}

/**
 * For every offset of `bytes`: the byte there replaced by a varuint of
 * 2^31 and of 2^53 - 1, and the four bytes there by a u32 of 2^31. Every
 * length prefix and count in a valid encoding sits at some offset, so one
 * of these claims it is huge.
 */
export function* hugePrefixes(bytes: Uint8Array): Generator<Uint8Array> {
  for (let at = 0; at < bytes.length; at++) {
    yield splice(bytes, at, 1, varuint(2 ** 31));
    yield splice(bytes, at, 1, varuint(2 ** 53 - 1));
    yield splice(bytes, at, Math.min(4, bytes.length - at), u32(2 ** 31));
  }
}
