/**
 * The browser's signalling client against the real relay, with `ws` as its
 * WebSocket and WebCrypto signing keys (SPEC §6): signed envelopes reach
 * their peer; a hostile relay that replays, rewrites, reflects or corrupts
 * them is caught; the client reconnects with backoff after the relay
 * restarts, and abandons a relay that stops answering.
 */
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket, { WebSocketServer } from 'ws';
import { SignallingClient, backoffDelay, type ConnectionState, type SignallingOptions } from '../../../src/lib/adapters/net/signalling-client';
import { importSigningKey, signWebCrypto } from '../../../src/lib/adapters/webcrypto-ed25519';
import { fromBase64, toBase64 } from '../../../src/lib/core/base64';
import { decodeSignal, encodeSignal, type SignedSignal } from '../../../src/lib/core/signal/envelope';
import { Prng } from '../../../src/lib/core/prng';
import { nobleVerifier, publicKeyOf } from '../../../src/lib/core/signature';
import { startRelay, type Relay } from '../../../src/relay/server';

const prng = new Prng('signalling-client');
const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function localRelay(port = 0): Promise<Relay> {
  const r = await startRelay({ host: '127.0.0.1', port });
  cleanups.push(() => r.close());
  return r;
}

interface Peer {
  client: SignallingClient;
  key: Uint8Array;
  got: SignedSignal[];
  states: ConnectionState[];
}

async function peer(url: string, networkId = 'net-1', extra: Partial<SignallingOptions> = {}): Promise<Peer> {
  const secret = prng.bytes(32);
  const publicKey = publicKeyOf(secret);
  const key = await importSigningKey(secret, publicKey);
  const got: SignedSignal[] = [];
  const states: ConnectionState[] = [];
  const client = new SignallingClient({
    url,
    WebSocket,
    networkId,
    signer: { publicKey, sign: (m) => signWebCrypto(key, m) },
    verifier: nobleVerifier,
    now: Date.now,
    random: () => prng.next(),
    randomBytes: (n) => prng.bytes(n),
    onSignal: (s) => got.push(s),
    onState: (s) => states.push(s),
    backoffBaseMs: 20,
    backoffMaxMs: 200,
    ...extra,
  });
  client.start();
  cleanups.push(() => client.stop());
  return { client, key: publicKey, got, states };
}

const opened = (...peers: Peer[]) => Promise.all(peers.map((p) => expect.poll(() => p.client.state).toBe('open')));

/** Sends until delivered: the subscriptions of both ends may still be in flight just after `open`. */
async function deliver(from: Peer, to: Peer, send: () => Promise<boolean>, count = 1): Promise<void> {
  for (let i = 0; i < 100 && to.got.length < count; i++) {
    await send();
    await new Promise((r) => setTimeout(r, 20));
  }
  expect(to.got.length).toBeGreaterThanOrEqual(count);
}

/**
 * A man in the middle: a WebSocket server forwarding to `upstream`. Frames
 * from the relay pass through `down`; with `reflect`, the client's own
 * publishes are also bounced back to it.
 */
async function mitm(upstream: string, down: (text: string) => string[], reflect = false): Promise<string> {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise<void>((r) => wss.once('listening', () => r()));
  cleanups.push(
    () =>
      new Promise<void>((r) => {
        wss.clients.forEach((c) => c.terminate());
        wss.close(() => r());
      }),
  );
  wss.on('connection', (client) => {
    const up = new WebSocket(upstream);
    const early: string[] = [];
    up.on('open', () => early.splice(0).forEach((f) => up.send(f)));
    client.on('message', (d) => {
      const text = d.toString();
      if (up.readyState === WebSocket.OPEN) up.send(text);
      else early.push(text);
      if (reflect && text.includes('"publish"')) client.send(text);
    });
    up.on('message', (d) => down(d.toString()).forEach((f) => client.send(f)));
    client.on('close', () => up.close());
    up.on('close', () => client.close());
  });
  return `ws://127.0.0.1:${(wss.address() as { port: number }).port}`;
}

describe('SignallingClient through the real relay', () => {
  it('delivers signed envelopes to their recipient, within one network only', async () => {
    const relay = await localRelay();
    const [a, b, other] = await Promise.all([peer(relay.url), peer(relay.url), peer(relay.url, 'net-2')]);
    await opened(a, b, other);
    expect(a.states).toEqual(['connecting', 'open']);
    await deliver(a, b, () => a.client.send('hello', null, ''));
    expect(b.got[0]).toMatchObject({ kind: 'hello', from: a.key });
    const sdp = '{"type":"offer","sdp":"v=0 a=fingerprint:sha-256 AA:BB"}';
    await deliver(b, a, () => b.client.send('offer', a.key, sdp));
    expect(a.got[0]).toMatchObject({ kind: 'offer', from: b.key, to: a.key, payload: sdp });
    expect(other.got).toEqual([]);
    expect(a.client.rejected).toEqual({});
  });

  it('catches a relay that replays, rewrites, reflects or corrupts envelopes', async () => {
    const relay = await localRelay();
    const swap = (text: string): string => {
      const m = JSON.parse(text) as { data: string };
      const s = decodeSignal(fromBase64(m.data)!);
      const forged = { ...s, payload: s.payload.replace('AA:BB', 'EE:FF') }; // the attacker's DTLS fingerprint
      return JSON.stringify({ ...m, data: toBase64(encodeSignal(forged)) });
    };
    const url = await mitm(relay.url, (text) =>
      text.includes('"publish"') ? [text, text, swap(text), '{"type":"publish","topic":"x","data":', '{"type":"publish"}'] : [text],
    );
    const [a, b] = await Promise.all([peer(relay.url), peer(url)]);
    await opened(a, b);
    const sdp = '{"type":"answer","sdp":"v=0 a=fingerprint:sha-256 AA:BB"}';
    await deliver(a, b, () => a.client.send('answer', b.key, sdp));
    await expect.poll(() => b.client.rejected.BAD_SIGNATURE).toBe(b.got.length);
    expect(b.got.every((s) => s.payload === sdp)).toBe(true);
    expect(b.client.rejected).toEqual({ REPLAYED: b.got.length, BAD_SIGNATURE: b.got.length, BAD_FRAME: 2 * b.got.length });
  });

  it('refuses its own envelopes reflected back by the relay', async () => {
    const relay = await localRelay();
    const a = await peer(await mitm(relay.url, (t) => [t], true));
    await opened(a);
    expect(await a.client.send('hello', null, '')).toBe(true);
    await expect.poll(() => a.client.rejected.FROM_SELF).toBe(1);
    expect(a.got).toEqual([]);
  });
});

describe('SignallingClient: connection life', () => {
  it('reconnects and rejoins its room after the relay restarts', async () => {
    const first = await startRelay({ host: '127.0.0.1', port: 0 });
    const port = first.port;
    const [a, b] = await Promise.all([peer(first.url), peer(first.url)]);
    await opened(a, b);
    await first.close();
    await Promise.all([a, b].map((p) => expect.poll(() => p.client.state).toBe('waiting')));
    expect(await a.client.send('hello', null, '')).toBe(false);
    await localRelay(port);
    await opened(a, b);
    expect(a.states.slice(0, 3)).toEqual(['connecting', 'open', 'waiting']);
    await deliver(a, b, () => a.client.send('hello', null, ''));
    expect(b.got[0]!.from).toEqual(a.key);
  });

  it('backs off exponentially with jitter, capped, while the relay is down', async () => {
    const gone = await startRelay({ host: '127.0.0.1', port: 0 });
    await gone.close();
    const delays: number[] = [];
    const timers = {
      setTimeout: (fn: () => void, ms: number) => (delays.push(ms), setTimeout(fn, 1)),
      clearTimeout: (h: unknown) => clearTimeout(h as ReturnType<typeof setTimeout>),
    };
    const a = await peer(gone.url, 'net-1', { timers, random: () => 0.5, backoffBaseMs: 100, backoffMaxMs: 1000 });
    await expect.poll(() => delays.length).toBeGreaterThanOrEqual(6);
    a.client.stop();
    expect(delays.slice(0, 6)).toEqual([75, 150, 300, 600, 750, 750]);
    expect(a.client.state).toBe('closed');
  });

  it('abandons a relay that accepts but never answers, and tries again', async () => {
    const mute = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    await new Promise<void>((r) => mute.once('listening', () => r()));
    let connections = 0;
    mute.on('connection', () => connections++);
    cleanups.push(
      () =>
        new Promise<void>((r) => {
          mute.clients.forEach((c) => c.terminate());
          mute.close(() => r());
        }),
    );
    const a = await peer(`ws://127.0.0.1:${(mute.address() as { port: number }).port}`, 'net-1', { pingMs: 30 });
    await expect.poll(() => connections).toBeGreaterThanOrEqual(2);
    expect(a.states.slice(0, 3)).toEqual(['connecting', 'open', 'waiting']);
  });
});

describe('backoffDelay', () => {
  it('doubles from the base, caps at the maximum, and scales by a jitter in [1/2, 1)', () => {
    expect([0, 1, 2, 3, 10, 1000].map((n) => backoffDelay(n, 100, 5000, () => 0))).toEqual([50, 100, 200, 400, 2500, 2500]);
    expect(backoffDelay(2, 100, 5000, () => 0.999)).toBeCloseTo(399.8);
  });
});
