/**
 * A printed recovery share's text (issue 15, docs/recovery-through-people.md):
 * the 33-byte Shamir share and a 3-byte check (a tagged hash of the share)
 * as Crockford base32 in groups of four, read forgivingly like the recovery
 * kit (case, spaces and dashes do not matter; I/L read as 1, O as 0). A
 * mistyped symbol fails the check and is named as a typo, never combined:
 * the library combines whatever it is given. Bad text gives a code, never
 * a throw.
 */
import { base32crockford } from '@scure/base';
import { assert } from './assert';
import { bytesEqual, concatBytes } from './bytes';
import { isCrockford, readTypedCrockford } from './crockford';
import { taggedHash } from './hash';

/** A Shamir share of a 32-byte seed: the seed's length and one byte of x-coordinate. */
export const PAPER_SHARE_BYTES = 33;
const CHECK_BYTES = 3;
/** Symbols of a printed share (share and check, 5 bits a symbol, rounded up). */
export const PAPER_SYMBOLS = Math.ceil(((PAPER_SHARE_BYTES + CHECK_BYTES) * 8) / 5);

export type PaperDecode =
  { readonly ok: true; readonly share: Uint8Array } | { readonly ok: false; readonly code: 'EMPTY' | 'BAD_CHARACTER' | 'BAD_LENGTH' | 'TYPO' };

const checkOf = (share: Uint8Array): Uint8Array => taggedHash('medchain/paper-share/v1', share).subarray(0, CHECK_BYTES);

/** The printed text of a share: groups of four symbols separated by spaces. */
export function encodePaperShare(share: Uint8Array): string {
  assert(share.length === PAPER_SHARE_BYTES, 'a paper share holds a 33-byte Shamir share');
  return base32crockford
    .encode(concatBytes(share, checkOf(share)))
    .match(/.{1,4}/g)!
    .join(' ');
}

/** The share from typed or pasted text, or the code of what is wrong with it (the screen words it). */
export function decodePaperShare(input: string): PaperDecode {
  const s = readTypedCrockford(input);
  if (s === '') return { ok: false, code: 'EMPTY' };
  if (!isCrockford(s)) return { ok: false, code: 'BAD_CHARACTER' };
  if (s.length !== PAPER_SYMBOLS) return { ok: false, code: 'BAD_LENGTH' };
  let bytes: Uint8Array;
  try {
    bytes = base32crockford.decode(s);
  } catch {
    // The codec refuses non-zero unused low bits: not text this module wrote, most likely a typo in the last symbol.
    return { ok: false, code: 'TYPO' };
  }
  const share = bytes.slice(0, PAPER_SHARE_BYTES);
  if (!bytesEqual(bytes.subarray(PAPER_SHARE_BYTES), checkOf(share))) return { ok: false, code: 'TYPO' };
  return { ok: true, share };
}
