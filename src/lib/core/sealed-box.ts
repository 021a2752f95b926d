/**
 * Bytes sealed to one X25519 public key (a hospital's data key, a clinician's
 * box key): a fresh data key wrapped to the recipient (envelope.ts `wrapKey`)
 * followed by the bytes sealed under it, both bound to a context that names
 * what the bytes are for, so a sealed emergency share cannot be passed off as
 * a referral note or as a share of another access. Randomness is passed in.
 */
import { concatBytes } from './bytes';
import { DATA_KEY_BYTES, NONCE_BYTES, WRAPPED_KEY_BYTES, openRecord, sealRecord, unwrapKey, wrapKey } from './envelope';

/** Bytes a sealed box adds to what it seals: the wrap, the nonce and the tag. */
export const SEALED_BOX_OVERHEAD = WRAPPED_KEY_BYTES + NONCE_BYTES + 16;

/** Seals `plaintext` to `recipient` for `context`. */
export function sealTo(recipient: Uint8Array, plaintext: Uint8Array, context: Uint8Array, random: (n: number) => Uint8Array): Uint8Array {
  const key = random(DATA_KEY_BYTES);
  const out = concatBytes(wrapKey(key, recipient, random(32), context), sealRecord(key, random(NONCE_BYTES), context, plaintext));
  key.fill(0);
  return out;
}

/** Opens a sealed box with the recipient's X25519 secret; null when it is not theirs, not for `context`, or changed. */
export function openSealed(sealed: Uint8Array, secret: Uint8Array, context: Uint8Array): Uint8Array | null {
  if (sealed.length < SEALED_BOX_OVERHEAD) return null;
  const key = unwrapKey(sealed.subarray(0, WRAPPED_KEY_BYTES), secret, context);
  if (!key) return null;
  const out = openRecord(key, context, sealed.subarray(WRAPPED_KEY_BYTES));
  key.fill(0);
  return out;
}
