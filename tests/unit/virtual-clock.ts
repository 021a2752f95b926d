/**
 * One virtual clock for unit tests that compose nodes (issue 14): the
 * node's timers, the in-memory hub's deliveries and the in-memory miner all
 * run on a {@link VirtualTime}, as in the simulator, so a test waits for a
 * condition by moving virtual time, bounded in virtual milliseconds. A slow
 * machine makes such a test slower, never different, and a fast one cannot
 * let it pass by luck: the run is the same every time.
 *
 * Work that answers outside virtual time (WebCrypto on Node's thread pool)
 * is passed through {@link VirtualClock.outside}: the clock does not move
 * until it has settled, so it, too, happens at a fixed virtual instant.
 */
import { MemoryHub, type MemoryHubOptions } from '../../src/lib/adapters/net/memory-transport';
import { type Scope, VirtualTime } from '../../src/lib/sim/virtual-time';

/** How far virtual time moves between two checks of a waited-for condition (ms). */
const CHECK_EVERY_MS = 10;

/** One turn of Node's event loop: every promise that only waits on other promises settles. */
export const settled = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

export class VirtualClock {
  readonly time: VirtualTime;
  /** Work in flight outside virtual time. */
  private readonly pending = new Set<Promise<unknown>>();
  private readonly hubTimers: Scope;

  constructor(startMs: number) {
    this.time = new VirtualTime(startMs, () => this.settle());
    this.hubTimers = this.time.scope();
  }

  /** Virtual milliseconds since 1970 (a node's `now`). */
  readonly now = (): number => this.time.now();

  /** Virtual seconds (transaction and block times). */
  readonly sec = (): number => Math.floor(this.time.now() / 1000);

  /** Timers for one node or driver, cancelled together by `cancelAll`. */
  scope(): Scope {
    return this.time.scope();
  }

  /** An in-memory hub whose deliveries, reconnects and refusals run on this clock. */
  hub(o: Pick<MemoryHubOptions, 'reconnectMs'> = {}): MemoryHub {
    return new MemoryHub({
      ...o,
      now: this.now,
      schedule: (fn) => void this.hubTimers.setTimeout(fn, 0),
      setTimeout: (fn, ms) => this.hubTimers.setTimeout(fn, ms),
    });
  }

  /** Runs `work` (which answers outside virtual time) with the clock held until it settles. */
  outside<T>(work: Promise<T>): Promise<T> {
    this.pending.add(work);
    const forget = () => void this.pending.delete(work);
    work.then(forget, forget);
    return work;
  }

  /** Moves virtual time on by `ms`, running every timer due meanwhile. */
  advance(ms: number): Promise<void> {
    return this.time.advanceTo(this.time.now() + ms);
  }

  /**
   * Moves virtual time until `holds()` is true, checking every
   * {@link CHECK_EVERY_MS}; fails naming `what` once `withinMs` of virtual
   * time went by without it.
   */
  async runUntil(holds: () => boolean | Promise<boolean>, withinMs: number, what: string): Promise<void> {
    const start = this.time.now();
    const end = start + withinMs;
    await this.settle();
    while (!(await holds())) {
      if (this.time.now() >= end) throw new Error(`${what}: not within ${withinMs} ms of virtual time`);
      await this.time.advanceTo(Math.min(end, this.time.now() + CHECK_EVERY_MS));
    }
  }

  /** `work`'s outcome, moving virtual time while it waits on timers (at most `withinMs`). */
  async drive<T>(work: Promise<T>, withinMs: number, what: string): Promise<T> {
    let done = false;
    const finish = () => void (done = true);
    work.then(finish, finish);
    await this.runUntil(() => done, withinMs, what);
    return work;
  }

  /** Lets every promise settle, the outside work too, without moving the clock. */
  private async settle(): Promise<void> {
    await settled();
    while (this.pending.size > 0) {
      await Promise.allSettled([...this.pending]);
      await settled();
    }
  }
}
