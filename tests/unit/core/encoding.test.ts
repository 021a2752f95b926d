/**
 * The canonical binary encoding (SPEC §5): Writer/Reader round trips, the
 * one-encoding-per-value rule (encode(decode(b)) == b) and the DecodeError
 * code for every way bytes can be refused. Codes are asserted, never text.
 */
import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { Reader, Writer, decodeAll, MAX_SAFE } from '../../../src/lib/core/encoding';
import { DecodeError, type DecodeCode } from '../../../src/lib/core/errors';
import { AssertionError } from '../../../src/lib/core/assert';
import { decodeCode } from './codes';

function decodeErr(fn: () => unknown): DecodeError {
  try {
    fn();
  } catch (e) {
    if (e instanceof DecodeError) return e;
    throw e;
  }
  throw new Error('expected a DecodeError, but decoding succeeded');
}

const bytes = (...b: number[]) => new Uint8Array(b);
const enc = (f: (w: Writer) => unknown) => {
  const w = new Writer();
  f(w);
  return w.finish();
};

/** One field of a random record: how to write it and how to read it back. */
type Field =
  | { t: 'u8'; v: number }
  | { t: 'u16'; v: number }
  | { t: 'u32'; v: number }
  | { t: 'u64'; v: number }
  | { t: 'varuint'; v: number }
  | { t: 'fixed'; v: Uint8Array }
  | { t: 'bytes'; v: Uint8Array; max: number }
  | { t: 'string'; v: string; max: number }
  | { t: 'count'; v: number; max: number };

const safeInt = fc.integer({ min: 0, max: MAX_SAFE });
/** Safe integers biased towards the edges of each varuint length. */
const edgyInt = fc.oneof(
  safeInt,
  fc.integer({ min: 0, max: 300 }),
  fc.integer({ min: 0, max: 7 }).map((k) => Math.min(MAX_SAFE, 2 ** (7 * k + 7) - 1)),
  fc.integer({ min: 0, max: 7 }).map((k) => Math.min(MAX_SAFE, 2 ** (7 * k + 7))),
  fc.constant(MAX_SAFE),
);

const fieldArb: fc.Arbitrary<Field> = fc.oneof(
  fc.integer({ min: 0, max: 0xff }).map((v) => ({ t: 'u8' as const, v })),
  fc.integer({ min: 0, max: 0xffff }).map((v) => ({ t: 'u16' as const, v })),
  fc.integer({ min: 0, max: 0xffffffff }).map((v) => ({ t: 'u32' as const, v })),
  edgyInt.map((v) => ({ t: 'u64' as const, v })),
  edgyInt.map((v) => ({ t: 'varuint' as const, v })),
  fc.uint8Array({ maxLength: 40 }).map((v) => ({ t: 'fixed' as const, v })),
  fc.tuple(fc.uint8Array({ maxLength: 300 }), fc.nat(50)).map(([v, extra]) => ({ t: 'bytes' as const, v, max: v.length + extra })),
  fc
    .tuple(fc.string({ unit: 'binary', maxLength: 40 }), fc.nat(50))
    .map(([v, extra]) => ({ t: 'string' as const, v, max: new TextEncoder().encode(v).length + extra })),
  fc.tuple(fc.nat(1000), fc.nat(1000)).map(([v, extra]) => ({ t: 'count' as const, v, max: v + extra })),
);

function writeField(w: Writer, f: Field): void {
  switch (f.t) {
    case 'u8':
      w.u8(f.v);
      break;
    case 'u16':
      w.u16(f.v);
      break;
    case 'u32':
      w.u32(f.v);
      break;
    case 'u64':
      w.u64(f.v);
      break;
    case 'varuint':
    case 'count':
      w.varuint(f.v);
      break;
    case 'fixed':
      w.fixed(f.v, f.v.length);
      break;
    case 'bytes':
      w.bytes(f.v, f.max);
      break;
    case 'string':
      w.string(f.v, f.max);
      break;
  }
}

function readField(r: Reader, f: Field): unknown {
  switch (f.t) {
    case 'u8':
      return r.u8();
    case 'u16':
      return r.u16();
    case 'u32':
      return r.u32();
    case 'u64':
      return r.u64();
    case 'varuint':
      return r.varuint();
    case 'count':
      return r.count(f.max);
    case 'fixed':
      return r.fixed(f.v.length);
    case 'bytes':
      return r.bytes(f.max);
    case 'string':
      return r.string(f.max);
  }
}

const encodeFields = (fields: Field[]) => enc((w) => fields.forEach((f) => writeField(w, f)));
const readFields = (r: Reader, fields: Field[]) => fields.map((f) => readField(r, f));

describe('Writer: fixed layouts', () => {
  it('writes fixed-width integers big-endian', () => {
    expect(enc((w) => w.u8(0xab))).toEqual(bytes(0xab));
    expect(enc((w) => w.u16(0x1234))).toEqual(bytes(0x12, 0x34));
    expect(enc((w) => w.u32(0x89abcdef))).toEqual(bytes(0x89, 0xab, 0xcd, 0xef));
    expect(enc((w) => w.u64(0x1234_5678_9abc))).toEqual(bytes(0, 0, 0x12, 0x34, 0x56, 0x78, 0x9a, 0xbc));
    expect(enc((w) => w.u64(MAX_SAFE))).toEqual(bytes(0x00, 0x1f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff));
  });

  it('writes minimal unsigned LEB128', () => {
    expect(enc((w) => w.varuint(0))).toEqual(bytes(0x00));
    expect(enc((w) => w.varuint(1))).toEqual(bytes(0x01));
    expect(enc((w) => w.varuint(127))).toEqual(bytes(0x7f));
    expect(enc((w) => w.varuint(128))).toEqual(bytes(0x80, 0x01));
    expect(enc((w) => w.varuint(300))).toEqual(bytes(0xac, 0x02));
    expect(enc((w) => w.varuint(16383))).toEqual(bytes(0xff, 0x7f));
    expect(enc((w) => w.varuint(16384))).toEqual(bytes(0x80, 0x80, 0x01));
    expect(enc((w) => w.varuint(2 ** 40))).toEqual(bytes(0x80, 0x80, 0x80, 0x80, 0x80, 0x20));
    expect(enc((w) => w.varuint(MAX_SAFE))).toEqual(bytes(0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x0f));
  });

  it('prefixes byte strings and UTF-8 strings with their byte length', () => {
    expect(enc((w) => w.bytes(bytes(9, 8, 7), 3))).toEqual(bytes(3, 9, 8, 7));
    expect(enc((w) => w.bytes(bytes(), 0))).toEqual(bytes(0));
    expect(enc((w) => w.string('é', 2))).toEqual(bytes(2, 0xc3, 0xa9));
    expect(enc((w) => w.fixed(bytes(1, 2), 2))).toEqual(bytes(1, 2));
  });

  it('grows past its initial buffer and finish() returns a copy', () => {
    const big = new Uint8Array(1000).map((_, i) => i & 0xff);
    const w = new Writer().u8(1).fixed(big, 1000).u8(2);
    const out = w.finish();
    expect(out.length).toBe(1002);
    expect(out[0]).toBe(1);
    expect(out.subarray(1, 1001)).toEqual(big);
    expect(out[1001]).toBe(2);
    out[0] = 99;
    expect(w.finish()[0]).toBe(1);
  });
});

describe('Writer: our misuse is loud (AssertionError)', () => {
  const cases: [string, (w: Writer) => unknown][] = [
    ['u8 -1', (w) => w.u8(-1)],
    ['u8 256', (w) => w.u8(256)],
    ['u8 1.5', (w) => w.u8(1.5)],
    ['u8 NaN', (w) => w.u8(NaN)],
    ['u16 65536', (w) => w.u16(0x10000)],
    ['u16 -1', (w) => w.u16(-1)],
    ['u32 2^32', (w) => w.u32(2 ** 32)],
    ['u32 -1', (w) => w.u32(-1)],
    ['u32 0.5', (w) => w.u32(0.5)],
    ['u64 2^53', (w) => w.u64(2 ** 53)],
    ['u64 -1', (w) => w.u64(-1)],
    ['u64 Infinity', (w) => w.u64(Infinity)],
    ['u64 1.5', (w) => w.u64(1.5)],
    ['varuint 2^53', (w) => w.varuint(2 ** 53)],
    ['varuint -1', (w) => w.varuint(-1)],
    ['varuint 0.5', (w) => w.varuint(0.5)],
    ['fixed wrong length', (w) => w.fixed(bytes(1, 2, 3), 4)],
    ['bytes over max', (w) => w.bytes(bytes(1, 2, 3), 2)],
    ['string over max bytes', (w) => w.string('éé', 3)],
  ];
  for (const [name, f] of cases) {
    it(name, () => {
      expect(() => f(new Writer())).toThrow(AssertionError);
    });
  }
});

describe('round trips', () => {
  it('u8/u16/u32 at their edges', () => {
    for (const v of [0, 1, 0x7f, 0x80, 0xff]) expect(new Reader(enc((w) => w.u8(v))).u8()).toBe(v);
    for (const v of [0, 0xff, 0x100, 0x8000, 0xffff]) expect(new Reader(enc((w) => w.u16(v))).u16()).toBe(v);
    for (const v of [0, 0xffff, 0x10000, 0x7fffffff, 0x80000000, 0xffffffff]) expect(new Reader(enc((w) => w.u32(v))).u32()).toBe(v);
    for (const v of [0, 2 ** 32 - 1, 2 ** 32, 2 ** 52, MAX_SAFE]) expect(new Reader(enc((w) => w.u64(v))).u64()).toBe(v);
  });

  it('strings keep a leading BOM, NUL, astral characters and unnormalised forms', () => {
    // e + combining acute, the Angstrom sign and a Hangul jamo sequence are not NFC: kept as written.
    for (const s of ['', '\uFEFF', '\uFEFFa', 'a\u0000b', '😀', 'Ünïcødé ✓', 'e\u0301', '\u212B', '\u1100\u1161']) {
      const b = enc((w) => w.string(s, 100));
      expect(decodeAll(b, (r) => r.string(100), 's')).toBe(s);
    }
  });

  it('property: every varuint length round-trips and is minimal', () => {
    fc.assert(
      fc.property(edgyInt, (v) => {
        const b = enc((w) => w.varuint(v));
        expect(decodeAll(b, (r) => r.varuint(), 'v')).toBe(v);
        // Minimal: ceil(bits / 7) bytes (1 for zero), and never a zero final byte after the first.
        expect(b.length).toBe(Math.max(1, Math.ceil(v.toString(2).length / 7)));
        if (b.length > 1) expect(b[b.length - 1]).not.toBe(0);
      }),
    );
  });

  it('property: decode(encode(fields)) == fields, consuming every byte', () => {
    fc.assert(
      fc.property(fc.array(fieldArb, { maxLength: 12 }), (fields) => {
        const b = encodeFields(fields);
        const r = new Reader(b);
        const back = readFields(r, fields);
        expect(back).toEqual(fields.map((f) => f.v));
        expect(r.remaining).toBe(0);
        expect(r.offset).toBe(b.length);
        r.end();
      }),
    );
  });

  it('property: encode(decode(b)) == b for the encoding of any record', () => {
    fc.assert(
      fc.property(fc.array(fieldArb, { maxLength: 12 }), (fields) => {
        const b = encodeFields(fields);
        const values = decodeAll(b, (r) => readFields(r, fields), 'record');
        const again = encodeFields(fields.map((f, i) => ({ ...f, v: values[i] }) as Field));
        expect(again).toEqual(b);
      }),
    );
  });

  it('fixed() and bytes() return copies independent of the input buffer', () => {
    const b = enc((w) => w.fixed(bytes(1, 2, 3), 3).bytes(bytes(4, 5), 2));
    const r = new Reader(b);
    const f = r.fixed(3);
    const s = r.bytes(2);
    b.fill(0);
    expect(f).toEqual(bytes(1, 2, 3));
    expect(s).toEqual(bytes(4, 5));
  });
});

describe('canonical: any accepted bytes re-encode to themselves', () => {
  // For arbitrary input, a Reader method either throws a DecodeError or
  // returns a value whose encoding is exactly the bytes it consumed.
  const readers: [string, (r: Reader) => unknown, (w: Writer, v: never) => unknown][] = [
    ['u8', (r) => r.u8(), (w, v: number) => w.u8(v)],
    ['u16', (r) => r.u16(), (w, v: number) => w.u16(v)],
    ['u32', (r) => r.u32(), (w, v: number) => w.u32(v)],
    ['u64', (r) => r.u64(), (w, v: number) => w.u64(v)],
    ['varuint', (r) => r.varuint(), (w, v: number) => w.varuint(v)],
    ['bytes', (r) => r.bytes(64), (w, v: Uint8Array) => w.bytes(v, 64)],
    ['string', (r) => r.string(64), (w, v: string) => w.string(v, 64)],
    ['count', (r) => r.count(1000), (w, v: number) => w.varuint(v)],
  ];
  /** Random bytes biased towards short varuint prefixes and UTF-8 lead/continuation bytes. */
  const input = fc.oneof(
    fc.uint8Array({ maxLength: 80 }),
    fc
      .tuple(fc.integer({ min: 0, max: 12 }), fc.array(fc.integer({ min: 0x80, max: 0xf7 }), { maxLength: 12 }))
      .map(([n, tail]) => new Uint8Array([n, ...tail])),
    fc.array(fc.constantFrom(0x00, 0x01, 0x7f, 0x80, 0x81, 0xff), { maxLength: 10 }).map((a) => new Uint8Array(a)),
  );
  for (const [name, read, write] of readers) {
    it(`property: ${name}`, () => {
      fc.assert(
        fc.property(input, (b) => {
          const r = new Reader(b);
          let v: unknown;
          try {
            v = read(r);
          } catch (e) {
            expect(e).toBeInstanceOf(DecodeError);
            return;
          }
          const w = new Writer();
          write(w, v as never);
          expect(w.finish()).toEqual(b.subarray(0, r.offset));
        }),
        { numRuns: 300 },
      );
    });
  }
});

describe('DecodeError codes', () => {
  it('TRUNCATED: every strict prefix of a valid encoding', () => {
    fc.assert(
      fc.property(fc.array(fieldArb, { minLength: 1, maxLength: 8 }), (fields) => {
        const b = encodeFields(fields);
        for (let n = 0; n < b.length; n++) {
          const prefix = b.slice(0, n);
          const r = new Reader(prefix);
          let code: DecodeCode | null = null;
          try {
            readFields(r, fields);
          } catch (e) {
            if (!(e instanceof DecodeError)) throw e;
            code = e.code;
          }
          expect(code).toBe('TRUNCATED');
        }
      }),
      { numRuns: 100 },
    );
  });

  it('TRUNCATED: empty input and short fixed-width reads', () => {
    expect(decodeCode(() => new Reader(bytes()).u8())).toBe('TRUNCATED');
    expect(decodeCode(() => new Reader(bytes(1)).u16())).toBe('TRUNCATED');
    expect(decodeCode(() => new Reader(bytes(1, 2, 3)).u32())).toBe('TRUNCATED');
    expect(decodeCode(() => new Reader(bytes(0, 0, 0, 0, 0, 0, 0)).u64())).toBe('TRUNCATED');
    expect(decodeCode(() => new Reader(bytes(0x80)).varuint())).toBe('TRUNCATED');
    expect(decodeCode(() => new Reader(bytes(0xff, 0xff)).varuint())).toBe('TRUNCATED');
    expect(decodeCode(() => new Reader(bytes(1, 2)).fixed(3))).toBe('TRUNCATED');
    expect(decodeCode(() => new Reader(bytes(3, 1, 2)).bytes(10))).toBe('TRUNCATED');
    expect(decodeCode(() => new Reader(bytes(2, 0x61)).string(10))).toBe('TRUNCATED');
    expect(decodeCode(() => new Reader(bytes()).count(10))).toBe('TRUNCATED');
  });

  it('a failed read reports the offset where it stopped', () => {
    const r = new Reader(bytes(1, 2, 3));
    r.u16();
    expect(decodeErr(() => r.u16()).offset).toBe(2);
  });

  it('TRAILING_BYTES: decodeAll and end() refuse leftovers', () => {
    expect(decodeCode(() => decodeAll(bytes(1, 2), (r) => r.u8(), 'x'))).toBe('TRAILING_BYTES');
    expect(decodeCode(() => decodeAll(bytes(0x05, 0x00), (r) => r.varuint(), 'x'))).toBe('TRAILING_BYTES');
    const r = new Reader(bytes(1, 2, 3));
    r.u8();
    const e = decodeErr(() => r.end());
    expect(e.code).toBe('TRAILING_BYTES');
    expect(e.offset).toBe(1);
    r.u16();
    expect(() => r.end()).not.toThrow();
    expect(decodeAll(bytes(7), (r2) => r2.u8(), 'x')).toBe(7);
    expect(() => new Reader(bytes()).end()).not.toThrow();
  });

  it('property: TRAILING_BYTES for any valid encoding followed by extra bytes', () => {
    fc.assert(
      fc.property(fc.array(fieldArb, { maxLength: 6 }), fc.uint8Array({ minLength: 1, maxLength: 8 }), (fields, extra) => {
        const b = new Uint8Array([...encodeFields(fields), ...extra]);
        expect(decodeCode(() => decodeAll(b, (r) => readFields(r, fields), 'record'))).toBe('TRAILING_BYTES');
      }),
      { numRuns: 200 },
    );
  });

  it('NON_CANONICAL: non-minimal varuint', () => {
    for (const b of [
      bytes(0x80, 0x00),
      bytes(0x81, 0x00),
      bytes(0xff, 0x00),
      bytes(0x80, 0x80, 0x00),
      bytes(0xff, 0xff, 0x00),
      bytes(0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00),
    ]) {
      expect(decodeCode(() => new Reader(b).varuint())).toBe('NON_CANONICAL');
      // The same rule guards lengths and counts.
      expect(decodeCode(() => new Reader(b).bytes(1000))).toBe('NON_CANONICAL');
      expect(decodeCode(() => new Reader(b).count(1000))).toBe('NON_CANONICAL');
    }
    const e = decodeErr(() => {
      const r = new Reader(bytes(9, 0x81, 0x00));
      r.u8();
      r.varuint();
    });
    expect(e.offset).toBe(1);
  });

  it('property: a padded varuint (extra 0x80 … 0x00 form) is NON_CANONICAL', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 35 }), (v) => {
        const b = enc((w) => w.varuint(v));
        if (b.length >= 8) return;
        const padded = new Uint8Array([...b, 0x00]);
        padded[b.length - 1]! |= 0x80;
        expect(decodeCode(() => new Reader(padded).varuint())).toBe('NON_CANONICAL');
      }),
    );
  });

  it('NON_CANONICAL: invalid UTF-8 strings', () => {
    const bad = [
      bytes(0x02, 0xc3, 0x28), // bad continuation byte
      bytes(0x02, 0xc0, 0xaf), // overlong '/'
      bytes(0x03, 0xe0, 0x80, 0xaf), // overlong 3-byte
      bytes(0x03, 0xed, 0xa0, 0x80), // UTF-16 surrogate D800 encoded in UTF-8
      bytes(0x04, 0xf4, 0x90, 0x80, 0x80), // above U+10FFFF
      bytes(0x01, 0x80), // lone continuation
      bytes(0x01, 0xff), // never valid
      bytes(0x01, 0xc3), // lead byte without its continuation
    ];
    for (const b of bad) {
      expect(decodeCode(() => new Reader(b).string(100))).toBe('NON_CANONICAL');
      // The same bytes are fine as a byte string.
      expect(() => new Reader(b).bytes(100)).not.toThrow();
    }
    const e = decodeErr(() => {
      const r = new Reader(bytes(0xaa, 0x02, 0xc3, 0x28));
      r.u8();
      r.string(10);
    });
    expect(e.code).toBe('NON_CANONICAL');
    expect(e.offset).toBe(1);
  });

  it('OVERSIZE: byte strings, strings and counts above their limit', () => {
    expect(decodeCode(() => new Reader(bytes(3, 1, 2, 3)).bytes(2))).toBe('OVERSIZE');
    expect(decodeCode(() => new Reader(bytes(3, 0x61, 0x62, 0x63)).string(2))).toBe('OVERSIZE');
    expect(decodeCode(() => new Reader(bytes(11)).count(10))).toBe('OVERSIZE');
    // At the limit is fine.
    expect(new Reader(bytes(2, 1, 2)).bytes(2)).toEqual(bytes(1, 2));
    expect(new Reader(bytes(10)).count(10)).toBe(10);
    expect(new Reader(bytes(0)).count(0)).toBe(0);
    expect(decodeCode(() => new Reader(bytes(1)).count(0))).toBe('OVERSIZE');
  });

  it('OVERSIZE is checked before reading or allocating: a 2^40 length with no data', () => {
    const huge = enc((w) => w.varuint(2 ** 40));
    expect(huge.length).toBe(6);
    expect(decodeCode(() => new Reader(huge).bytes(1024 * 1024))).toBe('OVERSIZE');
    expect(decodeCode(() => new Reader(huge).string(64))).toBe('OVERSIZE');
    expect(decodeCode(() => new Reader(huge).count(100_000))).toBe('OVERSIZE');
    const maxLen = enc((w) => w.varuint(MAX_SAFE));
    expect(decodeCode(() => new Reader(maxLen).bytes(1 << 20))).toBe('OVERSIZE');
    const e = decodeErr(() => {
      const r = new Reader(new Uint8Array([0x00, ...huge]));
      r.u8();
      r.bytes(10);
    });
    expect(e.offset).toBe(1);
  });

  it('property: any length above the limit is OVERSIZE, whatever follows', () => {
    fc.assert(
      fc.property(fc.nat(1000), fc.integer({ min: 1, max: MAX_SAFE - 1000 }), fc.uint8Array({ maxLength: 8 }), (max, over, tail) => {
        const b = new Uint8Array([...enc((w) => w.varuint(max + over)), ...tail]);
        expect(decodeCode(() => new Reader(b).bytes(max))).toBe('OVERSIZE');
        expect(decodeCode(() => new Reader(b).count(max))).toBe('OVERSIZE');
      }),
    );
  });

  it('OUT_OF_RANGE: u64 above 2^53-1', () => {
    expect(decodeCode(() => new Reader(bytes(0x00, 0x20, 0, 0, 0, 0, 0, 0)).u64())).toBe('OUT_OF_RANGE');
    expect(decodeCode(() => new Reader(bytes(0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff)).u64())).toBe('OUT_OF_RANGE');
    expect(decodeCode(() => new Reader(bytes(0x80, 0, 0, 0, 0, 0, 0, 0)).u64())).toBe('OUT_OF_RANGE');
    expect(new Reader(bytes(0x00, 0x1f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff)).u64()).toBe(MAX_SAFE);
    const e = decodeErr(() => {
      const r = new Reader(bytes(0xaa, 0x00, 0x20, 0, 0, 0, 0, 0, 0));
      r.u8();
      r.u64();
    });
    expect(e.offset).toBe(1);
  });

  it('property: u64 accepts exactly the safe range', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }), (v) => {
        const b = new Uint8Array(8);
        new DataView(b.buffer).setBigUint64(0, v);
        if (v <= BigInt(MAX_SAFE)) expect(new Reader(b).u64()).toBe(Number(v));
        else expect(decodeCode(() => new Reader(b).u64())).toBe('OUT_OF_RANGE');
      }),
    );
  });

  it('OUT_OF_RANGE: varuint above 2^53-1 or longer than 8 bytes', () => {
    // 2^53 in eight bytes.
    expect(decodeCode(() => new Reader(bytes(0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x10)).varuint())).toBe('OUT_OF_RANGE');
    // 2^56 - 1, the largest eight-byte value.
    expect(decodeCode(() => new Reader(bytes(0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f)).varuint())).toBe('OUT_OF_RANGE');
    // A ninth byte is never read: too long even if the input ends there.
    expect(decodeCode(() => new Reader(new Uint8Array(8).fill(0x80)).varuint())).toBe('OUT_OF_RANGE');
    expect(decodeCode(() => new Reader(bytes(0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01)).varuint())).toBe('OUT_OF_RANGE');
    expect(decodeCode(() => new Reader(new Uint8Array(20).fill(0xff)).varuint())).toBe('OUT_OF_RANGE');
    // 2^53 - 1 is the largest accepted.
    expect(new Reader(bytes(0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x0f)).varuint()).toBe(MAX_SAFE);
    // A length prefix that is out of range is OUT_OF_RANGE too, not OVERSIZE or a crash.
    expect(decodeCode(() => new Reader(new Uint8Array(9).fill(0xff)).bytes(10))).toBe('OUT_OF_RANGE');
  });

  it('property: arbitrary bytes never throw anything but a DecodeError', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), fc.array(fieldArb, { maxLength: 6 }), (b, fields) => {
        try {
          decodeAll(b, (r) => readFields(r, fields), 'record');
        } catch (e) {
          expect(e).toBeInstanceOf(DecodeError);
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('Writer refuses strings without a canonical UTF-8 form', () => {
  it('throws AssertionError for a lone surrogate (our misuse), accepts a proper pair', () => {
    expect(() => new Writer().string('a\uD800b', 16)).toThrow(AssertionError);
    expect(() => new Writer().string('\uDC00', 16)).toThrow(AssertionError);
    const bytes = new Writer().string('\uD83D\uDE00', 16).finish();
    expect(decodeAll(bytes, (r) => r.string(16), 'string')).toBe('\uD83D\uDE00');
  });
});
