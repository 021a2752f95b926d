/**
 * A hospital's data key (SPEC §2, §3): the X25519 pair records for the
 * hospital are wrapped to, rotated whenever a staff member is removed. The
 * authority never stores it: the secret of epoch n is HKDF of the
 * authority's own deterministic Ed25519 signature over a domain-separated
 * message, so it can be derived again on any device from the same login,
 * also where the signing key is a non-extractable WebCrypto key. That
 * signature is never published (no transaction signs that message).
 */
import { x25519 } from '@noble/curves/ed25519.js';
import { hkdf } from '@noble/hashes/hkdf.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { utf8 } from '../../core/bytes';
import type { Signer } from './sign';

export interface DataKeyPair {
  readonly secret: Uint8Array;
  readonly publicKey: Uint8Array;
}

const TAG = 'medchain/hospital-data-key/v1';

/** The hospital's data key pair of `epoch` (0 at joining, +1 per staff removal). */
export async function hospitalDataKey(authority: Signer, epoch: number): Promise<DataKeyPair> {
  const message = utf8(`${TAG}/${epoch}`);
  const signature = await authority.sign(message);
  const secret = hkdf(sha256, signature, utf8(TAG), utf8('x25519 data key'), 32);
  signature.fill(0);
  return { secret, publicKey: x25519.getPublicKey(secret) };
}
