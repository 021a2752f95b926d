/**
 * Virtual time for the deterministic simulator: the shipped node runs on
 * these timers (adapters/timers.ts), and the simulator moves the clock
 * itself. Callbacks run in the order of their due time, then of their
 * scheduling; after each one every promise it started settles before the
 * next (the in-memory store and transport answer through promises only), so
 * a seed replays the same run and no test waits on the wall clock.
 */
import type { Timers } from '../adapters/timers';

interface Entry {
  at: number;
  seq: number;
  readonly fn: () => void;
  readonly every: number | null;
  /** The owning scope's live entries. */
  readonly live: Set<Entry>;
  cancelled: boolean;
}

/** A node's timers: cancelled together when the node crashes. */
export interface Scope extends Timers {
  cancelAll(): void;
}

/** Lets every pending promise settle (one turn of the platform's event loop). */
export type Settle = () => Promise<void>;

export class VirtualTime {
  private nowMs: number;
  private seq = 0;
  /** Due callbacks, kept sorted by (at, seq). */
  private readonly queue: Entry[] = [];

  constructor(
    startMs: number,
    private readonly settle: Settle,
  ) {
    this.nowMs = startMs;
  }

  /** Milliseconds. */
  now(): number {
    return this.nowMs;
  }

  /** Timers owned by one node. */
  scope(): Scope {
    const entries = new Set<Entry>();
    const scope: Scope = {
      setTimeout: (fn, ms) => this.add(fn, ms, null, entries),
      setInterval: (fn, ms) => this.add(fn, ms, Math.max(1, ms), entries),
      clearTimeout: (h) => this.cancel(h, entries),
      clearInterval: (h) => this.cancel(h, entries),
      cancelAll: () => {
        for (const e of entries) e.cancelled = true;
        entries.clear();
      },
    };
    return scope;
  }

  /** Runs every callback due at or before `untilMs`, then sets the clock there. */
  async advanceTo(untilMs: number): Promise<void> {
    await this.settle();
    for (;;) {
      const next = this.queue[0];
      if (!next || next.at > untilMs) break;
      this.queue.shift();
      if (next.cancelled) continue;
      this.nowMs = Math.max(this.nowMs, next.at);
      if (next.every !== null) {
        // The same entry goes back in: its handle still cancels it.
        next.at += next.every;
        next.seq = this.seq++;
        this.insert(next);
      } else next.live.delete(next);
      next.fn();
      await this.settle();
    }
    this.nowMs = Math.max(this.nowMs, untilMs);
  }

  private add(fn: () => void, ms: number, every: number | null, entries: Set<Entry>): Entry {
    const e: Entry = { at: this.nowMs + Math.max(0, ms), seq: this.seq++, fn, every, live: entries, cancelled: false };
    entries.add(e);
    this.insert(e);
    return e;
  }

  private cancel(handle: unknown, entries: Set<Entry>): void {
    const e = handle as Entry;
    if (!entries.has(e)) return;
    e.cancelled = true;
    entries.delete(e);
  }

  private insert(e: Entry): void {
    let lo = 0;
    let hi = this.queue.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      const q = this.queue[mid]!;
      if (q.at < e.at || (q.at === e.at && q.seq < e.seq)) lo = mid + 1;
      else hi = mid;
    }
    this.queue.splice(lo, 0, e);
  }
}
