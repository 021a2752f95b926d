/**
 * Ed25519 signatures for the core (RFC 8032, strict: canonical encodings,
 * s < L). The core verifies through a {@link SignatureVerifier} so that the
 * browser node can plug in WebCrypto's faster Ed25519 with identical results
 * (SPEC §9, DEVELOPERS.md); the default is @noble/curves, pure and synchronous.
 */
import { ed25519 } from '@noble/curves/ed25519.js';

export interface SignatureVerifier {
  /** True when `signature` is `publicKey`'s valid signature of `message`; never throws. */
  verify(signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array): boolean;
}

/** RFC 8032 strict verification by @noble/curves (ZIP-215 relaxations off). */
export const nobleVerifier: SignatureVerifier = {
  verify(signature, message, publicKey) {
    try {
      return ed25519.verify(signature, message, publicKey, { zip215: false });
    } catch {
      return false;
    }
  },
};

/** The public key of a 32-byte Ed25519 secret seed. */
export function publicKeyOf(secretKey: Uint8Array): Uint8Array {
  return ed25519.getPublicKey(secretKey);
}

/** Signs `message` with a 32-byte Ed25519 secret seed (deterministic, RFC 8032). */
export function sign(message: Uint8Array, secretKey: Uint8Array): Uint8Array {
  return ed25519.sign(message, secretKey);
}
