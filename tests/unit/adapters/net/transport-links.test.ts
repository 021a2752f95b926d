/**
 * What a node says of its links (SPEC §6), with the real relay and the
 * transport's own logic, and a stand-in for the browser's WebRTC that
 * exchanges a signed offer and answer but never connects — a NAT that
 * blocks every path: each side counts its failed attempts, calls the peer
 * unreachable and itself blocked, and says whether TURN is there. Peer
 * connections get the configured STUN servers plus the TURN credentials
 * the relay handed out.
 */
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { SignalData, SimplePeerConstructor, SimplePeerOptions } from 'simple-peer/simplepeer.min.js';
import { WebRtcTransport } from '../../../../src/lib/adapters/net/webrtc-transport';
import { importSigningKey, signWebCrypto } from '../../../../src/lib/adapters/webcrypto-ed25519';
import { Prng } from '../../../../src/lib/core/prng';
import { nobleVerifier, publicKeyOf } from '../../../../src/lib/core/signature';
import { NodeRole } from '../../../../src/lib/core/net/messages';
import { startRelay } from '../../../../src/relay/server';
import type { TurnConfig } from '../../../../src/relay/turn';

const prng = new Prng('transport-links');
const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const SDP = (kind: string) => `v=0\r\na=fingerprint:sha-256 ${Array.from({ length: 32 }, () => 'AB').join(':')}\r\na=kind:${kind}\r\n`;

/** A peer connection whose offer and answer travel but whose ICE never finds a path; it remembers its configuration. */
function blockedWebRtc(configs: RTCConfiguration[]): SimplePeerConstructor {
  return class {
    readonly connected = false;
    destroyed = false;
    readonly bufferedAmount = 0;
    readonly _pc = null;
    private readonly handlers: Record<string, ((x: never) => void)[]> = {};
    constructor(o: SimplePeerOptions = {}) {
      configs.push(o.config ?? {});
      if (o.initiator) setTimeout(() => this.emit('signal', { type: 'offer', sdp: SDP('offer') }), 0);
    }
    signal(d: SignalData): void {
      if (d.type === 'offer') setTimeout(() => this.emit('signal', { type: 'answer', sdp: SDP('answer') }), 0);
    }
    send(): void {}
    destroy(): void {
      this.destroyed = true;
    }
    on(event: string, fn: (x: never) => void) {
      (this.handlers[event] ??= []).push(fn);
      return this;
    }
    private emit(event: string, x: unknown): void {
      if (!this.destroyed) for (const fn of this.handlers[event] ?? []) fn(x as never);
    }
  } as unknown as SimplePeerConstructor;
}

async function transport(url: string, configs: RTCConfiguration[]): Promise<WebRtcTransport> {
  const secret = prng.bytes(32);
  const publicKey = publicKeyOf(secret);
  const key = await importSigningKey(secret, publicKey);
  const t = new WebRtcTransport({
    signalling: {
      urls: [url],
      WebSocket,
      networkId: 'net-links',
      signer: { publicKey, sign: (m) => signWebCrypto(key, m) },
      verifier: nobleVerifier,
      now: Date.now,
      random: () => prng.next(),
      randomBytes: (n) => prng.bytes(n),
      backoffBaseMs: 20,
      backoffMaxMs: 200,
    },
    SimplePeer: blockedWebRtc(configs),
    iceServers: [{ urls: 'stun:stun.example:3478' }],
    helloMs: 300,
    connectTimeoutMs: 300,
    reconnectBaseMs: 20,
    reconnectMaxMs: 50,
    houseMs: 20,
  });
  t.start({ open: () => {}, frame: () => {}, close: () => {}, status: () => {} });
  t.announce({ role: NodeRole.Member, height: 0 });
  cleanups.push(() => t.stop());
  return t;
}

describe('links of a node whose every path is blocked', () => {
  it('calls the peer unreachable and itself blocked, with no TURN configured', async () => {
    const relay = await startRelay({ host: '127.0.0.1', port: 0 });
    cleanups.push(() => relay.close());
    const configs: RTCConfiguration[] = [];
    const [a, b] = await Promise.all([transport(relay.url, configs), transport(relay.url, configs)]);
    for (const t of [a, b]) {
      await expect.poll(() => t.links().blocked, { timeout: 10_000 }).toBe(true);
      const l = t.links();
      expect(l.turn).toBe('none');
      expect(l.relays).toEqual([{ url: relay.url, state: 'open' }]);
      expect(l.peers).toHaveLength(1);
      expect(l.peers[0]).toMatchObject({ state: 'unreachable', path: null });
      expect(l.peers[0]!.failures).toBeGreaterThanOrEqual(2);
    }
    // Only the configured STUN server: no TURN to offer.
    expect(configs[0]!.iceServers).toEqual([{ urls: 'stun:stun.example:3478' }]);
  }, 30_000); // waits on conditions (polls of up to 10 s each), not on a duration

  it('gives new peer connections the TURN credentials the relay handed out, and says TURN does not relay', async () => {
    const turn: TurnConfig = { urls: ['turn:turn.example:3478?transport=udp'], secret: 'links-secret', ttl: 600 };
    const relay = await startRelay({ host: '127.0.0.1', port: 0, turn });
    cleanups.push(() => relay.close());
    const configs: RTCConfiguration[] = [];
    const [a, b] = await Promise.all([transport(relay.url, configs), transport(relay.url, configs)]);
    for (const t of [a, b]) await expect.poll(() => t.links().turn, { timeout: 10_000 }).toBe('available');
    await expect.poll(() => a.links().blocked && b.links().blocked, { timeout: 10_000 }).toBe(true);
    const withTurn = configs.filter((c) => (c.iceServers ?? []).length === 2);
    expect(withTurn.length).toBeGreaterThan(0);
    const server = withTurn.at(-1)!.iceServers![1]!;
    expect(server.urls).toEqual(turn.urls);
    expect(server.username).toMatch(/^\d+:[0-9a-f]{64}$/);
    expect(typeof server.credential).toBe('string');
  }, 30_000);
});
