/**
 * The recovery kit's text (SPEC §2): every seed round-trips through its
 * text, however it is typed (case, spaces, dashes, I/L/O); every single
 * substitution and every swap of neighbours is named a typo; other text gets
 * its own code.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { KIT_SYMBOLS, decodeKit, encodeKit, kitQrPayload } from '../../../src/lib/core/recovery-kit';

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const seed = fc.uint8Array({ minLength: 32, maxLength: 32 });
const code = (text: string) => {
  const r = decodeKit(text);
  return r.ok ? 'OK' : r.code;
};

describe('recovery kit text', () => {
  it('round-trips every seed, in groups of four starting M1', () => {
    fc.assert(
      fc.property(seed, (s) => {
        const text = encodeKit(s);
        expect(text).toMatch(/^M1[0-9A-Z]{2}( [0-9A-HJKMNP-TV-Z]{4}){14}$/);
        expect(kitQrPayload(text)).toHaveLength(KIT_SYMBOLS);
        const back = decodeKit(text);
        expect(back.ok && back.seed).toEqual(s);
      }),
    );
  });

  it('reads text typed loosely: lower case, dashes, no spaces, I/L for 1 and O for 0', () => {
    fc.assert(
      fc.property(seed, (s) => {
        const text = encodeKit(s);
        const loose = text.toLowerCase().replace(/ /g, '-').replace(/1/g, 'l').replace(/0/g, 'o');
        const back = decodeKit(`  ${loose}\n`);
        expect(back.ok && back.seed).toEqual(s);
        expect(decodeKit(kitQrPayload(text))).toEqual({ ok: true, seed: s });
      }),
    );
  });

  it('names every single substitution a typo', () => {
    fc.assert(
      fc.property(seed, fc.nat(KIT_SYMBOLS - 1), fc.integer({ min: 1, max: 31 }), (s, at, delta) => {
        const symbols = kitQrPayload(encodeKit(s)).split('');
        symbols[at] = ALPHABET[(ALPHABET.indexOf(symbols[at]!) + delta) % 32]!;
        expect(code(symbols.join(''))).toBe('TYPO');
      }),
    );
  });

  it('names every swap of two different neighbouring symbols a typo', () => {
    fc.assert(
      fc.property(seed, fc.nat(KIT_SYMBOLS - 2), (s, at) => {
        const symbols = kitQrPayload(encodeKit(s)).split('');
        fc.pre(symbols[at] !== symbols[at + 1]);
        [symbols[at], symbols[at + 1]] = [symbols[at + 1]!, symbols[at]!];
        expect(code(symbols.join(''))).toBe('TYPO');
      }),
    );
  });

  it('detects up to four changed symbols anywhere', () => {
    fc.assert(
      fc.property(seed, fc.uniqueArray(fc.nat(KIT_SYMBOLS - 1), { minLength: 1, maxLength: 4 }), fc.integer({ min: 1, max: 31 }), (s, spots, delta) => {
        const symbols = kitQrPayload(encodeKit(s)).split('');
        for (const at of spots) symbols[at] = ALPHABET[(ALPHABET.indexOf(symbols[at]!) + delta) % 32]!;
        expect(code(symbols.join(''))).toBe('TYPO');
      }),
    );
  });

  it('gives a coded answer for empty, foreign, short and long text', () => {
    const text = kitQrPayload(encodeKit(new Uint8Array(32).fill(7)));
    expect(code('')).toBe('EMPTY');
    expect(code('  - ')).toBe('EMPTY');
    expect(code(`${text.slice(0, 10)}U${text.slice(11)}`)).toBe('BAD_CHARACTER');
    expect(code(`${text.slice(0, 10)}!${text.slice(11)}`)).toBe('BAD_CHARACTER');
    expect(code(text.slice(0, -1))).toBe('BAD_LENGTH');
    expect(code(`${text}A`)).toBe('BAD_LENGTH');
    fc.assert(
      fc.property(fc.string(), (s) => {
        expect(['OK', 'EMPTY', 'BAD_CHARACTER', 'BAD_LENGTH', 'TYPO', 'NOT_A_KIT', 'UNKNOWN_VERSION']).toContain(code(s));
      }),
    );
  });
});
