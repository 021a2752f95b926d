/**
 * The node's chain-state snapshots (issue 7: start without a full replay).
 *
 * Writing: once the final block has moved {@link SNAPSHOT_EVERY} blocks past
 * the last snapshot (and when the node stops), the state at the final block
 * is encoded and written in its own transaction, only after the final
 * marker it names is on disk — so the stored final block is always at or
 * above the stored snapshot, and a crash between the two leaves an older
 * snapshot that the next start extends by replaying a few more blocks.
 *
 * Checking (after a start from a snapshot, in the background): every stored
 * block is decoded, checked (key, height, root, digest) and its rules
 * replayed from genesis, yielding to the page between slices; the state so
 * rebuilt at the snapshot's final block must encode to the very bytes of the
 * stored snapshot. Blocks that fail are reported through the node's health;
 * a snapshot that differs is reported and deleted (the next start replays).
 */
import type { ChainState } from '../core/chain';
import { bytesEqual } from '../core/bytes';
import type { ChainParams } from '../core/params';
import { encodeSnapshot } from '../core/snapshot';
import { type LoadVerifier, loadChain } from '../adapters/store/load';
import type { ChainStore } from '../adapters/store/types';
import type { StoreHealth } from './types';

/** Final blocks between two snapshots: at most this many blocks are replayed on a start. */
export const SNAPSHOT_EVERY = 64;

type Bad = StoreHealth['bad'][number];

export class Snapshots {
  private written: number;
  private writing: Promise<void> | null = null;
  /** Snapshot writes that failed (quota, a closed database); the next one tries again. */
  failures = 0;

  constructor(
    private readonly store: ChainStore,
    private readonly chain: ChainState,
    /** Height of the snapshot the node started from (-1: none). */
    startedAt: number,
  ) {
    this.written = startedAt;
  }

  /**
   * Writes a snapshot of the final block `final` when it is far enough past
   * the last one (or `force`), provided it is still the chain's final block.
   * Call only once the final marker of `final` is on disk.
   */
  after(final: { key: string; height: number }, force = false): Promise<void> {
    if (this.writing) return this.writing;
    const due = force ? final.height > this.written : final.height - this.written >= SNAPSHOT_EVERY;
    if (!due || this.chain.finalized.key !== final.key) return Promise.resolve();
    // Encoded before the store's transaction opens (nothing else may be awaited inside one).
    const bytes = encodeSnapshot(this.chain.snapshot());
    this.writing = this.store
      .putSnapshot({ final: { key: final.key, height: final.height }, bytes })
      .then(() => void (this.written = final.height))
      .catch(() => void this.failures++)
      .finally(() => (this.writing = null));
    return this.writing;
  }
}

/** The deferred full check of a start from a snapshot: what broke, never a throw. */
export async function checkInBackground(store: ChainStore, params: ChainParams, now: number, verifier: LoadVerifier): Promise<Bad[]> {
  const stored = await store.snapshot();
  if (!stored) return [];
  const r = await loadChain(store, params, { now, verifier, snapshot: false, finalKey: stored.final.key, yieldEvery: 50 });
  const bad: Bad[] = r.bad.map((b) => ({ key: b.key, height: b.height, code: b.code }));
  const final = r.chain?.get(stored.final.key);
  const same = r.chain && final && r.chain.finalized === final && bytesEqual(encodeSnapshot(r.chain.snapshot()), stored.bytes);
  if (!same && bad.length === 0) {
    bad.push({ key: stored.final.key, height: stored.final.height, code: 'SNAPSHOT_MISMATCH' });
    await store.deleteSnapshot();
  }
  return bad;
}
