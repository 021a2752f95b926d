/**
 * The pending pool: signed transactions waiting for a block (SPEC §5: a
 * losing block's transactions "go back to the pending pool"). Bounded; the
 * order in which a miner takes transactions is deterministic (time, then id).
 */
import type { Tx } from './tx';

export interface PendingEntry {
  readonly tx: Tx;
  readonly key: string;
  readonly size: number;
}

export class PendingPool {
  private readonly byKey = new Map<string, PendingEntry>();

  constructor(private readonly max: number) {}

  get size(): number {
    return this.byKey.size;
  }

  has(key: string): boolean {
    return this.byKey.has(key);
  }

  get(key: string): PendingEntry | undefined {
    return this.byKey.get(key);
  }

  /** Adds an entry; false when it is already there or the pool is full. */
  add(entry: PendingEntry): boolean {
    if (this.byKey.has(entry.key) || this.byKey.size >= this.max) return false;
    this.byKey.set(entry.key, entry);
    return true;
  }

  remove(key: string): boolean {
    return this.byKey.delete(key);
  }

  /** All entries in mining order: oldest first, ties by id. */
  list(): PendingEntry[] {
    return [...this.byKey.values()].sort((a, b) => a.tx.time - b.tx.time || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }
}
