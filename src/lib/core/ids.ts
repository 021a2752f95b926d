/**
 * Public patient ids (SPEC §2): publicly a patient is a pseudonymous id, a
 * tagged hash of the signing key they registered with. Its long form is what
 * the chain and QR codes carry; its short form (10 Crockford base32 symbols
 * and a mod-37 check symbol, `ABCDE-FGHJK-Z`) is what a patient reads out at
 * reception. A typo in the short form is caught by the check symbol: every
 * single substitution and every swap of adjacent symbols.
 */
import { base32crockford } from '@scure/base';
import { CROCKFORD, isCrockford, readTypedCrockford } from './crockford';
import { taggedHash } from './hash';

const CHECK_ALPHABET = CROCKFORD + '*~$=U';

/** The 32-byte patient id of a registration signing key. */
export function patientIdOf(signPublic: Uint8Array): Uint8Array {
  return taggedHash('medchain/patient-id', signPublic);
}

/** The long form of an id: its full Crockford base32 (52 symbols, no padding, most significant bits first). */
export function longId(id: Uint8Array): string {
  return base32crockford.encode(id);
}

function checkSymbol(symbols: string): string {
  let r = 0;
  for (const ch of symbols) r = (r * 32 + CROCKFORD.indexOf(ch)) % 37;
  return CHECK_ALPHABET[r]!;
}

/** The short form: the first 50 bits as `XXXXX-XXXXX-C`. */
export function shortId(id: Uint8Array): string {
  const s = longId(id).slice(0, 10);
  return `${s.slice(0, 5)}-${s.slice(5)}-${checkSymbol(s)}`;
}

/** Why typed text is not a short id: not 11 symbols, a character no id uses, or a check symbol that does not match (a typo). */
export type ShortIdProblem = 'ID_LENGTH' | 'ID_CHARACTERS' | 'ID_TYPO';

export type ShortIdParse = { readonly ok: true; readonly prefix: string } | { readonly ok: false; readonly code: ShortIdProblem };

/**
 * Reads a typed short id: case, spaces and dashes do not matter, and the
 * letters I/L read as 1 and O as 0 (Crockford). Returns the 10-symbol prefix
 * to look up, or the code of why it cannot be one.
 */
export function parseShortId(input: string): ShortIdParse {
  const s = readTypedCrockford(input);
  if (s.length !== 11) return { ok: false, code: 'ID_LENGTH' };
  const body = s.slice(0, 10);
  if (!isCrockford(body)) return { ok: false, code: 'ID_CHARACTERS' };
  if (checkSymbol(body) !== s[10]) return { ok: false, code: 'ID_TYPO' };
  return { ok: true, prefix: body };
}

/** What a patient's QR code holds: the network and the long id. */
export function patientQrPayload(networkId: string, id: Uint8Array): string {
  return `medchain:patient?network=${encodeURIComponent(networkId)}&id=${longId(id)}`;
}
