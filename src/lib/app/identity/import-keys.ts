/**
 * Raw key bytes into non-extractable WebCrypto keys (SPEC §9: private keys
 * held as non-extractable WebCrypto keys where the platform allows). Used by
 * the KDF worker and by a recovery-kit login, which derives the keys from
 * the kit's seed in the page. The raw secrets are wiped here once imported;
 * only where the browser has no X25519 does the box secret stay in memory.
 */
import { privateOkpJwk } from '../../adapters/okp-jwk';
import { importSigningKey } from '../../adapters/webcrypto-ed25519';
import { type IdentityKeys, wipe } from '../../core/keys';

/** The X25519 secret as a non-extractable key, or null where WebCrypto has no X25519. */
async function importBoxKey(secret: Uint8Array, publicKey: Uint8Array): Promise<CryptoKey | null> {
  try {
    return await crypto.subtle.importKey('jwk', privateOkpJwk('X25519', secret, publicKey), { name: 'X25519' }, false, ['deriveBits']);
  } catch {
    // This browser's WebCrypto has no X25519: the caller keeps the raw secret instead.
    return null;
  }
}

export interface ImportedKeys {
  readonly signKey: CryptoKey;
  readonly signPublic: Uint8Array;
  readonly boxKey: CryptoKey | null;
  /** The raw X25519 secret only where the browser cannot hold X25519 keys. */
  readonly boxSecret: Uint8Array | null;
  readonly boxPublic: Uint8Array;
}

/** Imports an identity's keys and wipes its raw secrets (the box secret is kept only without WebCrypto X25519); throws when the browser has no Ed25519. */
export async function importIdentity(keys: IdentityKeys): Promise<ImportedKeys> {
  let signKey: CryptoKey;
  try {
    signKey = await importSigningKey(keys.signSecret, keys.signPublic);
  } catch (e) {
    wipe(keys.signSecret, keys.boxSecret);
    throw e;
  }
  wipe(keys.signSecret);
  const boxKey = await importBoxKey(keys.boxSecret, keys.boxPublic);
  if (boxKey) wipe(keys.boxSecret);
  return { signKey, signPublic: keys.signPublic, boxKey, boxSecret: boxKey ? null : keys.boxSecret, boxPublic: keys.boxPublic };
}
