/**
 * The in-memory twin of {@link WebRtcTransport} (SPEC §9: adapters sit behind
 * narrow interfaces with an in-memory twin), so the node runtime and the
 * mesh binding are tested in Node. A {@link MemoryHub} is the room and the
 * network at once: started transports announce themselves to each other and
 * every pair gets an ordered, reliable channel unless either side refuses
 * the other. Events are delivered asynchronously (as the browser's are),
 * in order. {@link MemoryHub.cut} fails a channel as a broken network would;
 * it is reopened after `reconnectMs` while both ends are still present.
 */
import { assert } from '../../core/assert';
import type { NodeStatus } from './status';
import { MAX_FRAME_BYTES, type Transport, type TransportHandlers } from './transport';

export interface MemoryHubOptions {
  /** Milliseconds, the clock refusals are measured in. */
  readonly now: () => number;
  /** Runs a callback later, in order (default: a zero-delay timer). */
  readonly schedule?: (fn: () => void) => void;
  /** Calls a callback after a delay (refusals ending, reconnects). */
  readonly setTimeout?: (fn: () => void, ms: number) => unknown;
  /** Delay before a cut channel is reopened (default 50). */
  readonly reconnectMs?: number;
  /**
   * Delivers one frame (default: `schedule`). The simulator passes its seeded
   * network here: a delay per frame, in order per direction, or a cut channel.
   */
  readonly carry?: (from: string, to: string, deliver: () => void) => void;
  /** Whether a channel between `a` and `b` may open now (default: always; the simulator's partitions say no). */
  readonly allows?: (a: string, b: string) => boolean;
}

/** One channel: the same object is held by both ends while open. */
interface Link {
  readonly a: string;
  readonly b: string;
}

export class MemoryHub {
  readonly members = new Map<string, MemoryTransport>();
  private readonly links = new Map<string, Link>();
  readonly schedule: (fn: () => void) => void;
  private readonly later: (fn: () => void, ms: number) => unknown;

  constructor(readonly o: MemoryHubOptions) {
    this.schedule = o.schedule ?? ((fn) => void globalThis.setTimeout(fn, 0));
    this.later = o.setTimeout ?? ((fn, ms) => globalThis.setTimeout(fn, ms));
  }

  /** Whether a channel between `a` and `b` is open. */
  linked(a: string, b: string): boolean {
    return this.links.has(pairKey(a, b));
  }

  /** Whether `link` is still the open channel of its pair. */
  current(link: Link): boolean {
    return this.links.get(pairKey(link.a, link.b)) === link;
  }

  /** Fails the channel between `a` and `b`; both ends hear `close`. */
  cut(a: string, b: string): void {
    const link = this.links.get(pairKey(a, b));
    if (!link) return;
    this.links.delete(pairKey(a, b));
    for (const [x, y] of [
      [a, b],
      [b, a],
    ] as const)
      this.schedule(() => this.members.get(x)?.closed(y, link));
    this.later(() => this.linkAll(), this.o.reconnectMs ?? 50);
  }

  /** Opens a channel for every present pair that is not linked and not refused. */
  linkAll(): void {
    const now = this.o.now();
    const ids = [...this.members.keys()].sort();
    for (let i = 0; i < ids.length; i++)
      for (let j = i + 1; j < ids.length; j++) {
        const [a, b] = [ids[i]!, ids[j]!];
        const ta = this.members.get(a)!;
        const tb = this.members.get(b)!;
        if (this.links.has(pairKey(a, b)) || ta.refuses(b, now) || tb.refuses(a, now) || this.o.allows?.(a, b) === false) continue;
        const link: Link = { a, b };
        this.links.set(pairKey(a, b), link);
        this.schedule(() => ta.opened(b, link));
        this.schedule(() => tb.opened(a, link));
      }
  }

  /** Retries linking when a refusal ends. */
  retryAt(untilMs: number): void {
    this.later(() => this.linkAll(), Math.max(0, untilMs - this.o.now()) + 1);
  }

  /** Carries one frame if the channel is still the one it was sent on. */
  carry(from: string, to: string, data: Uint8Array): boolean {
    const link = this.links.get(pairKey(from, to));
    if (!link) return false;
    const copy = data.slice();
    const deliver = () => this.members.get(to)?.received(from, link, copy);
    if (this.o.carry) this.o.carry(from, to, deliver);
    else this.schedule(deliver);
    return true;
  }
}

const pairKey = (a: string, b: string): string => (a < b ? `${a}|${b}` : `${b}|${a}`);

export class MemoryTransport implements Transport {
  private handlers: TransportHandlers | null = null;
  /** Open channels as this end has heard of them. */
  private readonly channels = new Map<string, Link>();
  private readonly refused = new Map<string, number>();
  /** What this node last announced (a newcomer hears it, as it would a hello answering its own). */
  private status: NodeStatus | null = null;

  constructor(
    private readonly hub: MemoryHub,
    readonly self: string,
  ) {}

  start(handlers: TransportHandlers): void {
    assert(this.handlers === null, 'transport already started');
    this.handlers = handlers;
    this.hub.members.set(this.self, this);
    for (const [id, t] of this.hub.members) {
      const st = t.status;
      if (id !== this.self && st) this.hub.schedule(() => this.handlers?.status(id, st));
    }
    this.hub.linkAll();
  }

  send(peer: string, frame: Uint8Array): boolean {
    assert(frame.length <= MAX_FRAME_BYTES, 'frame above the transport cap');
    return this.channels.has(peer) && this.hub.carry(this.self, peer, frame);
  }

  disconnect(peer: string, refuseUntilMs: number): void {
    this.refused.set(peer, refuseUntilMs);
    this.hub.cut(this.self, peer);
    this.hub.retryAt(refuseUntilMs);
  }

  announce(status: NodeStatus): void {
    this.status = status;
    for (const [id, t] of this.hub.members) if (id !== this.self) this.hub.schedule(() => t.handlers?.status(this.self, status));
  }

  connected(): string[] {
    return [...this.channels.keys()].sort();
  }

  stop(): void {
    if (this.hub.members.get(this.self) !== this) return;
    this.hub.members.delete(this.self);
    for (const [peer, link] of [...this.channels]) {
      this.hub.cut(this.self, peer);
      this.closed(peer, link);
    }
    this.handlers = null;
  }

  /** Whether this end refuses `peer` at `now`. */
  refuses(peer: string, now: number): boolean {
    return (this.refused.get(peer) ?? -Infinity) > now;
  }

  opened(peer: string, link: Link): void {
    if (!this.hub.current(link) || this.channels.has(peer)) return;
    this.channels.set(peer, link);
    this.handlers?.open(peer);
  }

  received(peer: string, link: Link, data: Uint8Array): void {
    if (this.channels.get(peer) === link) this.handlers?.frame(peer, data);
  }

  closed(peer: string, link: Link): void {
    if (this.channels.get(peer) !== link) return;
    this.channels.delete(peer);
    this.handlers?.close(peer);
  }
}
