/**
 * Opens a sealed box (core/sealed-box.ts) with a {@link RecordReader} rather
 * than raw secret bytes: in the browser a clinician's box key is a
 * non-extractable WebCrypto key, which can unwrap a wrap (the X25519 step
 * runs in WebCrypto) but never hands its secret out. A sealed box is a wrap
 * followed by bytes sealed under the wrapped key, so unwrapping through the
 * reader and opening the rest here is the same as `openSealed`.
 */
import { WRAPPED_KEY_BYTES, openRecord } from '../../core/envelope';
import type { RecordReader } from '../../core/record-crypto';
import { SEALED_BOX_OVERHEAD } from '../../core/sealed-box';

/** The sealed bytes for `reader`'s holder, or null when they are not theirs, not for `context`, or changed. */
export async function openSealedAs(sealed: Uint8Array, reader: RecordReader, context: Uint8Array): Promise<Uint8Array | null> {
  if (sealed.length < SEALED_BOX_OVERHEAD) return null;
  const key = await reader.unwrap(sealed.subarray(0, WRAPPED_KEY_BYTES), context);
  if (!key) return null;
  const out = openRecord(key, context, sealed.subarray(WRAPPED_KEY_BYTES));
  key.fill(0);
  return out;
}
