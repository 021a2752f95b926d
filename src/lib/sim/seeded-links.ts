/**
 * The simulator's network between real nodes: each frame on an open channel
 * arrives after a seeded delay, in order per direction (a data channel is
 * ordered and reliable), unless the channel fails on the way (a cut: both
 * ends hear it close, the frames in flight are lost, and the hub reopens it
 * later). Partitions close every channel across them and keep them closed
 * until they heal. A withholding peer's frames go nowhere.
 */
import type { MemoryHub } from '../adapters/net/memory-transport';
import type { Prng } from '../core/prng';
import type { Scope, VirtualTime } from './virtual-time';

/** Chance that a frame's channel fails while faults are on. */
const CUT = 0.004;

export class SeededLinks {
  /** Delays, cuts and partitions happen only while this is on (until the heal). */
  faults = true;
  /** Side of each node while partitioned, by node index. */
  private sides: readonly number[] | null = null;
  /** Nodes whose frames are dropped (Byzantine withholding). */
  readonly silenced = new Set<string>();
  /** When the last frame in each direction arrives (keeps each channel in order). */
  private readonly last = new Map<string, number>();
  hub: MemoryHub | null = null;

  constructor(
    private readonly prng: Prng,
    private readonly time: VirtualTime,
    private readonly timers: Scope,
    private readonly indexOf: (id: string) => number,
  ) {}

  get partitioned(): boolean {
    return this.sides !== null;
  }

  /** Whether a channel between `a` and `b` may open now. */
  allows(a: string, b: string): boolean {
    return this.sides === null || this.sides[this.indexOf(a)] === this.sides[this.indexOf(b)];
  }

  /** One frame from `from` to `to`: delayed, in order, or lost with its channel. */
  carry(from: string, to: string, deliver: () => void): void {
    if (this.silenced.has(from)) return;
    if (this.faults && this.prng.next() < CUT) {
      this.hub?.cut(from, to);
      return;
    }
    const now = this.time.now();
    const delay = this.faults ? this.prng.int(100, 3000) : this.prng.int(50, 1000);
    const dir = `${from}>${to}`;
    const at = Math.max(now + delay, this.last.get(dir) ?? 0);
    this.last.set(dir, at);
    this.timers.setTimeout(deliver, at - now);
  }

  /** Splits the network (`sides[i]` for node i), or heals it (null). */
  partition(sides: readonly number[] | null): void {
    this.sides = sides;
    const hub = this.hub;
    if (!hub) return;
    const ids = [...hub.members.keys()];
    for (const a of ids) for (const b of ids) if (a < b && hub.linked(a, b) && !this.allows(a, b)) hub.cut(a, b);
    if (sides === null) hub.linkAll();
  }
}
