/**
 * Keys derived, not stored (SPEC §2): a memory-hard KDF over the passphrase,
 * salted with the network id and the Aadhaar number, then HKDF into separate
 * keys. The same Aadhaar number and passphrase give the same keys on any
 * device, so logging in on a new device needs no file.
 *
 * The KDF is argon2id at OWASP's first recommended setting (m = 46 MiB,
 * t = 1, p = 1). The Aadhaar number is only ever part of the salt, in memory:
 * nothing derived from it alone is returned, stored or sent. Callers wipe
 * the returned secrets when done ({@link wipe}).
 */
import { argon2id } from '@noble/hashes/argon2.js';
import { hkdf } from '@noble/hashes/hkdf.js';
import { sha256 as nobleSha256 } from '@noble/hashes/sha2.js';
import { ed25519, x25519 } from '@noble/curves/ed25519.js';
import { assert } from './assert';
import { utf8 } from './bytes';
import { taggedHash } from './hash';
import { verhoeffValid } from './verhoeff';

/** argon2id cost: OWASP Password Storage Cheat Sheet, first listed configuration. */
export interface KdfParams {
  /** Memory in KiB. */
  readonly m: number;
  /** Passes. */
  readonly t: number;
  /** Lanes. */
  readonly p: number;
}

export const OWASP_ARGON2ID: KdfParams = Object.freeze({ m: 47104, t: 1, p: 1 });

/** The salt: a tagged hash of the network id and the Aadhaar digits (held in memory only). */
function kdfSalt(networkId: string, aadhaarDigits: string): Uint8Array {
  return taggedHash('medchain/kdf-salt/v1', utf8(networkId), new Uint8Array([0]), utf8(aadhaarDigits));
}

/**
 * The 32-byte master seed of an identity. Slow on purpose (the KDF); the
 * passphrase is NFKC-normalised so the same words typed on another keyboard
 * give the same keys. `onProgress` (0 to 1) lets a login screen show how far
 * the KDF is (SPEC §7); it does not change the result.
 */
export function deriveMasterSeed(
  networkId: string,
  aadhaarDigits: string,
  passphrase: string,
  params: KdfParams = OWASP_ARGON2ID,
  onProgress?: (fraction: number) => void,
): Uint8Array {
  assert(/^[2-9][0-9]{11}$/.test(aadhaarDigits) && verhoeffValid(aadhaarDigits), 'deriveMasterSeed needs checked Aadhaar digits');
  return argon2id(utf8(passphrase.normalize('NFKC')), kdfSalt(networkId, aadhaarDigits), {
    t: params.t,
    m: params.m,
    p: params.p,
    dkLen: 32,
    ...(onProgress ? { onProgress } : {}),
  });
}

/** An identity's key pairs: Ed25519 for signing, X25519 for key agreement. */
export interface IdentityKeys {
  readonly signSecret: Uint8Array;
  readonly signPublic: Uint8Array;
  readonly boxSecret: Uint8Array;
  readonly boxPublic: Uint8Array;
}

/** HKDF-SHA256 of the master seed into independent keys (RFC 5869). */
export function deriveKeys(seed: Uint8Array): IdentityKeys {
  assert(seed.length === 32, 'seed must be 32 bytes');
  const salt = utf8('medchain/keys/v1');
  const signSecret = hkdf(nobleSha256, seed, salt, utf8('ed25519 signing key'), 32);
  const boxSecret = hkdf(nobleSha256, seed, salt, utf8('x25519 key agreement key'), 32);
  return {
    signSecret,
    signPublic: ed25519.getPublicKey(signSecret),
    boxSecret,
    boxPublic: x25519.getPublicKey(boxSecret),
  };
}

/** Overwrites secret bytes with zeros (what JavaScript allows of wiping). */
export function wipe(...secrets: Uint8Array[]): void {
  for (const s of secrets) s.fill(0);
}
