/**
 * Crockford base32 as people read and type it (patient short ids, recovery
 * kits). The byte codec is `@scure/base`'s `base32crockford`; what it does not
 * offer lives here: the symbols in value order, which the typo checks of the
 * short id and the kit are computed over, and Crockford's forgiving reading
 * of typed text with the spaces and dashes people group symbols with.
 */

/** The 32 symbols in value order: digits, then A–Z without I, L, O and U. */
export const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** Typed text as symbols: case, spaces and dashes do not matter, I and L read as 1 and O as 0. */
export function readTypedCrockford(input: string): string {
  return input.toUpperCase().replace(/[\s-]/g, '').replace(/[IL]/g, '1').replace(/O/g, '0');
}

/** Whether every character of `text` is a Crockford symbol. */
export function isCrockford(text: string): boolean {
  return [...text].every((c) => CROCKFORD.includes(c));
}
