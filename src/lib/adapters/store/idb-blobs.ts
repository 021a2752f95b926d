/**
 * The content-addressed blob store in IndexedDB (SPEC §3): the
 * {@link BlobStore} of the core, refusing bytes that do not match their
 * hash on the way in and re-checking them on the way out, so a damaged or
 * altered blob reads as missing (to be fetched again), never as data.
 */
import type { IDBPDatabase } from 'idb';
import { type BlobStore, checkBlob } from '../../core/blobs';
import { toHex } from '../../core/bytes';
import type { BlobRef } from '../../core/payloads';
import { own } from './records';

export const BLOBS = 'blobs';

export class IdbBlobStore implements BlobStore {
  constructor(private readonly db: IDBPDatabase) {}

  async put(ref: BlobRef, bytes: Uint8Array): Promise<{ ok: true } | { ok: false; reason: string }> {
    const why = checkBlob(ref, bytes);
    if (why) return { ok: false, reason: why };
    const tx = this.db.transaction(BLOBS, 'readwrite', { durability: 'strict' });
    await Promise.all([tx.store.put(own(bytes), toHex(ref.hash)), tx.done]);
    return { ok: true };
  }

  async get(ref: BlobRef): Promise<Uint8Array | null> {
    const v: unknown = await this.db.get(BLOBS, toHex(ref.hash));
    return v instanceof Uint8Array && checkBlob(ref, v) === null ? v : null;
  }

  async has(hashHex: string): Promise<boolean> {
    return (await this.db.count(BLOBS, hashHex)) > 0;
  }

  async delete(hashHex: string): Promise<void> {
    await this.db.delete(BLOBS, hashHex);
  }
}
