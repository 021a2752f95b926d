/**
 * Several relays (SPEC §6: "a network may list several relays; any one of
 * them introduces peers"), against real relay servers: an envelope goes out
 * through every relay and is handed on once; with one relay stopped, peers
 * still meet through the other, and the stopped one is rejoined when it
 * returns.
 */
import { createHmac } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { RelaySet } from '../../../../src/lib/adapters/net/relay-set';
import { importSigningKey, signWebCrypto } from '../../../../src/lib/adapters/webcrypto-ed25519';
import type { SignedSignal } from '../../../../src/lib/core/signal/envelope';
import { Prng } from '../../../../src/lib/core/prng';
import { nobleVerifier, publicKeyOf } from '../../../../src/lib/core/signature';
import { startRelay, type Relay } from '../../../../src/relay/server';
import type { TurnConfig } from '../../../../src/relay/turn';

const prng = new Prng('relay-set');
const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function relay(port = 0, turn?: TurnConfig): Promise<Relay> {
  const r = await startRelay({ host: '127.0.0.1', port, turn });
  cleanups.push(() => r.close());
  return r;
}

async function member(urls: string[]) {
  const secret = prng.bytes(32);
  const publicKey = publicKeyOf(secret);
  const key = await importSigningKey(secret, publicKey);
  const got: SignedSignal[] = [];
  const set = new RelaySet({
    urls,
    WebSocket,
    networkId: 'net-relays',
    signer: { publicKey, sign: (m) => signWebCrypto(key, m) },
    verifier: nobleVerifier,
    now: Date.now,
    random: () => prng.next(),
    randomBytes: (n) => prng.bytes(n),
    onSignal: (s) => got.push(s),
    backoffBaseMs: 20,
    backoffMaxMs: 200,
  });
  set.start();
  cleanups.push(() => set.stop());
  return { set, key: publicKey, got };
}

const allOpen = (m: { set: RelaySet }) => expect.poll(() => m.set.relays().map((r) => r.state)).toEqual(m.set.urls.map(() => 'open'));

/** Sends until `to` has `count` envelopes: subscriptions may still be in flight just after `open`. */
async function deliver(to: { got: SignedSignal[] }, send: () => Promise<boolean>, count: number): Promise<void> {
  for (let i = 0; i < 100 && to.got.length < count; i++) {
    await send();
    await new Promise((r) => setTimeout(r, 20));
  }
  expect(to.got.length).toBeGreaterThanOrEqual(count);
}

describe('RelaySet', () => {
  it('sends through every relay and hands each envelope on once', async () => {
    const [r1, r2] = await Promise.all([relay(), relay()]);
    const [a, b] = await Promise.all([member([r1.url, r2.url]), member([r1.url, r2.url, r1.url])]);
    expect(b.set.urls).toEqual([r1.url, r2.url]);
    await Promise.all([allOpen(a), allOpen(b)]);
    await deliver(b, () => a.set.send('hello', null, ''), 1);
    // Both relays carried it: the copy through the other relay is a duplicate, not an attack.
    await expect.poll(() => b.set.rejected().DUPLICATE ?? 0).toBe(b.got.length);
    expect(b.got.every((s) => s.kind === 'hello')).toBe(true);
    expect(Object.keys(b.set.rejected())).toEqual(['DUPLICATE']);
  });

  it('keeps peers meeting while one relay is down, and rejoins it when it returns', async () => {
    const [r1, r2] = await Promise.all([relay(), relay()]);
    const port = r1.port;
    const [a, b] = await Promise.all([member([r1.url, r2.url]), member([r1.url, r2.url])]);
    await Promise.all([allOpen(a), allOpen(b)]);
    await r1.close();
    await expect.poll(() => a.set.relays()[0]!.state).not.toBe('open');
    expect(a.set.state).toBe('open');
    await deliver(b, () => a.set.send('hello', null, ''), 1);

    // Only the first relay left: it comes back on the same port and carries envelopes again.
    await r2.close();
    await expect.poll(() => a.set.state).not.toBe('open');
    expect(await a.set.send('hello', null, '')).toBe(false);
    await relay(port);
    await expect.poll(() => [a.set.state, b.set.state]).toEqual(['open', 'open']);
    const before = b.got.length;
    await deliver(b, () => a.set.send('hello', null, ''), before + 1);
  });

  it('asks every relay for TURN credentials: one without TURN does not hide what another offers', async () => {
    const none = await relay();
    const alone = await member([none.url]);
    expect(alone.set.turn()).toEqual({ kind: 'unknown' });
    await expect.poll(() => alone.set.turn()).toEqual({ kind: 'none' });

    const turn = { urls: ['turn:100.64.0.13:3478?transport=udp'], secret: 'shared-with-coturn', ttl: 600 };
    const withTurn = await relay(0, turn);
    const a = await member([none.url, withTurn.url]);
    await expect.poll(() => a.set.turn().kind).toBe('available');
    const t = a.set.turn();
    if (t.kind !== 'available') throw new Error('no credentials');
    expect(t.servers.urls).toEqual(turn.urls);
    expect(t.servers.username).toMatch(new RegExp(`^\\d+:${Buffer.from(a.key).toString('hex')}$`));
    expect(Number(t.servers.username.split(':')[0]) * 1000).toBeGreaterThan(Date.now() + 590_000);
    expect(t.servers.credential).toBe(createHmac('sha1', turn.secret).update(t.servers.username).digest('base64'));
    // The answer of the relay without TURN, arriving later, keeps the credentials.
    await new Promise((r) => setTimeout(r, 100));
    expect(a.set.turn().kind).toBe('available');
  });
});
