/**
 * The transport's shared test suite (SPEC §9: one suite, every adapter): the
 * same cases run in Node against the in-memory twin
 * (tests/unit/adapters/net/memory-transport.test.ts) and in Chromium against
 * WebRTC data channels through the real relay (tests/browser/transport.spec.ts).
 * A case gets a {@link TransportFixture} and throws on failure.
 */
import type { NodeStatus } from '../../src/lib/adapters/net/status';
import { MAX_FRAME_BYTES, type Transport } from '../../src/lib/adapters/net/transport';

export interface TransportFixture {
  /** `n` fresh transports of one network, not started. */
  make(n: number): Promise<Transport[]>;
  /** The transports' clock (ms). */
  now(): number;
  /** Fails the channel from `t` to `peer` as a broken network would. */
  breakLink(t: Transport, peer: string): void;
  /** Cleans up after a case. */
  dispose(): Promise<void>;
}

export interface TransportCase {
  readonly name: string;
  run(fx: TransportFixture): Promise<void>;
}

/** What one transport heard. */
export class Recorder {
  readonly opens = new Map<string, number>();
  readonly closes = new Map<string, number>();
  readonly frames = new Map<string, Uint8Array[]>();
  readonly statuses = new Map<string, NodeStatus>();
  /** Events in order, to check open/close alternate. */
  readonly log: string[] = [];

  constructor(readonly t: Transport) {}

  start(status: NodeStatus = { role: 1, height: 0 }): this {
    const bump = (m: Map<string, number>, p: string) => m.set(p, (m.get(p) ?? 0) + 1);
    this.t.start({
      // A greeting sent at once on open, as the mesh sends its hello: the far end may not have seen its own open yet.
      open: (p) => (bump(this.opens, p), this.log.push(`open ${p}`), this.t.send(p, GREETING)),
      close: (p) => (bump(this.closes, p), this.log.push(`close ${p}`)),
      frame: (p, d) => this.frames.set(p, [...(this.frames.get(p) ?? []), d.slice()]),
      status: (p, s) => this.statuses.set(p, s),
    });
    this.t.announce(status);
    return this;
  }
}

const GREETING = Uint8Array.from([0x42, 0x42]);

function check(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(`check failed: ${message}`);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function waitFor(cond: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for: ${what}`);
    await sleep(20);
  }
}

const fullyConnected = (rs: readonly Recorder[]) => () =>
  rs.every((r) => r.t.connected().length === rs.length - 1 && rs.every((o) => o === r || r.t.connected().includes(o.t.self)));

/** Open/close events alternate per peer, starting with open. */
function alternates(r: Recorder): boolean {
  const state = new Map<string, boolean>();
  for (const e of r.log) {
    const [kind, p] = e.split(' ') as [string, string];
    if ((kind === 'open') === (state.get(p) ?? false)) return false;
    state.set(p, kind === 'open');
  }
  return true;
}

function frame(n: number, size: number): Uint8Array {
  const f = new Uint8Array(size);
  for (let i = 0; i < size; i++) f[i] = (i * 7 + n) & 0xff;
  return f;
}

async function started(fx: TransportFixture, n: number): Promise<Recorder[]> {
  const ts = await fx.make(n);
  return ts.map((t, i) => new Recorder(t).start({ role: 1, height: i }));
}

export const transportCases: TransportCase[] = [
  {
    name: 'every pair opens one channel, seen at both ends; statuses reach the others',
    async run(fx) {
      const rs = await started(fx, 3);
      await waitFor(fullyConnected(rs), 'three transports connected pairwise');
      await waitFor(() => rs.every((r) => r.statuses.size === 2 && r.frames.size === 2), 'statuses and greetings');
      rs.forEach((r, i) =>
        rs.forEach((o, j) => {
          if (i === j) return;
          check(r.opens.get(o.t.self) === 1, `one open for each peer (${r.opens.get(o.t.self)})`);
          check(r.statuses.get(o.t.self)?.height === j, 'status carries the announced height');
          check(r.frames.get(o.t.self)?.[0]?.length === GREETING.length, 'the greeting sent on open arrived first');
        }),
      );
      check(
        rs.every((r) => r.closes.size === 0 && !r.t.connected().includes(r.t.self)),
        'no closes, no channel to itself',
      );
    },
  },
  {
    name: 'frames arrive intact and in order, up to the largest frame; a re-announced status replaces the old one',
    async run(fx) {
      const [a, b] = await started(fx, 2);
      await waitFor(fullyConnected([a!, b!]), 'connected');
      const sent = [1, 100, MAX_FRAME_BYTES, 5000, MAX_FRAME_BYTES - 1, 64 * 1024 + 13].map((size, n) => frame(n, size));
      for (let i = 0; i < 10; i++) sent.push(frame(100 + i, 17));
      for (const f of sent) check(a!.t.send(b!.t.self, f), 'send accepted');
      check(!a!.t.send('00'.repeat(32), frame(0, 10)), 'no channel: send refused');
      await waitFor(() => (b!.frames.get(a!.t.self)?.length ?? 0) >= sent.length + 1, 'all frames');
      const got = b!.frames.get(a!.t.self)!.slice(1);
      check(got.length === sent.length, 'no extra frames');
      got.forEach((g, i) => check(g.length === sent[i]!.length && g.every((x, k) => x === sent[i]![k]), `frame ${i} intact`));
      a!.t.announce({ role: 2, height: 42 });
      await waitFor(() => b!.statuses.get(a!.t.self)?.height === 42, 're-announced status');
      check(b!.statuses.get(a!.t.self)?.role === 2, 'new role');
    },
  },
  {
    name: 'disconnect closes both ends and refuses the peer until the time given, then they reconnect',
    async run(fx) {
      const [a, b, c] = await started(fx, 3);
      await waitFor(fullyConnected([a!, b!, c!]), 'connected');
      const until = fx.now() + 1500;
      a!.t.disconnect(b!.t.self, until);
      await waitFor(() => b!.closes.get(a!.t.self) === 1 && a!.closes.get(b!.t.self) === 1, 'both ends closed');
      check(!a!.t.send(b!.t.self, frame(1, 10)), 'no channel after disconnect');
      await sleep(Math.max(0, until - fx.now() - 300));
      check(!a!.t.connected().includes(b!.t.self) && !b!.t.connected().includes(a!.t.self), 'still refused before the time');
      check(a!.t.connected().includes(c!.t.self) && b!.t.connected().includes(c!.t.self), 'the others stay connected');
      await waitFor(() => a!.t.connected().includes(b!.t.self) && b!.t.connected().includes(a!.t.self), 'reconnected after the time', 30_000);
      check(a!.opens.get(b!.t.self) === 2 && alternates(a!) && alternates(b!), 'open, close, open');
    },
  },
  {
    name: 'a broken channel is reopened while the peer is still announced; stop closes every channel',
    async run(fx) {
      const [a, b, c] = await started(fx, 3);
      await waitFor(fullyConnected([a!, b!, c!]), 'connected');
      fx.breakLink(a!.t, b!.t.self);
      await waitFor(() => (b!.closes.get(a!.t.self) ?? 0) >= 1, 'the far end heard the close');
      await waitFor(fullyConnected([a!, b!, c!]), 'reconnected', 30_000);
      check(alternates(a!) && alternates(b!), 'open and close alternate');
      check(a!.t.send(b!.t.self, frame(9, 99)), 'send on the new channel');
      await waitFor(() => (b!.frames.get(a!.t.self) ?? []).some((f) => f.length === 99), 'frame on the new channel');
      c!.t.stop();
      await waitFor(() => a!.closes.get(c!.t.self) === 1 && b!.closes.get(c!.t.self) === 1, 'the others heard the stop');
      check(c!.t.connected().length === 0, 'a stopped transport has no channels');
    },
  },
];
