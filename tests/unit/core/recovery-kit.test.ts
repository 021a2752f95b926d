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
    // The values the screen's sentence names: where the bad character is and what it is; the lengths.
    expect(decodeKit(`${text.slice(0, 10)}U${text.slice(11)}`)).toEqual({ ok: false, code: 'BAD_CHARACTER', args: [11, 'U'] });
    expect(decodeKit(text.slice(0, -1))).toEqual({ ok: false, code: 'BAD_LENGTH', args: [KIT_SYMBOLS, KIT_SYMBOLS - 1] });
    fc.assert(
      fc.property(fc.string(), (s) => {
        expect(['OK', 'EMPTY', 'BAD_CHARACTER', 'BAD_LENGTH', 'TYPO', 'NOT_A_KIT', 'UNKNOWN_VERSION']).toContain(code(s));
      }),
    );
  });

  it('keeps its printed format: the seed is Crockford base32 (RFC 4648 base32 with Crockford symbols, no padding) after M1', () => {
    const counting = Uint8Array.from({ length: 32 }, (_, i) => i);
    // Printed by the kit code before it moved to @scure/base: kits already on paper must still read.
    expect(encodeKit(counting)).toBe('M100 0G40 R40M 30E2 0918 5GR3 8E1W 8124 GK2G AHC5 RR34 D1P7 0X3R FG3S SY15');
    expect(encodeKit(new Uint8Array(32).fill(0xff))).toBe('M1ZZ ZZZZ ZZZZ ZZZZ ZZZZ ZZZZ ZZZZ ZZZZ ZZZZ ZZZZ ZZZZ ZZZZ ZZZZ ZG8K HD8B');
    expect(decodeKit('M100 0G40 R40M 30E2 0918 5GR3 8E1W 8124 GK2G AHC5 RR34 D1P7 0X3R FG3S SY15')).toEqual({ ok: true, seed: counting });
    // RFC 4648 §10: "fooba" is MZXW6YTB in base32, so a seed starting "fooba" starts M1 + CSQPYRK1 in Crockford's symbols.
    const fooba = new Uint8Array(32);
    fooba.set(new TextEncoder().encode('fooba'));
    expect(kitQrPayload(encodeKit(fooba)).slice(0, 10)).toBe('M1CSQPYRK1');
  });

  it('names a kit whose last seed symbol has non-zero unused bits a typo, even with a valid check', () => {
    // 52 symbols carry 260 bits for 256: the last symbol's low 4 bits are unused and must be zero.
    const symbols = kitQrPayload(encodeKit(new Uint8Array(32)))
      .slice(0, 54)
      .split('');
    symbols[53] = '1';
    const body = symbols.join('');
    expect(code(body + checkSymbols(body))).toBe('TYPO');
    expect(code(body.slice(0, 53) + '0' + checkSymbols(body.slice(0, 53) + '0'))).toBe('OK');
  });
});

/** An independent bech32-style BCH check (BIP 173's generator, constant 1) over the symbols' values. */
function checkSymbols(text: string): string {
  const gen = [0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3];
  let chk = 1;
  for (const v of [...[...text].map((c) => ALPHABET.indexOf(c)), 0, 0, 0, 0, 0, 0]) {
    const top = chk >>> 25;
    chk = (((chk & 0x1ffffff) << 5) ^ v) >>> 0;
    gen.forEach((g, i) => {
      if ((top >>> i) & 1) chk = (chk ^ g) >>> 0;
    });
  }
  chk ^= 1;
  return Array.from({ length: 6 }, (_, i) => ALPHABET[(chk >>> (5 * (5 - i))) & 31]).join('');
}
