/**
 * Keeps the store in step with the chain (SPEC §5 storage, §6 offline
 * writes). After every event the node calls {@link Persister.flush}: the
 * blocks accepted since the last flush, every active block not stored yet,
 * the tip, the final marker and the pending pool's changes go in ONE
 * strict-durability transaction, so a tab closed at any moment reopens to a
 * tip whose blocks are all there, and a transaction written offline is on
 * disk before `submitTx` resolves. Commits run one after another, in order;
 * flushes asked for while one is being written share the next commit, which
 * takes everything accepted by then: a node syncing thousands of blocks
 * writes them in a few large transactions, each ending with the tip that
 * points to its last block (issue 7), not one transaction per block.
 */
import type { BlockNode, ChainState } from '../core/chain';
import { blockRecord, pendingRecord } from '../adapters/store/batch';
import type { BlockMarker, ChainStore, StoreBatch } from '../adapters/store/types';

export class Persister {
  private readonly stored = new Set<string>();
  private readonly pendingStored = new Set<string>();
  private readonly fresh: BlockNode[] = [];
  /** Encodings as received of fresh blocks, by key (until the next batch). */
  private readonly received = new Map<string, Uint8Array>();
  private tip: BlockMarker | null = null;
  private final: BlockMarker | null = null;
  /** Whether a commit is being written. */
  private writing = false;
  /** Flushes waiting for the next commit (asked for while one was being written). */
  private waiting: (() => void)[] = [];
  /** Commits that failed (quota, a closed database); the next flush tries again. */
  failures = 0;

  constructor(
    private readonly store: ChainStore,
    private readonly chain: ChainState,
    storedKeys: Iterable<string>,
    storedPending: Iterable<string>,
  ) {
    for (const k of storedKeys) this.stored.add(k);
    for (const k of storedPending) this.pendingStored.add(k);
  }

  /**
   * A block accepted into the tree (any branch): stored with the next flush.
   * `bytes`: its encoding as received from a peer (equal to encodeBlock's),
   * stored as it is instead of encoding the block again.
   */
  accepted(node: BlockNode, bytes?: Uint8Array): void {
    this.fresh.push(node);
    if (bytes) this.received.set(node.key, bytes);
  }

  /** Forgets that a key is stored (a damaged record that must be written again). */
  forget(key: string): void {
    this.stored.delete(key);
  }

  /**
   * Writes what changed since the last flush; resolves when it is on disk
   * (or its commit failed: {@link failures} counts it and the next flush
   * writes it again). Called while a commit is being written, it waits for
   * that one and shares the next.
   */
  flush(): Promise<void> {
    const done = new Promise<void>((resolve) => this.waiting.push(resolve));
    if (!this.writing) void this.write();
    return done;
  }

  /** Commits until no flush waits; each commit takes every change made before it starts. */
  private async write(): Promise<void> {
    this.writing = true;
    while (this.waiting.length > 0) {
      const waiting = this.waiting.splice(0);
      let batch: StoreBatch | null = null;
      try {
        batch = this.batch();
        if (batch !== null) await this.store.commit(batch);
      } catch {
        this.failures++;
        if (batch !== null) this.rollback(batch);
      }
      for (const resolve of waiting) resolve();
    }
    this.writing = false;
  }

  private batch(): StoreBatch | null {
    const { chain } = this;
    const blocks: BlockNode[] = [];
    const add = (n: BlockNode) => {
      if (!this.stored.has(n.key) && chain.get(n.key) === n) {
        this.stored.add(n.key);
        blocks.push(n);
      }
    };
    for (let n: BlockNode | null = chain.tip; n && !this.stored.has(n.key); n = n.parent) add(n);
    for (const n of this.fresh.splice(0)) add(n);
    blocks.sort((a, b) => a.height - b.height);
    const records = blocks.map((n) => blockRecord(chain, n, this.received.get(n.key)));
    this.received.clear();
    const tip = { key: chain.tip.key, height: chain.tip.height };
    const final = { key: chain.finalized.key, height: chain.finalized.height };
    const now = new Set(chain.pending.list().map((e) => e.key));
    const pendingPut = chain.pending
      .list()
      .filter((e) => !this.pendingStored.has(e.key))
      .map((e) => pendingRecord(e.tx));
    const pendingDelete = [...this.pendingStored].filter((k) => !now.has(k));
    const tipMoved = this.tip?.key !== tip.key;
    const finalMoved = this.final?.key !== final.key;
    if (blocks.length === 0 && !tipMoved && !finalMoved && pendingPut.length === 0 && pendingDelete.length === 0) return null;
    this.tip = tip;
    this.final = final;
    for (const p of pendingPut) this.pendingStored.add(p.key);
    for (const k of pendingDelete) this.pendingStored.delete(k);
    return {
      blocks: records,
      tip,
      final,
      pendingPut,
      pendingDelete,
    };
  }

  /** A failed commit wrote nothing: what it carried is written again by the next flush. */
  private rollback(batch: StoreBatch): void {
    for (const b of batch.blocks ?? []) this.stored.delete(b.key);
    for (const p of batch.pendingPut ?? []) this.pendingStored.delete(p.key);
    for (const k of batch.pendingDelete ?? []) this.pendingStored.add(k);
    this.tip = null;
    this.final = null;
  }
}
