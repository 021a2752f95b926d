/**
 * The node's blobs (SPEC §3): sealed record bodies, attachments and key
 * blobs, kept in the store beside the chain and exchanged over the mesh.
 * A blob is read from the store, or fetched from peers when a transaction
 * on our chain or in our pool references it (never an arbitrary hash), under
 * a timeout; what arrives was checked against the chain's hash by the mesh
 * and is stored. Peers' requests are answered from the store.
 *
 * Erasure: once an EraseRecord is final, every blob of that record is
 * deleted here and never served again (the mesh already refuses to serve it
 * as soon as the erasure is on our chain or in our pool). Only the hashes
 * stay, in the blocks.
 */
import type { BlobStore } from '../core/blobs';
import { toHex } from '../core/bytes';
import type { ChainState } from '../core/chain';
import type { BlobRef } from '../core/payloads';
import type { BlobAction, MeshDriver } from '../adapters/net/mesh-driver';
import { type Timers, realTimers } from '../adapters/timers';

/** Why a blob could not be had: not referenced here, erased, no peer had it, too slow, or the node stopped. */
export type BlobMissCode = 'UNREFERENCED' | 'ERASED' | 'NOT_FOUND' | 'TIMEOUT' | 'STOPPED';

export type BlobResult = { readonly ok: true; readonly bytes: Uint8Array } | { readonly ok: false; readonly code: BlobMissCode };

type Waiter = (r: BlobResult) => void;

export class NodeBlobs {
  private readonly waiting = new Map<string, Waiter[]>();
  /** Final height through which erasures were carried out (-1: none yet; the first step catches up). */
  private erasedThrough = -1;
  private stopped = false;

  constructor(
    private readonly store: BlobStore,
    private readonly driver: MeshDriver,
    private readonly chain: ChainState,
    private readonly timers: Timers = realTimers,
  ) {}

  /** Stores our own blob (checked against `ref`). */
  put(ref: BlobRef, bytes: Uint8Array): Promise<{ ok: true } | { ok: false; reason: string }> {
    return this.store.put(ref, bytes);
  }

  /** The blob's bytes from the store, or from peers within `timeoutMs`. */
  async get(ref: BlobRef, timeoutMs: number): Promise<BlobResult> {
    if (this.stopped) return { ok: false, code: 'STOPPED' };
    const hash = toHex(ref.hash);
    if (this.driver.mesh.blobs.lookup(hash)?.erased) return { ok: false, code: 'ERASED' };
    const local = await this.store.get(ref);
    if (local) return { ok: true, bytes: local };
    return new Promise<BlobResult>((resolve) => {
      let timer: unknown = null;
      const waiter: Waiter = (r) => {
        if (timer !== null) this.timers.clearTimeout(timer);
        resolve(r);
      };
      // Registered first: with no peer at all the mesh answers `blob-failed` at once.
      this.waiting.set(hash, [...(this.waiting.get(hash) ?? []), waiter]);
      const start = this.driver.fetchBlob(ref);
      if (start !== 'asked') return this.settle(hash, { ok: false, code: start === 'erased' ? 'ERASED' : 'UNREFERENCED' });
      if (!this.waiting.get(hash)?.includes(waiter)) return;
      timer = this.timers.setTimeout(() => {
        const left = (this.waiting.get(hash) ?? []).filter((w) => w !== waiter);
        if (left.length > 0) this.waiting.set(hash, left);
        else {
          this.waiting.delete(hash);
          this.driver.mesh.cancelBlob(hash);
        }
        resolve({ ok: false, code: 'TIMEOUT' });
      }, timeoutMs);
    });
  }

  /** The mesh's blob actions: peers' requests answered from the store, our fetches' outcomes handed to the waiters. */
  onAction(a: BlobAction): void {
    if (this.stopped) return;
    if (a.kind === 'blob-wanted') {
      void this.store.get(a.ref).then(
        (bytes) => !this.stopped && this.driver.serveBlob(a.peer, a.ref, bytes),
        () => !this.stopped && this.driver.serveBlob(a.peer, a.ref, null),
      );
    } else if (a.kind === 'blob-failed') this.settle(a.hash, { ok: false, code: 'NOT_FOUND' });
    else void this.received(a.ref, a.bytes);
  }

  /** Deletes the blobs of records whose erasure became final since the last call. */
  async eraseFinal(): Promise<number> {
    const final = this.chain.finalized.height;
    if (final <= this.erasedThrough) return 0;
    const before = this.erasedThrough;
    const records = this.driver.mesh.blobs.erasedIn(before + 1, final);
    this.erasedThrough = final;
    const hashes = records.flatMap((r) => this.driver.mesh.blobs.blobsOfRecord(r));
    try {
      await Promise.all(hashes.map((h) => this.store.delete(h)));
    } catch {
      // The store failed (closing, quota): tried again on a later step. Serving stays refused meanwhile.
      this.erasedThrough = Math.min(this.erasedThrough, before);
      return 0;
    }
    return hashes.length;
  }

  /** Ends every wait (the node stops). */
  close(): void {
    this.stopped = true;
    for (const hash of [...this.waiting.keys()]) this.settle(hash, { ok: false, code: 'STOPPED' });
  }

  private async received(ref: BlobRef, bytes: Uint8Array): Promise<void> {
    const hash = toHex(ref.hash);
    // Erased while it travelled: handed to nobody and not stored.
    if (this.driver.mesh.blobs.lookup(hash)?.erased) return this.settle(hash, { ok: false, code: 'ERASED' });
    try {
      await this.store.put(ref, bytes);
    } catch {
      // A full disk still lets the waiting caller have the bytes.
    }
    this.settle(hash, { ok: true, bytes });
  }

  private settle(hash: string, r: BlobResult): void {
    const ws = this.waiting.get(hash);
    this.waiting.delete(hash);
    for (const w of ws ?? []) w(r);
  }
}
