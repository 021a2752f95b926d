/**
 * The Verhoeff check digit (SPEC §2: Aadhaar numbers carry one). Checked
 * against an independent implementation built here from the published tables
 * (Verhoeff 1969; the same d/p/inv tables as Wikipedia and Rosetta Code),
 * against the literature's worked examples, and for the error classes the
 * scheme is famous for catching.
 */
import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { verhoeffDigit, verhoeffValid } from '../../../src/lib/core/verhoeff';

// --- an independent reference, typed from the published tables ----------------

/** d: the Cayley table of the dihedral group D5. */
const REF_D = ['0123456789', '1234067895', '2340178956', '3401289567', '4012395678', '5987604321', '6598710432', '7659821043', '8765932104', '9876543210'].map(
  (row) => [...row].map(Number),
);

/** p: position permutations; p[i] is p[1] applied i times. */
const REF_P = ['0123456789', '1576283094', '5803796142', '8916043527', '9453126870', '4286573901', '2793806415', '7046913258'].map((row) =>
  [...row].map(Number),
);

const REF_INV = [0, 4, 3, 2, 1, 5, 6, 7, 8, 9];

const at = (table: number[][], i: number, j: number): number => {
  const v = table[i]?.[j];
  if (v === undefined) throw new Error(`table index ${i},${j}`);
  return v;
};

/** Running checksum over digits read right to left, starting at position `offset`. */
function refChecksum(digits: string, offset: number): number {
  let c = 0;
  const ds = [...digits].reverse().map(Number);
  ds.forEach((digit, i) => {
    c = at(REF_D, c, at(REF_P, (i + offset) % 8, digit));
  });
  return c;
}
const refDigit = (s: string): number => {
  const v = REF_INV[refChecksum(s, 1)];
  if (v === undefined) throw new Error('inv');
  return v;
};
const refValid = (s: string): boolean => refChecksum(s, 0) === 0;

// --- arbitraries ---------------------------------------------------------------

const digitString = (minLength: number, maxLength: number) => fc.string({ unit: fc.constantFrom(...'0123456789'), minLength, maxLength });

/** A few fixed 12-digit numbers plus some drawn from a fixed seed (reproducible). */
const twelveDigitBodies = ['23456789012', '99999999999', '10000000000', ...fc.sample(digitString(11, 11), { numRuns: 5, seed: 20240611 })];
const validTwelves = twelveDigitBodies.map((body) => body + String(verhoeffDigit(body)));

describe('the reference tables themselves', () => {
  it('p[i] is p[1] applied i times (the published construction)', () => {
    for (let i = 2; i < 8; i++) for (let j = 0; j < 10; j++) expect(at(REF_P, i, j)).toBe(at(REF_P, 1, at(REF_P, i - 1, j)));
  });

  it('inv is the D5 inverse under d', () => {
    for (let j = 0; j < 10; j++) {
      const inv = REF_INV[j]!;
      expect(at(REF_D, j, inv)).toBe(0);
    }
  });
});

describe('verhoeffDigit: known check digits', () => {
  // The two worked examples of the literature: "236" → 3 (Wikipedia's worked
  // example, 2363 valid) and "12345" → 1 (Rosetta Code, 123451 valid); plus
  // Rosetta Code's third, "123456789012" → 0.
  it.each([
    ['236', 3],
    ['12345', 1],
    ['123456789012', 0],
  ])('literature: %s → %i', (s, d) => {
    expect(refDigit(s)).toBe(d); // the reference agrees with the literature...
    expect(verhoeffDigit(s)).toBe(d); // ...and so does the module
    expect(verhoeffValid(s + String(d))).toBe(true);
  });

  it.each(['142857', '0', '9', '00000000', '2345678901', '84736291057', '5555555555555555555'])('matches the reference implementation on %s', (s) => {
    expect(verhoeffDigit(s)).toBe(refDigit(s));
  });

  it('142857 → 0', () => {
    expect(refDigit('142857')).toBe(0);
    expect(verhoeffDigit('142857')).toBe(0);
  });

  it('throws RangeError on anything but ASCII digits', () => {
    for (const bad of ['', '12a4', ' 123', '12 3', '१२३', '-1', '1.5']) expect(() => verhoeffDigit(bad), bad).toThrow(RangeError);
  });
});

describe('verhoeffValid', () => {
  it('accepts the literature examples and rejects their neighbours', () => {
    expect(verhoeffValid('2363')).toBe(true);
    expect(verhoeffValid('123451')).toBe(true);
    for (const d of '0124567892') if (d !== '3') expect(verhoeffValid('236' + d), d).toBe(false);
    for (const d of '023456789') expect(verhoeffValid('12345' + d), d).toBe(false);
  });

  it('is false for non-digit input rather than throwing', () => {
    for (const bad of ['', '2363 ', '23 63', 'abcd', '२३६३', '236.3', '+2363']) expect(verhoeffValid(bad), bad).toBe(false);
  });

  it('agrees with the reference on arbitrary digit strings (property)', () => {
    fc.assert(
      fc.property(digitString(1, 40), (s) => {
        expect(verhoeffValid(s)).toBe(refValid(s));
      }),
      { numRuns: 500 },
    );
  });
});

describe('properties', () => {
  it('appending verhoeffDigit(s) makes the string valid, and any other digit does not', () => {
    fc.assert(
      fc.property(digitString(1, 40), (s) => {
        const d = verhoeffDigit(s);
        expect(d).toBe(refDigit(s));
        expect(verhoeffValid(s + String(d))).toBe(true);
        for (let other = 0; other < 10; other++) if (other !== d) expect(verhoeffValid(s + String(other))).toBe(false);
      }),
      { numRuns: 300 },
    );
  });

  it('every single-digit substitution of a valid 12-digit number is detected (exhaustive)', () => {
    for (const valid of validTwelves) {
      expect(valid).toHaveLength(12);
      expect(verhoeffValid(valid)).toBe(true);
      for (let i = 0; i < valid.length; i++)
        for (const d of '0123456789') {
          if (d === valid[i]) continue;
          const changed = valid.slice(0, i) + d + valid.slice(i + 1);
          expect(verhoeffValid(changed), changed).toBe(false);
        }
    }
  });

  it('every adjacent transposition of a valid 12-digit number is detected (exhaustive)', () => {
    let swaps = 0;
    for (const valid of validTwelves) {
      for (let i = 0; i + 1 < valid.length; i++) {
        if (valid[i] === valid[i + 1]) continue; // swapping equal digits changes nothing
        const swapped = valid.slice(0, i) + valid[i + 1]! + valid[i]! + valid.slice(i + 2);
        expect(verhoeffValid(swapped), swapped).toBe(false);
        swaps++;
      }
    }
    expect(swaps).toBeGreaterThan(40); // the fixtures really exercise swaps
  });

  it('single substitutions and adjacent transpositions are caught on any length (property)', () => {
    fc.assert(
      fc.property(digitString(2, 30), fc.nat(), fc.integer({ min: 1, max: 9 }), (body, rawPos, delta) => {
        const valid = body + String(verhoeffDigit(body));
        const i = rawPos % valid.length;
        const sub = valid.slice(0, i) + String((Number(valid[i]) + delta) % 10) + valid.slice(i + 1);
        expect(verhoeffValid(sub)).toBe(false);
        const j = rawPos % (valid.length - 1);
        if (valid[j] !== valid[j + 1]) {
          const swapped = valid.slice(0, j) + valid[j + 1]! + valid[j]! + valid.slice(j + 2);
          expect(verhoeffValid(swapped)).toBe(false);
        }
      }),
      { numRuns: 300 },
    );
  });
});
