/**
 * The passphrase rule (SPEC §2): at least 10^12 estimated guesses, a meter
 * score that is 3 or more exactly when the rule is met, and weakness codes
 * only for a refused passphrase.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { MIN_GUESSES_LOG10, judge, scoreOf } from '../../../src/lib/core/passphrase-policy';

describe('the rule', () => {
  it('asks for 10^12 guesses', () => {
    expect(MIN_GUESSES_LOG10).toBe(12);
  });

  it('accepts exactly from 10^12 guesses on', () => {
    expect(judge(11.99, ['WORD']).acceptable).toBe(false);
    expect(judge(12, ['WORD']).acceptable).toBe(true);
  });

  it('keeps the patterns found only when refusing, each once, and names SHORT when none was found', () => {
    expect(judge(8, ['DATE', 'NAME_OR_PLACE', 'DATE']).weaknesses).toEqual(['DATE', 'NAME_OR_PLACE']);
    expect(judge(8, []).weaknesses).toEqual(['SHORT']);
    expect(judge(20, ['WORD']).weaknesses).toEqual([]);
  });

  it('treats a non-finite or negative estimate as no guesses at all', () => {
    expect(judge(Number.NaN, []).guessesLog10).toBe(0);
    expect(judge(-3, []).acceptable).toBe(false);
    expect(judge(Number.POSITIVE_INFINITY, []).acceptable).toBe(false);
  });
});

describe('the meter score', () => {
  it('steps every three orders of magnitude around the threshold', () => {
    expect([0, 5.9, 6, 8.9, 9, 11.9, 12, 14.9, 15, 40].map(scoreOf)).toEqual([0, 0, 1, 1, 2, 2, 3, 3, 4, 4]);
  });

  it('is monotone, within 0..4, and 3 or more exactly when acceptable (property)', () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 60, noNaN: true }), fc.double({ min: 0, max: 60, noNaN: true }), (a, b) => {
        const [lo, hi] = a <= b ? [a, b] : [b, a];
        expect(scoreOf(lo)).toBeLessThanOrEqual(scoreOf(hi));
        const r = judge(a, []);
        expect([0, 1, 2, 3, 4]).toContain(r.score);
        expect(r.acceptable).toBe(r.score >= 3);
      }),
    );
  });
});
