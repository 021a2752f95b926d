/**
 * Encryption of records and wrapping of their keys (SPEC §3).
 *
 * A record is sealed with a random 32-byte data key under XChaCha20-Poly1305
 * with the record's public header as associated data, so a ciphertext moved
 * to another record (another header) fails to open. The data key is wrapped to
 * each reader with an ephemeral X25519 key agreement, HKDF-SHA256 and the
 * same AEAD: the wrap is bound to the reader's public key and to the record
 * (the caller's context — a hash of the record's public header, see
 * record.ts — is the HKDF info and the associated data). Randomness (data keys,
 * nonces, ephemeral secrets) is passed in: the core has none of its own.
 *
 * Opening never throws on bad input: a wrong key, a changed byte or a foreign
 * header gives null.
 */
import { xchacha20poly1305 } from '@noble/ciphers/chacha.js';
import { x25519 } from '@noble/curves/ed25519.js';
import { hkdf } from '@noble/hashes/hkdf.js';
import { sha256 as nobleSha256 } from '@noble/hashes/sha2.js';
import { assert } from './assert';
import { concatBytes, utf8 } from './bytes';

import { DATA_KEY_BYTES, NONCE_BYTES, WRAPPED_KEY_BYTES } from './envelope-sizes';

export { DATA_KEY_BYTES, NONCE_BYTES, WRAPPED_KEY_BYTES } from './envelope-sizes';

/** Encrypts a record body: nonce ‖ ciphertext ‖ tag. */
export function sealRecord(dataKey: Uint8Array, nonce: Uint8Array, header: Uint8Array, plaintext: Uint8Array): Uint8Array {
  assert(dataKey.length === DATA_KEY_BYTES && nonce.length === NONCE_BYTES, 'sealRecord key or nonce size');
  return concatBytes(nonce, xchacha20poly1305(dataKey, nonce, header).encrypt(plaintext));
}

/** Decrypts a sealed record body; null when the key, header or any byte is wrong. */
export function openRecord(dataKey: Uint8Array, header: Uint8Array, sealed: Uint8Array): Uint8Array | null {
  if (dataKey.length !== DATA_KEY_BYTES || sealed.length < NONCE_BYTES + 16) return null;
  try {
    return xchacha20poly1305(dataKey, sealed.subarray(0, NONCE_BYTES), header).decrypt(sealed.subarray(NONCE_BYTES));
  } catch {
    return null;
  }
}

function keyEncryptionKey(shared: Uint8Array, ephPublic: Uint8Array, readerPublic: Uint8Array, context: Uint8Array): Uint8Array {
  return hkdf(nobleSha256, shared, concatBytes(ephPublic, readerPublic), concatBytes(utf8('medchain/wrap/v1'), context), 32);
}

/** Each key-encryption key is used once (fresh ephemeral secret), so a fixed nonce is safe. */
const WRAP_NONCE = new Uint8Array(NONCE_BYTES);

/**
 * Wraps `dataKey` to the reader's X25519 public key, bound to `context`
 * (the record id). `ephemeralSecret` must be 32 fresh random bytes.
 */
export function wrapKey(dataKey: Uint8Array, readerPublic: Uint8Array, ephemeralSecret: Uint8Array, context: Uint8Array): Uint8Array {
  assert(dataKey.length === DATA_KEY_BYTES && ephemeralSecret.length === 32, 'wrapKey sizes');
  const ephPublic = x25519.getPublicKey(ephemeralSecret);
  const shared = x25519.getSharedSecret(ephemeralSecret, readerPublic);
  const kek = keyEncryptionKey(shared, ephPublic, readerPublic, context);
  const out = concatBytes(ephPublic, xchacha20poly1305(kek, WRAP_NONCE, context).encrypt(dataKey));
  shared.fill(0);
  kek.fill(0);
  return out;
}

/** Unwraps a data key with the reader's X25519 secret; null when it is not for this reader or record. */
export function unwrapKey(wrapped: Uint8Array, readerSecret: Uint8Array, context: Uint8Array): Uint8Array | null {
  if (wrapped.length !== WRAPPED_KEY_BYTES || readerSecret.length !== 32) return null;
  try {
    const shared = x25519.getSharedSecret(readerSecret, wrapped.subarray(0, 32));
    const key = unwrapWithShared(wrapped, shared, x25519.getPublicKey(readerSecret), context);
    shared.fill(0);
    return key;
  } catch {
    return null;
  }
}

/**
 * The second half of {@link unwrapKey}, for readers whose X25519 secret is a
 * non-extractable WebCrypto key (SPEC §2): they compute the shared secret
 * with the wrap's ephemeral public key (its first 32 bytes) themselves.
 */
export function unwrapWithShared(wrapped: Uint8Array, shared: Uint8Array, readerPublic: Uint8Array, context: Uint8Array): Uint8Array | null {
  if (wrapped.length !== WRAPPED_KEY_BYTES || shared.length !== 32) return null;
  const kek = keyEncryptionKey(shared, wrapped.subarray(0, 32), readerPublic, context);
  try {
    return xchacha20poly1305(kek, WRAP_NONCE, context).decrypt(wrapped.subarray(32));
  } catch {
    return null;
  } finally {
    kek.fill(0);
  }
}
