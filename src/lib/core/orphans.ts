/**
 * Blocks whose parent is not known yet (SPEC §5: "every limit is explicit:
 * … orphans kept"). They are kept aside, bounded in number and age, and handed
 * back when their parent arrives. Only blocks that passed stage-1 checks (proof
 * of work, signatures) are kept, so garbage cannot fill the pool cheaply.
 */
import type { Block } from './block';

export interface OrphanEntry {
  readonly block: Block;
  readonly hash: Uint8Array;
  readonly key: string;
  readonly parentKey: string;
  readonly size: number;
  /** When it was received (injected clock, seconds). */
  readonly receivedAt: number;
}

export class OrphanPool {
  private readonly byKey = new Map<string, OrphanEntry>();
  private readonly byParent = new Map<string, Set<string>>();

  constructor(
    private readonly max: number,
    private readonly expirySeconds: number,
  ) {}

  get size(): number {
    return this.byKey.size;
  }

  has(key: string): boolean {
    return this.byKey.has(key);
  }

  /**
   * The hash of the block missing below a kept orphan: its oldest kept
   * ancestor's parent (what to ask a peer for; `key` itself when not kept).
   */
  missingBelow(key: string): string {
    let k = key;
    for (let e = this.byKey.get(k); e; e = this.byKey.get(k)) k = e.parentKey;
    return k;
  }

  /** Every kept orphan, oldest first. */
  list(): OrphanEntry[] {
    return [...this.byKey.values()].sort(olderFirst);
  }

  /** Keeps an orphan; when full, the oldest is dropped first. Returns the keys dropped. */
  add(entry: OrphanEntry): string[] {
    if (this.byKey.has(entry.key) || this.max <= 0) return [];
    const dropped: string[] = [];
    while (this.byKey.size >= this.max) {
      const oldest = this.list()[0]!;
      this.remove(oldest.key);
      dropped.push(oldest.key);
    }
    this.byKey.set(entry.key, entry);
    let siblings = this.byParent.get(entry.parentKey);
    if (!siblings) this.byParent.set(entry.parentKey, (siblings = new Set()));
    siblings.add(entry.key);
    return dropped;
  }

  /** Removes and returns the orphans whose parent is `parentKey`, in a deterministic order. */
  takeChildren(parentKey: string): OrphanEntry[] {
    const keys = this.byParent.get(parentKey);
    if (!keys) return [];
    const out = [...keys].map((k) => this.byKey.get(k)!).sort(olderFirst);
    for (const e of out) this.remove(e.key);
    return out;
  }

  /** Drops orphans older than the expiry; returns their keys. */
  expire(now: number): string[] {
    const dropped: string[] = [];
    for (const e of this.list()) {
      if (now - e.receivedAt <= this.expirySeconds) break;
      this.remove(e.key);
      dropped.push(e.key);
    }
    return dropped;
  }

  remove(key: string): void {
    const e = this.byKey.get(key);
    if (!e) return;
    this.byKey.delete(key);
    const siblings = this.byParent.get(e.parentKey);
    siblings?.delete(key);
    if (siblings && siblings.size === 0) this.byParent.delete(e.parentKey);
  }
}

function olderFirst(a: OrphanEntry, b: OrphanEntry): number {
  return a.receivedAt - b.receivedAt || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);
}
