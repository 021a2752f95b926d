/**
 * The recovery kit's text (SPEC §2 "optional recovery kit (printable / QR)"):
 * the 32-byte master seed as 60 Crockford base32 symbols in groups of four —
 * a marker `M`, a version `1`, 52 symbols of seed and 6 check symbols.
 *
 * The check is a BCH code over GF(32) (the construction Bitcoin's bech32
 * uses): any error touching at most four symbols of the 60 is detected, so a
 * mistyped or swapped symbol is named as a typo, never turned into other
 * keys. Reading is forgiving where it is safe: case, spaces and dashes do
 * not matter, and I/L read as 1 and O as 0 (Crockford). Bad text gives a
 * coded result, never a throw.
 */
import { base32crockford } from '@scure/base';
import { assert } from './assert';
import { CROCKFORD, readTypedCrockford } from './crockford';

const MARKER = CROCKFORD.indexOf('M');
const VERSION = 1;
const SEED_BYTES = 32;
const SEED_SYMBOLS = Math.ceil((SEED_BYTES * 8) / 5);
const CHECK_SYMBOLS = 6;
/** Symbols in a kit: marker, version, seed, check. */
export const KIT_SYMBOLS = 2 + SEED_SYMBOLS + CHECK_SYMBOLS;

export type KitErrorCode = 'EMPTY' | 'BAD_CHARACTER' | 'BAD_LENGTH' | 'NOT_A_KIT' | 'UNKNOWN_VERSION' | 'TYPO';

export type KitDecode =
  | { readonly ok: true; readonly seed: Uint8Array }
  /** `args`: BAD_CHARACTER the position (from 1) and the character; BAD_LENGTH the length a kit has and this one's. */
  | { readonly ok: false; readonly code: KitErrorCode; readonly args?: readonly (string | number)[] };

const GENERATOR = [0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3];

/** The BCH remainder of 5-bit values (30 bits). */
function polymod(values: readonly number[]): number {
  let chk = 1;
  for (const v of values) {
    const top = chk >>> 25;
    chk = (((chk & 0x1ffffff) << 5) ^ v) >>> 0;
    for (let i = 0; i < 5; i++) if ((top >>> i) & 1) chk = (chk ^ GENERATOR[i]!) >>> 0;
  }
  return chk;
}

function checkOf(values: readonly number[]): number[] {
  const mod = polymod([...values, ...new Array<number>(CHECK_SYMBOLS).fill(0)]) ^ 1;
  return Array.from({ length: CHECK_SYMBOLS }, (_, i) => (mod >>> (5 * (CHECK_SYMBOLS - 1 - i))) & 31);
}

/** The values of Crockford symbols (the text is known to hold only symbols). */
function valuesOf(symbols: string): number[] {
  return [...symbols].map((c) => CROCKFORD.indexOf(c));
}

/** The seed from its 52 symbols, or null when their 4 unused low bits are not zero (not a canonical kit). */
function seedOf(symbols: string): Uint8Array | null {
  try {
    return base32crockford.decode(symbols);
  } catch {
    // The codec refuses non-zero unused bits; the symbols themselves were checked already.
    return null;
  }
}

/** The kit text of a seed: 15 groups of 4 symbols separated by spaces. */
export function encodeKit(seed: Uint8Array): string {
  assert(seed.length === SEED_BYTES, 'a recovery kit holds a 32-byte seed');
  const body = CROCKFORD[MARKER]! + CROCKFORD[VERSION]! + base32crockford.encode(seed);
  const text =
    body +
    checkOf(valuesOf(body))
      .map((v) => CROCKFORD[v])
      .join('');
  return text.match(/.{1,4}/g)!.join(' ');
}

/** The kit text as it goes in a QR code: the same symbols without spaces. */
export function kitQrPayload(kitText: string): string {
  return kitText.replace(/\s/g, '');
}

/** Reads typed or pasted kit text back into the seed, or gives the code of what is wrong with it (the screen words it). */
export function decodeKit(input: string): KitDecode {
  const s = readTypedCrockford(input);
  if (s === '') return { ok: false, code: 'EMPTY' };
  const bad = [...s].findIndex((c) => !CROCKFORD.includes(c));
  if (bad >= 0) return { ok: false, code: 'BAD_CHARACTER', args: [bad + 1, s[bad]!] };
  if (s.length !== KIT_SYMBOLS) return { ok: false, code: 'BAD_LENGTH', args: [KIT_SYMBOLS, s.length] };
  const values = valuesOf(s);
  if (polymod(values) !== 1) return { ok: false, code: 'TYPO' };
  if (values[0] !== MARKER) return { ok: false, code: 'NOT_A_KIT' };
  if (values[1] !== VERSION) return { ok: false, code: 'UNKNOWN_VERSION' };
  const seed = seedOf(s.slice(2, 2 + SEED_SYMBOLS));
  if (!seed) return { ok: false, code: 'TYPO' };
  return { ok: true, seed };
}
