/**
 * Passphrase policy and strength meter (SPEC §2: "passphrase strength is
 * enforced (length and a strength meter)"). The passphrase is the only secret
 * behind a patient's keys, so the estimate must be conservative about common
 * words, runs and repeats.
 */
import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { MIN_PASSPHRASE_BITS, MIN_PASSPHRASE_LENGTH, passphraseStrength } from '../../../src/lib/core/passphrase';

const S = passphraseStrength;
const lowerWord = (minLength: number, maxLength: number) =>
  fc.string({ unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz'), minLength, maxLength });
const alnumWord = fc.string({ unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz0123456789'), minLength: 1, maxLength: 10 });
const sep = fc.constantFrom(' ', '-');

/** Passphrases made of a few random lowercase words that the meter accepts. */
const acceptableBase = fc
  .tuple(fc.array(lowerWord(3, 8), { minLength: 3, maxLength: 6 }), sep)
  .map(([words, s]) => words.join(s))
  .filter((p) => S(p).acceptable);

describe('policy constants', () => {
  it('asks for at least 12 characters and at least 50 bits', () => {
    expect(MIN_PASSPHRASE_LENGTH).toBeGreaterThanOrEqual(12);
    expect(MIN_PASSPHRASE_BITS).toBeGreaterThanOrEqual(50);
  });
});

describe('examples', () => {
  it.each(['correct horse battery staple', 'kite-river-lamp-oven'])('%s is acceptable', (p) => {
    const r = S(p);
    expect(r.acceptable).toBe(true);
    expect(r.score).toBeGreaterThanOrEqual(3);
    expect(r.bits).toBeGreaterThanOrEqual(MIN_PASSPHRASE_BITS);
    expect(r.advice).toEqual([]);
  });

  it.each(['password1234', 'aaaaaaaaaaaaaaaa', 'qwertyuiop123456', '1234567890123', 'abcdefghijklmnop', ''])(
    '%j is not acceptable, with advice',
    (p) => {
      const r = S(p);
      expect(r.acceptable).toBe(false);
      expect(r.bits).toBeLessThan(MIN_PASSPHRASE_BITS);
      expect(r.score).toBeLessThanOrEqual(2);
      expect(r.advice.length).toBeGreaterThan(0);
    },
  );

  it('the empty passphrase scores 0 bits', () => {
    expect(S('')).toMatchObject({ bits: 0, score: 0, acceptable: false });
  });
});

describe('length', () => {
  it('a strong-looking passphrase one character short of the minimum is refused; at the minimum it passes', () => {
    const strong = 'Zq8#vK2!mW9$Tp4&Rb7%';
    const atMin = strong.slice(0, MIN_PASSPHRASE_LENGTH);
    expect(S(atMin).acceptable).toBe(true);
    const short = strong.slice(0, MIN_PASSPHRASE_LENGTH - 1);
    const r = S(short);
    expect(r.acceptable).toBe(false);
    // The length advice comes first and names the minimum (the number is the message).
    expect(r.advice[0]).toContain(String(MIN_PASSPHRASE_LENGTH));
  });

  it('the length advice comes first, before advice about patterns', () => {
    for (const p of ['password1', 'abcd1234', 'zzzzzz', 'qwerty']) {
      const r = S(p);
      expect(r.advice.length, p).toBeGreaterThanOrEqual(2);
      expect(r.advice[0], p).toContain(String(MIN_PASSPHRASE_LENGTH));
    }
  });

  it('counts characters, not UTF-16 code units', () => {
    // 6 astral characters are 12 code units but only 6 characters.
    const r = S('😀🙈🐘🌵🚲🎲');
    expect(r.acceptable).toBe(false);
    expect(r.advice[0]).toContain(String(MIN_PASSPHRASE_LENGTH));
  });

  it('nothing shorter than the minimum is ever acceptable (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: MIN_PASSPHRASE_LENGTH - 1 }), (p) => {
        fc.pre([...p].length < MIN_PASSPHRASE_LENGTH);
        const r = S(p);
        expect(r.acceptable).toBe(false);
        expect(r.advice.length).toBeGreaterThan(0);
        expect(r.advice[0]).toContain(String(MIN_PASSPHRASE_LENGTH));
      }),
      { numRuns: 300 },
    );
  });
});

describe('weak patterns lower the estimate and give advice', () => {
  // Each weak passphrase is compared to one with exactly the same characters
  // rearranged (same length, same character classes, same distinct count), so
  // only the pattern differs.
  const cases: [string, string, string][] = [
    ['common word', 'zebra-kite-password', 'zebra-kite-drowssap'],
    ['common word', 'zebra-kite-letmein', 'zebra-kite-nimetel'],
    ['common word', 'zebra-kite-aadhaar', 'zebra-kite-raahdaa'],
    ['common word', 'zebra-kite-hospital', 'zebra-kite-latipsoh'],
    ['common word', 'zebra-kite-cricket', 'zebra-kite-tekcirc'],
    ['alphabet run', 'zebra-kite-abcdefgh', 'zebra-kite-gdaebhcf'],
    ['digit run', 'zebra-kite-12345678', 'zebra-kite-73162854'],
    ['keyboard row', 'zebra-kite-asdfghjk', 'zebra-kite-gkadjfsh'],
    ['repeat', 'zebra-kite-vqmmmmmj', 'zebra-kite-mvmqmjmm'],
  ];

  it.each(cases)('%s: %s scores lower than %s and gets advice', (_kind, weak, control) => {
    expect([...weak].sort().join('')).toBe([...control].sort().join('')); // same characters
    const w = S(weak);
    const c = S(control);
    expect(c.advice).toEqual([]);
    expect(w.bits).toBeLessThan(c.bits);
    expect(w.advice.length).toBeGreaterThan(0);
  });

  it('the common-word advice names the word found', () => {
    for (const word of ['password', 'letmein', 'aadhaar', 'hospital']) {
      const r = S(`zebra-kite-${word}`);
      expect(r.advice.some((a) => a.includes(word)), word).toBe(true);
    }
  });

  it('common words are found in any case', () => {
    const weak = S('zebra-kite-PassWord');
    const control = S('zebra-kite-droWssaP'); // the same characters, reversed
    expect(weak.bits).toBeLessThan(control.bits);
    expect(weak.advice.length).toBeGreaterThan(0);
    expect(control.advice).toEqual([]);
  });

  it('each weakness adds its own advice', () => {
    const all = S('password-abcdefg-zzzzz-kite');
    expect(all.advice.length).toBeGreaterThanOrEqual(3);
    expect(new Set(all.advice).size).toBe(all.advice.length);
  });
});

describe('score', () => {
  it('is an integer 0..4, acceptable exactly when long enough and at least MIN_PASSPHRASE_BITS, and never below 3 when acceptable (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 40 }), (p) => {
        const r = S(p);
        expect([0, 1, 2, 3, 4]).toContain(r.score);
        expect(Number.isFinite(r.bits)).toBe(true);
        expect(r.bits).toBeGreaterThanOrEqual(0);
        expect(r.acceptable).toBe([...p].length >= MIN_PASSPHRASE_LENGTH && r.bits >= MIN_PASSPHRASE_BITS);
        if (r.acceptable) expect(r.score).toBeGreaterThanOrEqual(3);
        else expect(r.advice.length).toBeGreaterThan(0);
        expect(S(p)).toEqual(r); // deterministic
      }),
      { numRuns: 300 },
    );
  });

  it('is monotone in the bits estimate (property)', () => {
    const anyP = fc.oneof(fc.string({ maxLength: 40 }), acceptableBase);
    fc.assert(
      fc.property(anyP, anyP, (a, b) => {
        const ra = S(a);
        const rb = S(b);
        if (ra.bits < rb.bits) expect(ra.score).toBeLessThanOrEqual(rb.score);
        if (ra.bits === rb.bits) expect(ra.score).toBe(rb.score);
      }),
      { numRuns: 300 },
    );
  });

  it('uses the whole range', () => {
    const scores = new Set(['kite', 'kite-river', 'kite-river-l', 'kite-river-lam', 'kite-river-lamp-oven'].map((p) => S(p).score));
    expect([...scores].sort()).toEqual([0, 1, 2, 3, 4]);
    // and a passphrase's score rises as it grows
    expect(S('kite-river-l').acceptable).toBe(false);
    expect(S('kite-river-la').acceptable).toBe(true);
  });
});

describe('monotone-ish', () => {
  it('appending random words to an acceptable passphrase never makes it unacceptable, nor lowers its score (property)', () => {
    fc.assert(
      fc.property(acceptableBase, fc.array(fc.tuple(sep, alnumWord), { minLength: 1, maxLength: 4 }), (base, more) => {
        const before = S(base);
        const after = S(base + more.map(([s, w]) => s + w).join(''));
        expect(after.acceptable).toBe(true);
        expect(after.score).toBeGreaterThanOrEqual(before.score);
      }),
      { numRuns: 300 },
    );
  });
});

describe('conservative about what an attacker tries first', () => {
  // The module promises to charge "the guesses of an attacker who tries common
  // words, repeats and keyboard or alphabet runs before brute force" and to
  // "cap the credit of each such part". Passphrases made only of words from its
  // own common-word list, or of one run repeated, are a few thousand guesses
  // for such an attacker (well under 2^20), yet they are accepted.
  it.each([
    'password password password', // one common word three times
    'monkey dragon shadow', // three common words
    'qwertyqwertyqwerty', // one keyboard run three times
    'abcdabcdabcdabcdabcdabcd', // one alphabet run six times
  ])('%s is not acceptable', (p) => {
    expect(S(p).acceptable).toBe(false);
  });
});
