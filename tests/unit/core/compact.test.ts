/**
 * Compact ("nBits") targets (SPEC §5): byte-for-byte Bitcoin Core's
 * arith_uint256 SetCompact/GetCompact (arith_uint256_tests.cpp, bignum_SetCompact),
 * plus the work of a target and the CLI's bits text form.
 */
import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { decodeCompact, encodeCompact, targetFromBits, workForTarget, formatBits, parseBits } from '../../../src/lib/core/compact';

const bitLength = (v: bigint) => (v === 0n ? 0 : v.toString(2).length);
const target256 = fc.bigInt({ min: 0n, max: (1n << 256n) - 1n });
/** Targets of every size, not only ~256-bit ones. */
const anyTarget = fc.oneof(
  target256,
  fc.integer({ min: 0, max: 256 }).chain((bits) => fc.bigInt({ min: 0n, max: (1n << BigInt(bits)) - 1n })),
  fc.integer({ min: 0, max: 255 }).map((k) => 1n << BigInt(k)),
  fc.integer({ min: 1, max: 256 }).map((k) => (1n << BigInt(k)) - 1n),
);

describe('decodeCompact / encodeCompact: Bitcoin Core bignum_SetCompact cases', () => {
  it('0 is the zero target and encodes back to 0', () => {
    const d = decodeCompact(0);
    expect(d).toEqual({ target: 0n, negative: false, overflow: false });
    expect(encodeCompact(0n)).toBe(0);
  });

  it.each(
    [0x00123456, 0x01003456, 0x02000056, 0x03000000, 0x04000000, 0x00923456, 0x01803456, 0x02800056, 0x03800000, 0x04800000].map(
      (b) => [formatBits(b), b] as const,
    ),
  )('%s is zero, not negative, not overflowing', (_name, bits) => {
    const d = decodeCompact(bits);
    expect(d.target).toBe(0n);
    expect(d.negative).toBe(false);
    expect(d.overflow).toBe(false);
    expect(encodeCompact(d.target)).toBe(0);
    expect(targetFromBits(bits)).toBeNull();
  });

  it.each(
    (
      [
        [0x01123456, 0x12n, 0x01120000],
        [0x02123456, 0x1234n, 0x02123400],
        [0x03123456, 0x123456n, 0x03123456],
        [0x04123456, 0x12345600n, 0x04123456],
        [0x05009234, 0x92340000n, 0x05009234],
        [0x20123456, 0x123456n << 232n, 0x20123456],
        [0x1d00ffff, 0xffffn << 208n, 0x1d00ffff],
        [0x207fffff, 0x7fffffn << 232n, 0x207fffff],
      ] as const
    ).map(([b, t, r]) => [formatBits(b), b, t, r] as const),
  )('%s decodes exactly and re-encodes canonically', (_name, bits, target, reencoded) => {
    const d = decodeCompact(bits);
    expect(d).toEqual({ target, negative: false, overflow: false });
    expect(encodeCompact(target)).toBe(reencoded);
    expect(targetFromBits(bits)).toBe(target);
  });

  it('0x01fedcba is negative (its value is 0x7e)', () => {
    const d = decodeCompact(0x01fedcba);
    expect(d.target).toBe(0x7en);
    expect(d.negative).toBe(true);
    expect(d.overflow).toBe(false);
    expect(targetFromBits(0x01fedcba)).toBeNull();
  });

  it('0x04923456 is negative (its magnitude is 0x12345600)', () => {
    const d = decodeCompact(0x04923456);
    expect(d.target).toBe(0x12345600n);
    expect(d.negative).toBe(true);
    expect(d.overflow).toBe(false);
    expect(targetFromBits(0x04923456)).toBeNull();
  });

  it('0xff123456 overflows', () => {
    const d = decodeCompact(0xff123456);
    expect(d.overflow).toBe(true);
    expect(d.negative).toBe(false);
    expect(targetFromBits(0xff123456)).toBeNull();
  });

  it('overflow boundaries: size 34 with one byte, 33 with two, 32 with three', () => {
    // Fits: 0xff·256^31, 0xffff·256^30, 0x7fffff·256^29.
    expect(decodeCompact(0x220000ff)).toEqual({ target: 0xffn << 248n, negative: false, overflow: false });
    expect(decodeCompact(0x2100ffff)).toEqual({ target: 0xffffn << 240n, negative: false, overflow: false });
    expect(decodeCompact(0x207fffff).overflow).toBe(false);
    // One more byte of size or mantissa: does not fit in 256 bits.
    expect(decodeCompact(0x230000ff).overflow).toBe(true);
    expect(decodeCompact(0x22000100).overflow).toBe(true);
    expect(decodeCompact(0x21010000).overflow).toBe(true);
    expect(decodeCompact(0x21000100).overflow).toBe(false);
    // A zero mantissa never overflows, whatever the size.
    expect(decodeCompact(0xff000000)).toEqual({ target: 0n, negative: false, overflow: false });
    for (const bits of [0x230000ff, 0x22000100, 0x21010000]) expect(targetFromBits(bits)).toBeNull();
  });

  it('never produces a compact with the sign bit set (0x80 → 0x02008000)', () => {
    expect(encodeCompact(0x80n)).toBe(0x02008000);
    expect(encodeCompact(0x800000n)).toBe(0x04008000);
    expect(encodeCompact(0xffn)).toBe(0x0200ff00);
    expect(encodeCompact(0x7fn)).toBe(0x017f0000);
    expect(encodeCompact(1n)).toBe(0x01010000);
  });

  it("encodes Bitcoin's powLimit as 0x1d00ffff and 2^255-1 as 0x207fffff", () => {
    expect(encodeCompact((1n << 224n) - 1n)).toBe(0x1d00ffff);
    expect(encodeCompact((1n << 255n) - 1n)).toBe(0x207fffff);
    expect(encodeCompact((1n << 256n) - 1n)).toBe(0x2100ffff);
    expect(encodeCompact((1n << 248n) - 1n)).toBe(0x2000ffff);
  });
});

describe('targetFromBits', () => {
  it('returns the target for valid bits and null for zero, negative or overflowing bits', () => {
    expect(targetFromBits(0x1d00ffff)).toBe(0xffffn << 208n);
    expect(targetFromBits(0x01010000)).toBe(1n);
    expect(targetFromBits(0)).toBeNull();
    expect(targetFromBits(0x1d000000)).toBeNull();
    expect(targetFromBits(0x1d800001)).toBeNull();
    expect(targetFromBits(0xffffffff)).toBeNull();
  });

  it('property: null exactly when Bitcoin would refuse the bits', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0xffffffff }), (bits) => {
        const d = decodeCompact(bits);
        const t = targetFromBits(bits);
        if (d.negative || d.overflow || d.target === 0n) expect(t).toBeNull();
        else {
          expect(t).toBe(d.target);
          expect(t! > 0n && t! < 1n << 256n).toBe(true);
        }
      }),
    );
  });
});

describe('compact properties', () => {
  it('property: decoding matches the layout mantissa × 256^(size−3) for valid bits', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 34 }), fc.integer({ min: 0, max: 0x7fffff }), (size, mantissa) => {
        const bits = ((size << 24) | mantissa) >>> 0;
        const d = decodeCompact(bits);
        const expected = size >= 3 ? BigInt(mantissa) << BigInt(8 * (size - 3)) : BigInt(mantissa) >> BigInt(8 * (3 - size));
        if (!d.overflow) expect(d.target).toBe(expected);
        expect(d.overflow).toBe(expected >= 1n << 256n);
        expect(d.negative).toBe(false);
        // The same bits with the sign set are negative iff the value is non-zero after the size shift.
        const neg = decodeCompact((bits | 0x00800000) >>> 0);
        expect(neg.negative).toBe(expected !== 0n && (size >= 3 || mantissa >> (8 * (3 - size)) !== 0));
      }),
    );
  });

  it('property: decode(encode(t)) ≤ t and keeps at least the top 16 significant bits', () => {
    fc.assert(
      fc.property(anyTarget, (t) => {
        const bits = encodeCompact(t);
        const d = decodeCompact(bits);
        expect(d.negative).toBe(false);
        expect(d.overflow).toBe(false);
        expect(d.target <= t).toBe(true);
        const len = bitLength(t);
        // The mantissa holds 16 to 23 significant bits: what is lost lies below bit len−16.
        expect(t - d.target < 1n << BigInt(Math.max(0, len - 16))).toBe(true);
        // Up to 23 bits every target is exact.
        if (len <= 23) expect(d.target).toBe(t);
        // Non-zero stays non-zero (so a valid target stays valid).
        expect(d.target === 0n).toBe(t === 0n);
        // The truncation only clears low bits: the kept part is a prefix of t.
        expect((t ^ d.target) < 1n << BigInt(Math.max(0, len - 16))).toBe(true);
      }),
    );
  });

  it('property: decode(encode(t)) is the largest representable value ≤ t (floor to a byte-aligned mantissa)', () => {
    fc.assert(
      fc.property(anyTarget, (t) => {
        const d = decodeCompact(encodeCompact(t)).target;
        const len = bitLength(t);
        const size = Math.ceil(len / 8);
        // Bitcoin keeps the top three bytes, or two when the top bit of three would read as a sign.
        let drop = Math.max(0, 8 * (size - 3));
        if (size >= 3 && t >> BigInt(drop) >= 0x800000n) drop += 8;
        expect(d).toBe((t >> BigInt(drop)) << BigInt(drop));
      }),
    );
  });

  it('property: encodeCompact(decode(b)) == b for canonical b', () => {
    fc.assert(
      fc.property(anyTarget, (t) => {
        const b = encodeCompact(t);
        expect(Number.isInteger(b) && b >= 0 && b <= 0xffffffff).toBe(true);
        expect(encodeCompact(decodeCompact(b).target)).toBe(b);
      }),
    );
  });

  it('property: every valid bits value denotes a target that compact represents exactly', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0xffffffff }), (bits) => {
        const t = targetFromBits(bits);
        if (t === null) return;
        expect(decodeCompact(encodeCompact(t)).target).toBe(t);
      }),
    );
  });

  it('property: encoding is monotonic (t1 ≤ t2 ⇒ decoded t1 ≤ decoded t2)', () => {
    fc.assert(
      fc.property(anyTarget, anyTarget, (a, b) => {
        const [lo, hi] = a <= b ? [a, b] : [b, a];
        expect(decodeCompact(encodeCompact(lo)).target <= decodeCompact(encodeCompact(hi)).target).toBe(true);
      }),
    );
  });
});

describe('workForTarget', () => {
  it('is 2^256 / (target + 1)', () => {
    expect(workForTarget(0xffffn << 208n)).toBe(0x100010001n);
    expect(workForTarget((1n << 256n) - 1n)).toBe(1n);
    expect(workForTarget(0n)).toBe(1n << 256n);
    expect(workForTarget(1n)).toBe(1n << 255n);
    expect(workForTarget((1n << 255n) - 1n)).toBe(2n);
    expect(workForTarget(targetFromBits(0x207fffff)!)).toBe(2n);
    expect(workForTarget(targetFromBits(0x2000ffff)!)).toBe(256n);
  });

  it('property: harder targets never mean less work', () => {
    fc.assert(
      fc.property(target256, target256, (a, b) => {
        const [lo, hi] = a <= b ? [a, b] : [b, a];
        expect(workForTarget(lo) >= workForTarget(hi)).toBe(true);
        const w = workForTarget(a);
        expect(w * (a + 1n) <= 1n << 256n).toBe(true);
        expect((w + 1n) * (a + 1n) > 1n << 256n).toBe(true);
      }),
    );
  });
});

describe('formatBits / parseBits', () => {
  it('formats as 0x plus 8 lowercase hex digits', () => {
    expect(formatBits(0x1d00ffff)).toBe('0x1d00ffff');
    expect(formatBits(0)).toBe('0x00000000');
    expect(formatBits(0xffffffff)).toBe('0xffffffff');
    expect(formatBits(0x207fffff)).toBe('0x207fffff');
    expect(formatBits(0x01)).toBe('0x00000001');
  });

  it('parses hex (any case, 1–8 digits), decimal, and surrounding whitespace', () => {
    expect(parseBits('0x1d00ffff')).toBe(0x1d00ffff);
    expect(parseBits('0x1D00FFFF')).toBe(0x1d00ffff);
    expect(parseBits('0xff')).toBe(0xff);
    expect(parseBits('  0x207fffff\n')).toBe(0x207fffff);
    expect(parseBits('486604799')).toBe(0x1d00ffff);
    expect(parseBits('0')).toBe(0);
    expect(parseBits('4294967295')).toBe(0xffffffff);
    expect(parseBits('0xffffffff')).toBe(0xffffffff);
  });

  it.each([
    '',
    '   ',
    '0x',
    '0x123456789',
    '0x000000001',
    '4294967296',
    '99999999999',
    '-1',
    '+5',
    '1e3',
    '1.5',
    '0x1g',
    '1d00ffff',
    '0X1d00ffff',
    '0b101',
    '0o17',
    'ox1d',
    '0x 1d',
    'Infinity',
    'NaN',
  ])('rejects %j', (text) => {
    expect(parseBits(text)).toBeNull();
  });

  it('property: parseBits(formatBits(b)) == b', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0xffffffff }), (b) => {
        expect(parseBits(formatBits(b))).toBe(b);
        expect(parseBits(String(b))).toBe(b);
        expect(formatBits(b)).toMatch(/^0x[0-9a-f]{8}$/);
      }),
    );
  });
});

describe('encodeCompact refuses values outside 0..2^256-1', () => {
  it('throws AssertionError (our misuse) for negative or oversize targets', async () => {
    const { AssertionError } = await import('../../../src/lib/core/assert');
    const { encodeCompact } = await import('../../../src/lib/core/compact');
    expect(() => encodeCompact(-1n)).toThrow(AssertionError);
    expect(() => encodeCompact(1n << 256n)).toThrow(AssertionError);
    expect(encodeCompact((1n << 256n) - 1n)).toBe(0x2100ffff);
  });
});
