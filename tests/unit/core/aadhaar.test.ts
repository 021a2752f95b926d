/**
 * Aadhaar numbers at the point of entry (SPEC §2): 12 digits, first digit 2–9,
 * Verhoeff check digit; spaces and dashes are fine; each failure has its own
 * code; the number is never echoed back (it must not be published) and is
 * shown masked as `XXXX XXXX 1234`.
 */
import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { type AadhaarCheck, checkAadhaar, maskAadhaar } from '../../../src/lib/core/aadhaar';
import { verhoeffDigit } from '../../../src/lib/core/verhoeff';

/** A valid Aadhaar number from its first 11 digits. */
const complete = (eleven: string): string => eleven + String(verhoeffDigit(eleven));

const validAadhaar: fc.Arbitrary<string> = fc
  .tuple(fc.constantFrom(...'23456789'), fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: 10, maxLength: 10 }))
  .map(([first, rest]) => complete(first + rest));

const VALID = complete('23456789012'); // a fixed valid number for the example tests
const spaced = (d: string) => `${d.slice(0, 4)} ${d.slice(4, 8)} ${d.slice(8)}`;
const dashed = (d: string) => `${d.slice(0, 4)}-${d.slice(4, 8)}-${d.slice(8)}`;

function problemOf(r: AadhaarCheck): string {
  if (r.ok) throw new Error(`expected a failure, got ok (${r.digits.length} digits)`);
  return r.problem;
}

/** A failure's message: non-empty, and it leaks no run of digits from the input. */
function expectSafeMessage(r: AadhaarCheck, input: string): void {
  if (r.ok) throw new Error('expected a failure');
  expect(r.message.trim().length).toBeGreaterThan(10);
  // No run of 3+ digits at all (the number, its masked tail, a part of it).
  expect(r.message).not.toMatch(/[0-9]{3,}/);
  const digits = input.replace(/[^0-9]/g, '');
  if (digits.length >= 4) {
    expect(r.message).not.toContain(digits);
    expect(r.message).not.toContain(digits.slice(-4));
  }
}

describe('checkAadhaar: valid numbers', () => {
  it('accepts a valid number and returns its 12 digits', () => {
    expect(VALID).toMatch(/^[2-9][0-9]{11}$/);
    expect(checkAadhaar(VALID)).toEqual({ ok: true, digits: VALID });
  });

  it('normalises spaces and dashes ("2345 6789 0124" style)', () => {
    for (const input of [
      spaced(VALID),
      dashed(VALID),
      `  ${spaced(VALID)}  `,
      VALID.split('').join(' '),
      `${VALID.slice(0, 4)}\t${VALID.slice(4, 8)}\u00a0${VALID.slice(8)}`,
      `${VALID.slice(0, 4)} - ${VALID.slice(4, 8)} - ${VALID.slice(8)}`,
    ]) {
      expect(checkAadhaar(input), JSON.stringify(input)).toEqual({ ok: true, digits: VALID });
    }
  });

  it('every valid number is accepted in plain, spaced and dashed forms (property)', () => {
    fc.assert(
      fc.property(validAadhaar, (d) => {
        for (const input of [d, spaced(d), dashed(d)]) expect(checkAadhaar(input)).toEqual({ ok: true, digits: d });
      }),
      { numRuns: 200 },
    );
  });
});

describe('checkAadhaar: failure codes', () => {
  it('EMPTY for nothing, or only spaces and dashes', () => {
    for (const input of ['', ' ', '   ', '-', ' - - ', '\t\n']) {
      const r = checkAadhaar(input);
      expect(problemOf(r), JSON.stringify(input)).toBe('EMPTY');
      expectSafeMessage(r, input);
    }
  });

  it('NOT_DIGITS for letters, dots, other separators and non-ASCII digits', () => {
    const devanagari = '२३४५६७८९०१२४'; // 12 Devanagari digits
    const inputs = [
      'abcdefghijkl',
      VALID.slice(0, 11) + 'x',
      'O' + VALID.slice(1), // letter O for zero
      `${VALID.slice(0, 4)}.${VALID.slice(4, 8)}.${VALID.slice(8)}`,
      `${VALID.slice(0, 4)}/${VALID.slice(4, 8)}/${VALID.slice(8)}`,
      `${VALID.slice(0, 4)}_${VALID.slice(4)}`,
      `${VALID.slice(0, 4)}\u2013${VALID.slice(4)}`, // en dash
      devanagari,
      VALID.slice(0, 11) + '२',
      '２' + VALID.slice(1), // full-width digit two
      '+91' + VALID,
      '-' + VALID.slice(0, 11) + 'e',
    ];
    for (const input of inputs) {
      const r = checkAadhaar(input);
      expect(problemOf(r), JSON.stringify(input)).toBe('NOT_DIGITS');
      expectSafeMessage(r, input);
    }
  });

  it('LENGTH for 11 and 13 digits (and other lengths)', () => {
    const inputs = [
      VALID.slice(0, 11),
      VALID + '0',
      spaced(VALID.slice(0, 11)),
      complete(VALID.slice(0, 12)), // 13 digits ending in a correct check digit
      '2',
      '23456',
      VALID + VALID,
    ];
    for (const input of inputs) {
      const r = checkAadhaar(input);
      expect(problemOf(r), input).toBe('LENGTH');
      expectSafeMessage(r, input);
    }
  });

  it('FIRST_DIGIT for numbers starting with 0 or 1, even with a correct check digit', () => {
    for (const first of ['0', '1']) {
      const n = complete(first + VALID.slice(1, 11));
      const r = checkAadhaar(n);
      expect(problemOf(r), n).toBe('FIRST_DIGIT');
      expectSafeMessage(r, n);
      expect(problemOf(checkAadhaar(spaced(n)))).toBe('FIRST_DIGIT');
    }
  });

  it('CHECKSUM for every single-digit change of a valid number (exhaustive)', () => {
    let checked = 0;
    for (const valid of [VALID, complete('98765432109'), complete('50000000000')]) {
      expect(checkAadhaar(valid).ok).toBe(true);
      for (let i = 0; i < 12; i++)
        for (const d of '0123456789') {
          if (d === valid[i]) continue;
          const changed = valid.slice(0, i) + d + valid.slice(i + 1);
          const r = checkAadhaar(changed);
          // A changed first digit of 0 or 1 is reported as such; all else is a checksum failure.
          const expected = i === 0 && (d === '0' || d === '1') ? 'FIRST_DIGIT' : 'CHECKSUM';
          expect(problemOf(r), changed).toBe(expected);
          expectSafeMessage(r, changed);
          checked++;
        }
    }
    expect(checked).toBe(3 * 12 * 9);
  });

  it('CHECKSUM for adjacent transpositions of valid numbers (property)', () => {
    fc.assert(
      fc.property(validAadhaar, fc.integer({ min: 1, max: 10 }), (d, i) => {
        fc.pre(d[i] !== d[i + 1]);
        const swapped = d.slice(0, i) + d[i + 1]! + d[i]! + d.slice(i + 2);
        const r = checkAadhaar(swapped);
        expect(problemOf(r)).toBe('CHECKSUM');
        expectSafeMessage(r, swapped);
      }),
      { numRuns: 200 },
    );
  });

  it('the checks apply in order: empty, then characters, then length, then first digit, then checksum', () => {
    expect(problemOf(checkAadhaar('0a'))).toBe('NOT_DIGITS'); // characters before length and first digit
    expect(problemOf(checkAadhaar('0123'))).toBe('LENGTH'); // length before first digit
    expect(problemOf(checkAadhaar('012345678901'))).toBe('FIRST_DIGIT'); // first digit before checksum
  });

  it('no failure message ever contains the digits typed (property)', () => {
    const anyInput = fc.oneof(
      fc.string({ unit: fc.constantFrom(...'0123456789 -'), maxLength: 20 }),
      fc.string({ unit: fc.constantFrom(...'0123456789 -ab.२'), maxLength: 20 }),
      validAadhaar.map((d) => d.slice(0, 11) + String((Number(d[11]) + 1) % 10)),
    );
    fc.assert(
      fc.property(anyInput, (input) => {
        const r = checkAadhaar(input);
        if (!r.ok) expectSafeMessage(r, input);
      }),
      { numRuns: 300 },
    );
  });
});

describe('maskAadhaar', () => {
  it("shows only the last four digits as 'XXXX XXXX 1234'", () => {
    expect(maskAadhaar(VALID)).toBe(`XXXX XXXX ${VALID.slice(8)}`);
    expect(maskAadhaar('234567891234')).toBe('XXXX XXXX 1234');
  });

  it('never shows the first eight digits (property)', () => {
    fc.assert(
      fc.property(validAadhaar, (d) => {
        const m = maskAadhaar(d);
        expect(m).toMatch(/^XXXX XXXX [0-9]{4}$/);
        expect(m.endsWith(d.slice(8))).toBe(true);
        expect(m.replace(/[^0-9]/g, '')).toBe(d.slice(8));
      }),
      { numRuns: 100 },
    );
  });
});
