/**
 * Ed25519 signatures for the core (RFC 8032, strict: canonical encodings,
 * s < L). The core verifies through a {@link SignatureVerifier} so that the
 * browser node can plug in WebCrypto's faster Ed25519 with identical results
 * (SPEC §9, DEVELOPERS.md); the default is @noble/curves, pure and synchronous.
 */
import { ed25519 } from '@noble/curves/ed25519.js';
import { bytesEqual, concatBytes, toHex } from './bytes';
import { sha512 } from '@noble/hashes/sha2.js';

export interface SignatureVerifier {
  /** True when `signature` is `publicKey`'s valid signature of `message`; never throws. */
  verify(signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array): boolean;
}

/** The group order L of Ed25519. */
const L = (1n << 252n) + 27742317777372353535851937790883648493n;

/**
 * Encodings of the eight points of small order (the 8-torsion), which no
 * honest key or nonce point ever is. Implementations disagree on them
 * (OpenSSL's and BoringSSL's verify accept a small-order public key that
 * @noble/curves in strict mode refuses), so they are refused before any
 * engine is asked.
 */
const SMALL_ORDER = new Set([
  '0100000000000000000000000000000000000000000000000000000000000000',
  'ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f',
  '0000000000000000000000000000000000000000000000000000000000000000',
  '0000000000000000000000000000000000000000000000000000000000000080',
  'c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a',
  'c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac03fa',
  '26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05',
  '26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc85',
]);

/** Little-endian value of bytes. */
function le(bytes: Uint8Array): bigint {
  let v = 0n;
  for (let i = bytes.length - 1; i >= 0; i--) v = (v << 8n) | BigInt(bytes[i]!);
  return v;
}

const P = (1n << 255n) - 19n;

/** A point encoding that decodes one way only: y below p, and no sign bit on x = 0 (y = ±1). */
function canonicalPoint(enc: Uint8Array): boolean {
  const y = le(enc) & ((1n << 255n) - 1n);
  const sign = enc[31]! >> 7;
  return y < P && !(sign === 1 && (y === 1n || y === P - 1n));
}

/**
 * The checks every verifier applies before its engine (so WebCrypto and
 * @noble/curves give identical answers): sizes, s below L, canonical
 * encodings of the public key and of R, neither of small order.
 */
export function signaturePrecheck(signature: Uint8Array, publicKey: Uint8Array): boolean {
  if (signature.length !== 64 || publicKey.length !== 32) return false;
  const R = signature.subarray(0, 32);
  if (le(signature.subarray(32)) >= L) return false;
  if (!canonicalPoint(publicKey) || !canonicalPoint(R)) return false;
  return !SMALL_ORDER.has(toHex(publicKey)) && !SMALL_ORDER.has(toHex(R));
}

/**
 * RFC 8032 verification with the cofactorless equation, after the precheck:
 * encode([s]B − [k]A) must equal R's bytes, with k = SHA-512(R ‖ A ‖ M) mod L.
 * This is the equation OpenSSL, BoringSSL (WebCrypto) and libsodium check;
 * @noble/curves' own verify checks the cofactored one, which accepts an R
 * with a small-order component that they refuse. Built from noble's point
 * arithmetic so both engines give identical answers.
 */
export const nobleVerifier: SignatureVerifier = {
  verify(signature, message, publicKey) {
    if (!signaturePrecheck(signature, publicKey)) return false;
    try {
      const A = ed25519.Point.fromBytes(publicKey, false);
      const R = signature.subarray(0, 32);
      const s = le(signature.subarray(32));
      const k = le(sha512(concatBytes(R, publicKey, message))) % L;
      const check = ed25519.Point.BASE.multiplyUnsafe(s).subtract(A.multiplyUnsafe(k));
      return bytesEqual(check.toBytes(), R);
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
