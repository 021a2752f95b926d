/**
 * A bounded memory of the envelopes already accepted (SPEC §6: a hostile
 * relay may replay). Keys are sender ‖ nonce, remembered with their time.
 *
 * Memory stays bounded without opening a hole: entries older than the
 * freshness window are dropped (such envelopes are refused as too old
 * anyway), and when the cache is full the oldest entry is evicted and its
 * time becomes a *floor* — anything dated at or before the floor is refused
 * as a possible replay. Under a flood honest peers' fresh envelopes still
 * pass; only envelopes no newer than the evicted ones are refused.
 */
import { assert } from '../assert';
import { toHex } from '../bytes';

export class ReplayCache {
  /** key → time, in insertion order. */
  private readonly seen = new Map<string, number>();
  private floor = -1;

  constructor(readonly capacity: number) {
    assert(Number.isInteger(capacity) && capacity > 0, 'replay cache capacity must be a positive integer');
  }

  get size(): number {
    return this.seen.size;
  }

  /** True when (from, nonce, time) may be a replay: seen before, or at or below the floor. */
  has(from: Uint8Array, nonce: Uint8Array, time: number): boolean {
    return time <= this.floor || this.seen.has(toHex(from) + toHex(nonce));
  }

  /** Remembers an accepted envelope; forgets those dated before `oldestFresh`, then evicts to capacity. */
  add(from: Uint8Array, nonce: Uint8Array, time: number, oldestFresh: number): void {
    for (const [key, t] of this.seen) {
      if (t >= oldestFresh) break;
      this.seen.delete(key);
    }
    this.seen.set(toHex(from) + toHex(nonce), time);
    while (this.seen.size > this.capacity) {
      const [key, t] = this.seen.entries().next().value!;
      this.seen.delete(key);
      this.floor = Math.max(this.floor, t);
    }
  }
}
