/**
 * The paper's difficulty adjustment (SPEC §5): NewTarget = OldTarget × actual /
 * expected, actual clamped to [expected/4, expected×4], result capped at the
 * network's limit. With Bitcoin's parameters it must give Bitcoin Core's
 * results exactly (src/test/pow_tests.cpp).
 */
import { describe, it, expect, vi } from 'vitest';
import fc from 'fast-check';
import { calculateNextBits, expectedTimespan, isRetargetHeight, requiredBits } from '../../../src/lib/core/retarget';
import { BITCOIN_PARAMS, DEFAULT_PARAMS, TEST_PARAMS, type ChainParams } from '../../../src/lib/core/params';
import { decodeCompact, encodeCompact, formatBits, targetFromBits } from '../../../src/lib/core/compact';
import { AssertionError } from '../../../src/lib/core/assert';

const hex = (bits: number) => formatBits(bits);
const targetOf = (bits: number) => decodeCompact(bits).target;
/** What compact form keeps of a target (Bitcoin's GetCompact then SetCompact). */
const roundCompact = (t: bigint) => decodeCompact(encodeCompact(t)).target;

describe('calculateNextBits: Bitcoin Core pow_tests with BITCOIN_PARAMS', () => {
  it('get_next_work: blocks #30240..#32255 → 0x1d00d86a', () => {
    expect(hex(calculateNextBits(BITCOIN_PARAMS, 0x1d00ffff, 1261130161, 1262152739))).toBe(hex(0x1d00d86a));
  });

  it('get_next_work_pow_limit: a slow window stays at the limit 0x1d00ffff', () => {
    expect(hex(calculateNextBits(BITCOIN_PARAMS, 0x1d00ffff, 1231006505, 1233061996))).toBe(hex(0x1d00ffff));
  });

  it('get_next_work_lower_limit_actual: a fast window is clamped to a quarter → 0x1c0168fd', () => {
    expect(hex(calculateNextBits(BITCOIN_PARAMS, 0x1c05a3f4, 1279008237, 1279297671))).toBe(hex(0x1c0168fd));
  });

  it('get_next_work_upper_limit_actual: a slow window is clamped to ×4 → 0x1d00e1fd', () => {
    expect(hex(calculateNextBits(BITCOIN_PARAMS, 0x1c387f6f, 1263163443, 1269211443))).toBe(hex(0x1d00e1fd));
  });

  it('the clamps do bite: moving the times further does not change the clamped results', () => {
    // Lower clamp: even faster windows give the same bits.
    expect(hex(calculateNextBits(BITCOIN_PARAMS, 0x1c05a3f4, 1279008237, 1279008237))).toBe(hex(0x1c0168fd));
    expect(hex(calculateNextBits(BITCOIN_PARAMS, 0x1c05a3f4, 1279297671, 1279008237))).toBe(hex(0x1c0168fd));
    // Upper clamp: even slower windows give the same bits.
    expect(hex(calculateNextBits(BITCOIN_PARAMS, 0x1c387f6f, 1263163443, 1269211443 + 10_000_000))).toBe(hex(0x1d00e1fd));
  });

  it('an on-schedule window keeps the bits', () => {
    const t0 = 1_500_000_000;
    expect(hex(calculateNextBits(BITCOIN_PARAMS, 0x1c05a3f4, t0, t0 + 2016 * 600))).toBe(hex(0x1c05a3f4));
    expect(hex(calculateNextBits(BITCOIN_PARAMS, 0x1d00ffff, t0, t0 + 2016 * 600))).toBe(hex(0x1d00ffff));
  });

  it('refuses to retarget from negative or overflowing bits (our misuse)', () => {
    expect(() => calculateNextBits(BITCOIN_PARAMS, 0x04923456, 0, 1209600)).toThrow(AssertionError);
    expect(() => calculateNextBits(BITCOIN_PARAMS, 0xff123456, 0, 1209600)).toThrow(AssertionError);
  });
});

describe('expectedTimespan / isRetargetHeight', () => {
  it('expected timespan is expectedIntervals × spacing', () => {
    expect(expectedTimespan(BITCOIN_PARAMS)).toBe(2016 * 600);
    expect(expectedTimespan(DEFAULT_PARAMS)).toBe(9 * 5);
    expect(expectedTimespan(TEST_PARAMS)).toBe(3 * 5);
  });

  it('retargets every n blocks, never at genesis', () => {
    expect(isRetargetHeight(BITCOIN_PARAMS, 0)).toBe(false);
    expect(isRetargetHeight(BITCOIN_PARAMS, 2015)).toBe(false);
    expect(isRetargetHeight(BITCOIN_PARAMS, 2016)).toBe(true);
    expect(isRetargetHeight(BITCOIN_PARAMS, 2017)).toBe(false);
    expect(isRetargetHeight(BITCOIN_PARAMS, 32256)).toBe(true);
    expect(isRetargetHeight(DEFAULT_PARAMS, 10)).toBe(true);
    expect(isRetargetHeight(DEFAULT_PARAMS, 15)).toBe(false);
    expect(isRetargetHeight(TEST_PARAMS, 4)).toBe(true);
    expect(isRetargetHeight(TEST_PARAMS, 6)).toBe(false);
  });
});

describe('requiredBits', () => {
  it('off a retarget boundary: the parent bits, without asking for any ancestor', () => {
    const ancestorTime = vi.fn(() => {
      throw new Error('not needed');
    });
    for (const height of [0, 1, 2, 8, 10, 11, 18]) {
      const parent = { height, bits: 0x1f123456, time: 1000 + height };
      expect(requiredBits(DEFAULT_PARAMS, parent, ancestorTime)).toBe(0x1f123456);
    }
    expect(ancestorTime).not.toHaveBeenCalled();
  });

  it('at a boundary: the window from block height−n to the parent (Bitcoin block 32256)', () => {
    const asked: number[] = [];
    const bits = requiredBits(BITCOIN_PARAMS, { height: 32255, bits: 0x1d00ffff, time: 1262152739 }, (h) => {
      asked.push(h);
      return 1261130161; // block #30240
    });
    expect(hex(bits)).toBe(hex(0x1d00d86a));
    expect(asked).toEqual([30240]);
  });

  it('at a boundary on the default network: asks for height−n and uses the parent time', () => {
    const times = new Map<number, number>([
      [10, 1_000],
      [20, 5_000],
    ]);
    const asked: number[] = [];
    const ancestorTime = (h: number) => {
      asked.push(h);
      return times.get(h)!;
    };
    // Window 10..19 took 20 s, expected 45 s: target × 20/45.
    const bits = requiredBits(DEFAULT_PARAMS, { height: 19, bits: 0x1f00ffff, time: 1_020 }, ancestorTime);
    expect(asked).toEqual([10]);
    expect(bits).toBe(calculateNextBits(DEFAULT_PARAMS, 0x1f00ffff, 1_000, 1_020));
    expect(targetOf(bits)).toBe(roundCompact((targetOf(0x1f00ffff) * 20n) / 45n));
    // Genesis window: block 10 looks back to block 0.
    const first: number[] = [];
    requiredBits(DEFAULT_PARAMS, { height: 9, bits: 0x207fffff, time: 45 }, (h) => {
      first.push(h);
      return 0;
    });
    expect(first).toEqual([0]);
  });

  it('property: equals calculateNextBits at boundaries and the parent bits elsewhere', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(BITCOIN_PARAMS, DEFAULT_PARAMS, TEST_PARAMS),
        fc.integer({ min: 0, max: 100_000 }),
        fc.integer({ min: 0, max: 2 ** 31 }),
        fc.integer({ min: 0, max: 2 ** 31 }),
        (params, height, firstTime, lastTime) => {
          const bits = encodeCompact(params.powLimit >> 3n);
          let asked: number | null = null;
          const got = requiredBits(params, { height, bits, time: lastTime }, (h) => {
            asked = h;
            return firstTime;
          });
          if ((height + 1) % params.retargetInterval === 0) {
            expect(asked).toBe(height + 1 - params.retargetInterval);
            expect(got).toBe(calculateNextBits(params, bits, firstTime, lastTime));
          } else {
            expect(asked).toBeNull();
            expect(got).toBe(bits);
          }
        },
      ),
    );
  });
});

describe('clamp and limit on the product networks', () => {
  const networks: [string, ChainParams][] = [
    ['DEFAULT_PARAMS', DEFAULT_PARAMS],
    ['TEST_PARAMS', TEST_PARAMS],
  ];

  for (const [name, params] of networks) {
    const start = encodeCompact(params.powLimit >> 8n);
    const old = targetOf(start);
    const expected = expectedTimespan(params);

    it(`${name}: a slow window raises the target by at most ×4`, () => {
      expect(targetOf(calculateNextBits(params, start, 0, 4 * expected))).toBe(roundCompact(old * 4n));
      expect(targetOf(calculateNextBits(params, start, 0, 1_000_000))).toBe(roundCompact(old * 4n));
    });

    it(`${name}: a huge timespan from the genesis bits is capped at the network limit`, () => {
      const next = calculateNextBits(params, params.genesisBits, 0, 10 ** 12);
      expect(targetOf(next) <= params.powLimit).toBe(true);
      expect(next).toBe(encodeCompact(params.powLimit));
      expect(targetFromBits(next)).not.toBeNull();
    });

    it(`${name}: an on-schedule window keeps the bits`, () => {
      expect(calculateNextBits(params, start, 100, 100 + expected)).toBe(start);
    });

    // SPEC §5: "the actual timespan clamped to [expected/4, expected×4]".
    // A window of zero (or negative) seconds must lower the target to exactly a
    // quarter, as Bitcoin does (its expected timespan is a multiple of 4).
    it(`${name}: a zero-length window lowers the target to old/4, not further (SPEC §5 clamp)`, () => {
      const quarter = hex(encodeCompact(old / 4n));
      expect(hex(calculateNextBits(params, start, 1000, 1000))).toBe(quarter);
      expect(hex(calculateNextBits(params, start, 1000, 0))).toBe(quarter);
    });
  }
});

describe('retarget properties', () => {
  const paramsArb = fc.constantFrom(BITCOIN_PARAMS, DEFAULT_PARAMS, TEST_PARAMS);
  /** Valid bits at or below each network's limit, of varied magnitudes. */
  const caseArb = paramsArb.chain((params) =>
    fc.record({
      params: fc.constant(params),
      bits: fc
        .bigInt({ min: 1n << 20n, max: params.powLimit })
        .chain((t) => fc.integer({ min: 0, max: 200 }).map((s) => t >> BigInt(s)))
        .filter((t) => t > 0n)
        .map((t) => encodeCompact(t)),
      firstTime: fc.integer({ min: 0, max: 2 ** 32 }),
      span: fc.oneof(
        fc.integer({ min: -10 * expectedTimespan(params), max: 10 * expectedTimespan(params) }),
        fc.integer({ min: 0, max: 2 * expectedTimespan(params) }),
        fc.integer({ min: -(2 ** 31), max: 2 ** 31 }),
      ),
    }),
  );

  it('property: never above the limit, never above old×4, always a valid target', () => {
    fc.assert(
      fc.property(caseArb, ({ params, bits, firstTime, span }) => {
        const old = targetOf(bits);
        const next = calculateNextBits(params, bits, firstTime, firstTime + span);
        const t = targetOf(next);
        expect(decodeCompact(next).negative).toBe(false);
        expect(decodeCompact(next).overflow).toBe(false);
        expect(t <= params.powLimit).toBe(true);
        expect(t <= old * 4n).toBe(true);
        expect(next).toBe(encodeCompact(t)); // canonical bits
      }),
    );
  });

  it('property: the result is the compact form of min(limit, old × clamp(actual) / expected)', () => {
    fc.assert(
      fc.property(caseArb, ({ params, bits, firstTime, span }) => {
        const old = targetOf(bits);
        const expected = BigInt(expectedTimespan(params));
        // Work in quarters of a second so that expected/4 is exact.
        const actual4 = BigInt(span) * 4n;
        // The lower clamp itself (actual below expected/4) is pinned by the
        // "old/4" tests; here it is only checked where Bitcoin defines it.
        if (actual4 < expected && params !== BITCOIN_PARAMS) return;
        const clamped4 = actual4 < expected ? expected : actual4 > expected * 16n ? expected * 16n : actual4;
        let exact = (old * clamped4) / (expected * 4n);
        if (exact > params.powLimit) exact = params.powLimit;
        const got = targetOf(calculateNextBits(params, bits, firstTime, firstTime + span));
        // For Bitcoin (expected divisible by 4) this is Bitcoin Core's exact result.
        expect(got).toBe(roundCompact(exact));
      }),
    );
  });

  it('property: never below old/4, up to compact precision (SPEC §5 clamp)', () => {
    fc.assert(
      fc.property(caseArb, ({ params, bits, firstTime, span }) => {
        const old = targetOf(bits);
        const t = targetOf(calculateNextBits(params, bits, firstTime, firstTime + span));
        expect(t >= roundCompact(old / 4n)).toBe(true);
      }),
    );
  });

  it('property: monotonic in the actual timespan', () => {
    fc.assert(
      fc.property(caseArb, fc.nat(10 ** 6), ({ params, bits, firstTime, span }, more) => {
        const a = targetOf(calculateNextBits(params, bits, firstTime, firstTime + span));
        const b = targetOf(calculateNextBits(params, bits, firstTime, firstTime + span + more));
        expect(a <= b).toBe(true);
      }),
    );
  });

  it('property: depends on the timespan only, not on absolute times', () => {
    fc.assert(
      fc.property(caseArb, fc.integer({ min: 0, max: 2 ** 31 }), ({ params, bits, firstTime, span }, shift) => {
        expect(calculateNextBits(params, bits, firstTime + shift, firstTime + shift + span)).toBe(calculateNextBits(params, bits, firstTime, firstTime + span));
      }),
    );
  });

  it('property: an on-schedule window keeps canonical bits below the limit', () => {
    fc.assert(
      fc.property(caseArb, ({ params, bits, firstTime }) => {
        expect(calculateNextBits(params, bits, firstTime, firstTime + expectedTimespan(params))).toBe(bits);
      }),
    );
  });
});
