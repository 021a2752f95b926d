/**
 * A deterministic in-memory transport for mesh nodes: ordered reliable
 * channels (as data channels are) with seeded per-message latency, a virtual
 * millisecond clock, periodic ticks, and scheduled callbacks (mining, going
 * offline). The same seed gives the same run. It counts what travels, so
 * tests can assert how much was transferred.
 */
import type { NetAction, NetEvent } from '../../../../src/lib/core/net/events';
import { MsgType } from '../../../../src/lib/core/net/messages';
import type { Fault } from '../../../../src/lib/core/net/peer-score';
import { Prng } from '../../../../src/lib/core/prng';
import { NOW } from '../helpers';

/** Anything that takes events and returns actions: a MeshNode, or a scripted peer. */
export interface Endpoint {
  handle(event: NetEvent): NetAction[];
}

interface Queued {
  readonly at: number;
  readonly seq: number;
  readonly run: () => void;
}

export interface Ban {
  readonly by: string;
  readonly peer: string;
  readonly fault: Fault | null;
  readonly banned: boolean;
}

const linkKey = (a: string, b: string): string => (a < b ? `${a}|${b}` : `${b}|${a}`);

export class SimNet {
  now = NOW * 1000;
  private seq = 0;
  private readonly queue: Queued[] = [];
  private readonly endpoints = new Map<string, Endpoint>();
  private readonly open = new Set<string>();
  /** Last delivery time per direction, so a channel stays in order. */
  private readonly lastAt = new Map<string, number>();
  private readonly prng: Prng;
  /** Messages sent, by type, and per (to, type). */
  readonly sent = new Map<number, number>();
  readonly received = new Map<string, Map<number, number>>();
  private readonly pairs = new Map<string, number>();
  readonly disconnects: Ban[] = [];
  frames = 0;
  bytes = 0;

  constructor(
    seed: string,
    private readonly latency: readonly [number, number] = [2, 40],
    private readonly tickMs = 500,
  ) {
    this.prng = new Prng(`sim-net/${seed}`);
  }

  add(id: string, endpoint: Endpoint): void {
    this.endpoints.set(id, endpoint);
  }

  /** Schedules `run` at `at` (ms). */
  at(at: number, run: () => void): void {
    const q = { at, seq: this.seq++, run };
    let i = this.queue.length;
    this.queue.push(q);
    while (i > 0 && (this.queue[i - 1]!.at > at || (this.queue[i - 1]!.at === at && this.queue[i - 1]!.seq > q.seq))) {
      this.queue[i] = this.queue[i - 1]!;
      i--;
    }
    this.queue[i] = q;
  }

  /** Hands an event to an endpoint and carries out its actions. */
  deliver(id: string, event: NetEvent): void {
    const ep = this.endpoints.get(id);
    if (ep) this.perform(id, ep.handle(event));
  }

  /** Carries out actions of endpoint `from`. */
  perform(from: string, actions: readonly NetAction[]): void {
    for (const a of actions) {
      if (a.kind === 'send') this.transmit(from, a.peer, a.msg.type, a.frames);
      else if (a.kind === 'disconnect') {
        this.disconnects.push({ by: from, peer: a.peer, fault: a.fault, banned: a.banned });
        // As a data channel's close, what was already sent is delivered first.
        const peer = a.peer;
        this.at(Math.max(this.now, this.lastAt.get(`${from}>${peer}`) ?? 0) + 1, () => this.cut(from, peer));
      }
    }
  }

  /** Sends raw frames (scripted peers use this too). */
  transmit(from: string, to: string, type: number, frames: readonly Uint8Array[]): void {
    if (!this.open.has(linkKey(from, to))) return;
    this.sent.set(type, (this.sent.get(type) ?? 0) + 1);
    let per = this.received.get(to);
    if (!per) this.received.set(to, (per = new Map()));
    per.set(type, (per.get(type) ?? 0) + 1);
    const pair = `${from}>${to}:${type}`;
    this.pairs.set(pair, (this.pairs.get(pair) ?? 0) + 1);
    const dir = `${from}>${to}`;
    const t = Math.max(this.now + this.prng.int(this.latency[0], this.latency[1]), this.lastAt.get(dir) ?? 0);
    this.lastAt.set(dir, t);
    for (const f of frames) {
      this.frames++;
      this.bytes += f.length;
      this.at(t, () => {
        if (this.open.has(linkKey(from, to))) this.deliver(to, { kind: 'frame', peer: from, data: f, now: this.now });
      });
    }
  }

  connect(a: string, b: string): void {
    const k = linkKey(a, b);
    if (this.open.has(k)) return;
    this.open.add(k);
    this.lastAt.delete(`${a}>${b}`);
    this.lastAt.delete(`${b}>${a}`);
    this.deliver(a, { kind: 'connect', peer: b, now: this.now });
    this.deliver(b, { kind: 'connect', peer: a, now: this.now });
  }

  /** Closes a link; both sides hear of it. */
  cut(a: string, b: string): void {
    const k = linkKey(a, b);
    if (!this.open.delete(k)) return;
    this.deliver(a, { kind: 'disconnect', peer: b, now: this.now });
    this.deliver(b, { kind: 'disconnect', peer: a, now: this.now });
  }

  connected(a: string, b: string): boolean {
    return this.open.has(linkKey(a, b));
  }

  /** Runs events until `done()` holds after one, or the clock passes `maxMs` from now. Returns whether done. */
  run(done: () => boolean, maxMs: number): boolean {
    const end = this.now + maxMs;
    let nextTick = this.now + this.tickMs;
    for (;;) {
      if (done()) return true;
      const head = this.queue[0];
      if (nextTick <= (head?.at ?? Infinity)) {
        if (nextTick > end) return false;
        this.now = nextTick;
        nextTick += this.tickMs;
        for (const id of [...this.endpoints.keys()].sort()) this.deliver(id, { kind: 'tick', now: this.now });
        continue;
      }
      this.queue.shift();
      this.now = Math.max(this.now, head!.at);
      head!.run();
    }
  }

  /** Runs for `ms` of virtual time. */
  runFor(ms: number): void {
    this.run(() => false, ms);
  }

  /** How many messages of `type` went from `from` to `to`. */
  countFrom(from: string, to: string, type: number): number {
    return this.pairs.get(`${from}>${to}:${type}`) ?? 0;
  }

  /** How many messages of `type` went to `to`. */
  count(to: string, type: number): number {
    return this.received.get(to)?.get(type) ?? 0;
  }
}

export { MsgType };
