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
import { assert } from './assert';

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const MARKER = ALPHABET.indexOf('M');
const VERSION = 1;
const SEED_BYTES = 32;
const SEED_SYMBOLS = Math.ceil((SEED_BYTES * 8) / 5);
const CHECK_SYMBOLS = 6;
/** Symbols in a kit: marker, version, seed, check. */
export const KIT_SYMBOLS = 2 + SEED_SYMBOLS + CHECK_SYMBOLS;

export type KitErrorCode = 'EMPTY' | 'BAD_CHARACTER' | 'BAD_LENGTH' | 'NOT_A_KIT' | 'UNKNOWN_VERSION' | 'TYPO';

export type KitDecode =
  | { readonly ok: true; readonly seed: Uint8Array }
  | { readonly ok: false; readonly code: KitErrorCode; readonly message: string };

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

function toSymbols(bytes: Uint8Array): number[] {
  const out: number[] = [];
  let acc = 0;
  let bits = 0;
  for (const b of bytes) {
    acc = ((acc << 8) | b) & 0xfff;
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      out.push((acc >>> bits) & 31);
    }
  }
  if (bits > 0) out.push((acc << (5 - bits)) & 31);
  return out;
}

/** Bytes from symbols, or null when the padding bits are not zero (not a canonical kit). */
function fromSymbols(values: readonly number[], length: number): Uint8Array | null {
  const out = new Uint8Array(length);
  let acc = 0;
  let bits = 0;
  let n = 0;
  for (const v of values) {
    acc = ((acc << 5) | v) & 0xfff;
    bits += 5;
    if (bits >= 8) {
      bits -= 8;
      if (n < length) out[n++] = (acc >>> bits) & 0xff;
    }
  }
  return n === length && (acc & ((1 << bits) - 1)) === 0 ? out : null;
}

/** The kit text of a seed: 15 groups of 4 symbols separated by spaces. */
export function encodeKit(seed: Uint8Array): string {
  assert(seed.length === SEED_BYTES, 'a recovery kit holds a 32-byte seed');
  const values = [MARKER, VERSION, ...toSymbols(seed)];
  const all = [...values, ...checkOf(values)];
  const text = all.map((v) => ALPHABET[v]).join('');
  return text.match(/.{1,4}/g)!.join(' ');
}

/** The kit text as it goes in a QR code: the same symbols without spaces. */
export function kitQrPayload(kitText: string): string {
  return kitText.replace(/\s/g, '');
}

/** Reads typed or pasted kit text back into the seed, or says what is wrong with it. */
export function decodeKit(input: string): KitDecode {
  const s = input.toUpperCase().replace(/[\s-]/g, '').replace(/[IL]/g, '1').replace(/O/g, '0');
  if (s === '') return { ok: false, code: 'EMPTY', message: 'Type or paste the code printed on your recovery kit.' };
  const bad = [...s].findIndex((c) => !ALPHABET.includes(c));
  if (bad >= 0)
    return { ok: false, code: 'BAD_CHARACTER', message: `Character ${bad + 1} (“${s[bad]}”) cannot be in a recovery kit: it uses digits and the letters A–Z without I, L, O and U.` };
  if (s.length !== KIT_SYMBOLS) return { ok: false, code: 'BAD_LENGTH', message: `A recovery kit code has ${KIT_SYMBOLS} characters; this has ${s.length}.` };
  const values = [...s].map((c) => ALPHABET.indexOf(c));
  if (polymod(values) !== 1) return { ok: false, code: 'TYPO', message: 'This code has a typo: check each group of four against your kit.' };
  if (values[0] !== MARKER) return { ok: false, code: 'NOT_A_KIT', message: 'This is not a medchain recovery kit code (they start with M1).' };
  if (values[1] !== VERSION) return { ok: false, code: 'UNKNOWN_VERSION', message: 'This recovery kit was made by a newer version of the app.' };
  const seed = fromSymbols(values.slice(2, 2 + SEED_SYMBOLS), SEED_BYTES);
  if (!seed) return { ok: false, code: 'TYPO', message: 'This code has a typo: check each group of four against your kit.' };
  return { ok: true, seed };
}
