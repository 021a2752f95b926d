/**
 * A bounded set that forgets its oldest keys (SPEC §5: every limit is
 * explicit). Gossip uses one per peer and kind to remember what a peer
 * already has, so nothing is announced to it twice; forgetting only costs a
 * repeated announcement, never correctness.
 */
export class SeenSet {
  private readonly keys = new Set<string>();

  constructor(private readonly max: number) {}

  get size(): number {
    return this.keys.size;
  }

  has(key: string): boolean {
    return this.keys.has(key);
  }

  /** Adds `key` (refreshing its age); returns false when it was already there. */
  add(key: string): boolean {
    const had = this.keys.delete(key);
    this.keys.add(key);
    if (this.keys.size > this.max) this.keys.delete(this.keys.values().next().value!);
    return !had;
  }

  delete(key: string): void {
    this.keys.delete(key);
  }

  /** Forgets every key. */
  clear(): void {
    this.keys.clear();
  }
}
