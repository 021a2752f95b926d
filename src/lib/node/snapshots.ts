/**
 * The node's chain-state snapshots (issue 7: start without a full replay).
 *
 * Writing: once the final block has moved {@link SNAPSHOT_EVERY} blocks past
 * the last snapshot (and when the node stops), the state at the final block
 * is encoded and written in its own transaction, only after the final
 * marker it names is on disk — so the stored final block is always at or
 * above the stored snapshot, and a crash between the two leaves an older
 * snapshot that the next start extends by replaying a few more blocks.
 * Starting from a snapshot, and its deferred check, are the start-up's
 * (start-up.ts, snapshot-start.ts).
 */
import type { ChainState } from '../core/chain';
import { encodeSnapshot } from '../core/snapshot';
import type { ChainStore } from '../adapters/store/types';

/** Final blocks between two snapshots: at most this many blocks are replayed on a start. */
export const SNAPSHOT_EVERY = 64;

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
