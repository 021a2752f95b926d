/**
 * Messages between the page and the key-derivation worker (SPEC §2, §7: the
 * argon2id KDF runs off the page so it never freezes). The page sends the
 * inputs once; the worker answers with progress, then the public keys and
 * the private keys as non-extractable WebCrypto keys. Raw secret bytes stay
 * in the worker, except the X25519 secret where the browser cannot hold
 * X25519 keys (then `boxSecret` carries it and the page keeps it in memory).
 */

export interface DeriveRequest {
  readonly type: 'derive';
  readonly networkId: string;
  /** Checked Aadhaar digits: in memory only, never stored or sent anywhere else. */
  readonly aadhaarDigits: string;
  readonly passphrase: string;
  /**
   * Raw secrets the page needs beyond the non-extractable keys, asked for
   * explicitly: a hospital authority's Ed25519 secret (its node signs votes
   * with it, SPEC §5), the new key's secret for a passphrase change's proof,
   * or the master seed for a recovery kit (SPEC §2). Absent: none.
   */
  readonly reveal?: Reveal;
}

export type Reveal = 'sign-secret' | 'seed';

export type DeriveReply =
  | { readonly type: 'progress'; readonly fraction: number }
  | {
      readonly type: 'done';
      readonly signKey: CryptoKey;
      readonly signPublic: Uint8Array;
      readonly boxKey: CryptoKey | null;
      readonly boxSecret: Uint8Array | null;
      readonly boxPublic: Uint8Array;
      /** The Ed25519 secret, only when `reveal` was 'sign-secret' (the caller wipes it). */
      readonly signSecret: Uint8Array | null;
      /** The argon2id master seed, only when `reveal` was 'seed' (the caller wipes it). */
      readonly seed: Uint8Array | null;
    }
  | { readonly type: 'failed'; readonly code: 'BAD_INPUT' | 'KDF_FAILED' | 'NO_WEBCRYPTO_ED25519' };

/** Is this a well-formed derive request? (The worker trusts nothing it is sent.) */
export function isDeriveRequest(data: unknown): data is DeriveRequest {
  if (typeof data !== 'object' || data === null) return false;
  const d = data as Record<string, unknown>;
  return (
    d.type === 'derive' &&
    typeof d.networkId === 'string' &&
    typeof d.aadhaarDigits === 'string' &&
    typeof d.passphrase === 'string' &&
    (d.reveal === undefined || d.reveal === 'sign-secret' || d.reveal === 'seed')
  );
}
