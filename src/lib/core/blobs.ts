/**
 * The content-addressed blob store beside the chain (SPEC §3): sealed record
 * bodies, attachments and wrapped keys live here and the block holds only
 * their hash and size. A blob that does not match its hash is refused, so a
 * peer or a damaged disk can never substitute one. Erasure (the right to be
 * forgotten) deletes blobs; the chain keeps only their hashes.
 *
 * {@link BlobStore} is the narrow interface the node's IndexedDB store
 * implements; {@link MemoryBlobStore} is its in-memory twin.
 */
import { bytesEqual, toHex } from './bytes';
import { sha256 } from './hash';
import { MAX_BLOB_BYTES, type BlobRef } from './payloads';

/** The reference of some bytes: their SHA-256 and length. */
export function blobRefOf(bytes: Uint8Array): BlobRef {
  return { hash: sha256(bytes), size: bytes.length };
}

/** Why blob bytes were refused, or null when they are exactly what `ref` names. */
export function checkBlob(ref: BlobRef, bytes: Uint8Array): string | null {
  if (bytes.length > MAX_BLOB_BYTES) return `blob of ${bytes.length} bytes over the limit`;
  if (bytes.length !== ref.size) return `blob is ${bytes.length} bytes, the chain says ${ref.size}`;
  if (!bytesEqual(sha256(bytes), ref.hash)) return 'blob does not match its hash';
  return null;
}

export interface BlobStore {
  /** Stores bytes under their hash; refuses bytes that do not match `ref`. */
  put(ref: BlobRef, bytes: Uint8Array): Promise<{ ok: true } | { ok: false; reason: string }>;
  /** The bytes, re-checked against their hash on the way out (null if missing or damaged). */
  get(ref: BlobRef): Promise<Uint8Array | null>;
  has(hashHex: string): Promise<boolean>;
  delete(hashHex: string): Promise<void>;
}

/** In-memory twin of the node's blob store. */
export class MemoryBlobStore implements BlobStore {
  private readonly blobs = new Map<string, Uint8Array>();

  async put(ref: BlobRef, bytes: Uint8Array): Promise<{ ok: true } | { ok: false; reason: string }> {
    const why = checkBlob(ref, bytes);
    if (why) return { ok: false, reason: why };
    this.blobs.set(toHex(ref.hash), bytes.slice());
    return { ok: true };
  }

  async get(ref: BlobRef): Promise<Uint8Array | null> {
    const bytes = this.blobs.get(toHex(ref.hash));
    return bytes && checkBlob(ref, bytes) === null ? bytes.slice() : null;
  }

  async has(hashHex: string): Promise<boolean> {
    return this.blobs.has(hashHex);
  }

  async delete(hashHex: string): Promise<void> {
    this.blobs.delete(hashHex);
  }

  /** Every stored blob (for tests and scans). */
  all(): Uint8Array[] {
    return [...this.blobs.values()];
  }

  /** Test hook: overwrite stored bytes without checks, to simulate a damaged disk. */
  corrupt(hashHex: string, bytes: Uint8Array): void {
    this.blobs.set(hashHex, bytes);
  }
}
