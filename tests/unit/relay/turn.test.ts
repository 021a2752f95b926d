/**
 * TURN credentials from the relay (SPEC §6: coturn "with short-lived
 * credentials that a relay hands out"), with real ws clients on 127.0.0.1:
 * a subscribed node that signs a request for this relay gets coturn's
 * `use-auth-secret` credentials, alone; forged, stale, misdirected,
 * unsubscribed, host-less and too frequent requests get nothing and are
 * counted under their codes; a relay without TURN says so; the secret
 * appears in no log line.
 */
import { createHmac } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { toHex } from '../../../src/lib/core/bytes';
import { readTurnAnswer, TURN_REQUEST_SKEW_MS } from '../../../src/lib/core/signal/turn-request';
import { Hub } from '../../../src/relay/hub';
import { DEFAULT_LIMITS } from '../../../src/relay/limits';
import { startRelay, type Relay } from '../../../src/relay/server';
import { turnSecretFromText, type TurnConfig } from '../../../src/relay/turn';
import { TestClient, nodeKey, relay, turnRequest, type LogLine } from './helpers';

const TOPIC = 'ab'.repeat(32);
const OTHER_TOPIC = 'cd'.repeat(32);
const SECRET = 'SECRET-shared-with-coturn';
const TURN: TurnConfig = { urls: ['turn:turn.example:3478', 'turns:turn.example:5349?transport=tcp'], secret: SECRET, ttl: 3600 };

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** A relay (with `turn`, or none) on a test clock, and `n` clients subscribed to TOPIC. */
async function setup(turn: TurnConfig | undefined, n = 2, clock = { t: 1_800_000_000_000 }) {
  const { relay: r, logs } = await relay({ maxStrikes: 100 }, clock, turn ? { turn } : {});
  cleanups.push(() => r.close());
  const clients = await Promise.all(Array.from({ length: n }, () => TestClient.open(r.url)));
  cleanups.push(() => clients.forEach((c) => c.close()));
  for (const c of clients) c.subscribe(TOPIC);
  await Promise.all(clients.map((c) => c.sync()));
  return { relay: r, logs, clients, clock, host: new URL(r.url).host };
}

const coturnCredential = (secret: string, username: string) => createHmac('sha1', secret).update(username).digest('base64');

describe('relay: TURN credentials', () => {
  it('answers a subscribed node’s signed request, and only that node, with coturn REST credentials', async () => {
    const { relay: r, logs, clients, clock, host } = await setup(TURN);
    const [a, b] = clients as [TestClient, TestClient];
    const node = nodeKey(7);
    a.send(turnRequest(node, host, TOPIC, clock.t));
    const [answer] = await a.sync();
    const m = JSON.parse(answer!) as Record<string, unknown>;
    const expiry = Math.floor(clock.t / 1000) + TURN.ttl;
    expect(m).toEqual({
      type: 'turn',
      urls: TURN.urls,
      username: `${expiry}:${toHex(node.key)}`,
      credential: coturnCredential(SECRET, `${expiry}:${toHex(node.key)}`),
      ttl: TURN.ttl,
    });
    expect(m.username).toMatch(/^\d+:[0-9a-f]{64}$/);
    expect(readTurnAnswer(m)).not.toBeNull(); // a node accepts it
    expect(await b.sync()).toEqual([]);
    expect(r.stats().turnAnswered).toBe(1);
    expect(r.stats().dropped).toEqual({});
    expect(JSON.stringify(logs)).not.toContain('SECRET');
    expect(logs).toContainEqual({ event: 'turn', fields: { client: 1, urls: 2 } });
  });

  it('refuses a forged, stale, misdirected, unsubscribed or malformed request: no answer, counted under its code', async () => {
    const { relay: r, clients, clock, host } = await setup(TURN, 1);
    const a = clients[0]!;
    const node = nodeKey(8);
    const forged = JSON.parse(turnRequest(node, host, TOPIC, clock.t)) as Record<string, string>;
    forged.sig = (forged.sig![0] === '0' ? '1' : '0') + forged.sig!.slice(1);
    a.send(forged);
    a.send(turnRequest(node, host, TOPIC, clock.t - TURN_REQUEST_SKEW_MS - 1000));
    a.send(turnRequest(node, 'other-relay.example', TOPIC, clock.t));
    a.send(turnRequest(node, host, OTHER_TOPIC, clock.t));
    a.send({ type: 'turn', key: toHex(node.key) });
    expect(await a.sync()).toEqual([]);
    expect(r.stats().dropped).toEqual({ BAD_SIGNATURE: 2, STALE: 1, NOT_SUBSCRIBED: 1, BAD_REQUEST: 1 });
    expect(r.stats().turnAnswered).toBe(0);
  });

  it('answers at most 5 requests at once per client, then one per 10 s (TURN_RATE)', async () => {
    const { relay: r, clients, clock, host } = await setup(TURN, 1);
    const a = clients[0]!;
    const node = nodeKey(9);
    for (let i = 0; i < 6; i++) a.send(turnRequest(node, host, TOPIC, clock.t));
    expect(await a.sync()).toHaveLength(5);
    expect(r.stats().dropped).toEqual({ TURN_RATE: 1 });
    clock.t += 10_000;
    a.send(turnRequest(node, host, TOPIC, clock.t));
    a.send(turnRequest(node, host, TOPIC, clock.t));
    expect(await a.sync()).toHaveLength(1);
    expect(r.stats().dropped).toEqual({ TURN_RATE: 2 });
  });

  it('without TURN, answers a valid request with no servers and still refuses invalid ones', async () => {
    const { relay: r, clients, clock, host } = await setup(undefined, 1);
    const a = clients[0]!;
    const node = nodeKey(10);
    a.send(turnRequest(node, host, TOPIC, clock.t));
    const answer = await a.sync();
    expect(answer).toEqual(['{"type":"turn","urls":[]}']);
    expect(readTurnAnswer(JSON.parse(answer[0]!) as Record<string, unknown>)).toBe('none');
    a.send(turnRequest(node, 'elsewhere', TOPIC, clock.t));
    expect(await a.sync()).toEqual([]);
    expect(r.stats().dropped).toEqual({ BAD_SIGNATURE: 1 });
  });
});

describe('relay: TURN request host', () => {
  /** A hub client whose frames are captured; `host` as the upgrade request's header. */
  function hubClient(host: string | null) {
    const logs: LogLine[] = [];
    const hub = new Hub(DEFAULT_LIMITS, (event, fields) => logs.push({ event, fields }), TURN);
    const sent: string[] = [];
    const client = hub.join({ sendText: (t) => sent.push(t.toString()), close: () => {}, bufferedAmount: 0 }, 1000, host);
    hub.receive(client, Buffer.from(JSON.stringify({ type: 'subscribe', topics: [TOPIC] })), false, 1000);
    return { hub, client, sent };
  }

  it('refuses a request on a connection without a Host header (BAD_REQUEST)', () => {
    const { hub, client, sent } = hubClient(null);
    hub.receive(client, Buffer.from(turnRequest(nodeKey(11), '', TOPIC, 1000)), false, 1000);
    hub.receive(client, Buffer.from(turnRequest(nodeKey(11), 'relay.example', TOPIC, 1000)), false, 1000);
    expect(sent).toEqual([]);
    expect(hub.stats().dropped).toEqual({ BAD_REQUEST: 2 });
  });

  it('compares hosts case-insensitively, as browsers may send either', () => {
    const { hub, client, sent } = hubClient('Relay.Example:8443');
    hub.receive(client, Buffer.from(turnRequest(nodeKey(12), 'relay.example:8443', TOPIC, 1000)), false, 1000);
    expect(sent).toHaveLength(1);
    expect(JSON.parse(sent[0]!)).toMatchObject({ type: 'turn', urls: TURN.urls });
  });
});

describe('relay: TURN configuration', () => {
  it('refuses, before listening, URLs nodes would not use, an empty secret, or a ttl out of bounds', async () => {
    const start = (turn: TurnConfig): Promise<Relay> => startRelay({ host: '127.0.0.1', port: 0, turn });
    await expect(start({ ...TURN, urls: ['stun:stun.example'] })).rejects.toThrow('must start with turn: or turns:');
    await expect(start({ ...TURN, urls: ['turn:has space'] })).rejects.toThrow('not a URL nodes accept');
    await expect(start({ ...TURN, urls: [] })).rejects.toThrow('at least one');
    await expect(start({ ...TURN, urls: Array.from({ length: 9 }, (_, i) => `turn:t${i}.example`) })).rejects.toThrow('at most 8');
    await expect(start({ ...TURN, secret: '' })).rejects.toThrow('secret is empty');
    await expect(start({ ...TURN, ttl: 59 })).rejects.toThrow('ttl');
    await expect(start({ ...TURN, ttl: 604_801 })).rejects.toThrow('ttl');
  });

  it('reads the secret as the first line of its file, trimmed, and refuses an empty one', () => {
    expect(turnSecretFromText('  s3cret \r\nsecond line\n')).toBe('s3cret');
    expect(turnSecretFromText('s3cret')).toBe('s3cret');
    expect(turnSecretFromText('')).toBeNull();
    expect(turnSecretFromText(' \n')).toBeNull();
  });
});
