/**
 * Hash functions of the chain. SHA-256 (SPEC §5) through @noble/hashes, pure
 * JavaScript, identical in Node, browsers and workers.
 */
import { sha256 as nobleSha256 } from '@noble/hashes/sha2.js';
import { concatBytes, utf8 } from './bytes';

/** Length of every hash in the chain (SHA-256). */
export const HASH_BYTES = 32;

/** The all-zero hash: the previous-hash of a genesis block. */
export const ZERO_HASH = new Uint8Array(HASH_BYTES);

/** Plain SHA-256. */
export function sha256(data: Uint8Array): Uint8Array {
  return nobleSha256(data);
}

/**
 * SHA-256 with a domain tag: `sha256(len(tag) ‖ tag ‖ data)`. Different kinds
 * of object (transaction ids, Merkle nodes, files) can then never hash to the
 * same value by being confused for one another.
 */
export function taggedHash(tag: string, ...data: Uint8Array[]): Uint8Array {
  const t = utf8(tag);
  return nobleSha256(concatBytes(new Uint8Array([t.length]), t, ...data));
}

/** A SHA-256 fed piece by piece, for input that never sits in memory whole. */
export interface IncrementalHash {
  update(data: Uint8Array): void;
  digest(): Uint8Array;
}

/**
 * {@link taggedHash} fed piece by piece: the digest equals
 * `taggedHash(tag, ...pieces)`, so a file can be checked as it is read
 * (chain files, issue 13 #7) without holding it whole.
 */
export function taggedHasher(tag: string): IncrementalHash {
  const t = utf8(tag);
  const h = nobleSha256.create();
  h.update(new Uint8Array([t.length])).update(t);
  return {
    update(data) {
      h.update(data);
    },
    digest: () => h.digest(),
  };
}
