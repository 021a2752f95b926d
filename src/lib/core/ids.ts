/**
 * Public patient ids (SPEC §2): publicly a patient is a pseudonymous id, a
 * tagged hash of the signing key they registered with. Its long form is what
 * the chain and QR codes carry; its short form (10 Crockford base32 symbols
 * and a mod-37 check symbol, `ABCDE-FGHJK-Z`) is what a patient reads out at
 * reception. A typo in the short form is caught by the check symbol: every
 * single substitution and every swap of adjacent symbols.
 */
import { taggedHash } from './hash';

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const CHECK_ALPHABET = ALPHABET + '*~$=U';

/** The 32-byte patient id of a registration signing key. */
export function patientIdOf(signPublic: Uint8Array): Uint8Array {
  return taggedHash('medchain/patient-id', signPublic);
}

/** Crockford base32 of bytes (no padding), 5 bits per symbol from the most significant. */
export function base32(bytes: Uint8Array): string {
  let out = '';
  let acc = 0;
  let bits = 0;
  for (const b of bytes) {
    acc = (acc << 8) | b;
    bits += 8;
    while (bits >= 5) {
      out += ALPHABET[(acc >>> (bits - 5)) & 31];
      bits -= 5;
    }
    acc &= (1 << bits) - 1;
  }
  if (bits > 0) out += ALPHABET[(acc << (5 - bits)) & 31];
  return out;
}

/** The long form of an id: its full Crockford base32 (52 symbols). */
export function longId(id: Uint8Array): string {
  return base32(id);
}

function checkSymbol(symbols: string): string {
  let r = 0;
  for (const ch of symbols) r = (r * 32 + ALPHABET.indexOf(ch)) % 37;
  return CHECK_ALPHABET[r]!;
}

/** The short form: the first 50 bits as `XXXXX-XXXXX-C`. */
export function shortId(id: Uint8Array): string {
  const s = base32(id).slice(0, 10);
  return `${s.slice(0, 5)}-${s.slice(5)}-${checkSymbol(s)}`;
}

export type ShortIdParse =
  | { readonly ok: true; readonly prefix: string }
  | { readonly ok: false; readonly message: string };

/**
 * Reads a typed short id: case, spaces and dashes do not matter, and the
 * letters I/L read as 1 and O as 0 (Crockford). Returns the 10-symbol prefix
 * to look up, or why it cannot be one.
 */
export function parseShortId(input: string): ShortIdParse {
  const s = input.toUpperCase().replace(/[\s-]/g, '').replace(/[IL]/g, '1').replace(/O/g, '0');
  if (s.length !== 11) return { ok: false, message: 'A patient id has 11 characters, like ABCDE-FGHJK-Z.' };
  const body = s.slice(0, 10);
  if ([...body].some((c) => !ALPHABET.includes(c)))
    return { ok: false, message: 'A patient id uses only digits and the letters A–Z without I, L, O and U.' };
  if (checkSymbol(body) !== s[10]) return { ok: false, message: 'This patient id has a typo: its last character does not match.' };
  return { ok: true, prefix: body };
}

/** What a patient's QR code holds: the network and the long id. */
export function patientQrPayload(networkId: string, id: Uint8Array): string {
  return `medchain:patient?network=${encodeURIComponent(networkId)}&id=${longId(id)}`;
}
