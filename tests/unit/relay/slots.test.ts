/**
 * Relay slots (issue 13, defect 6): one host opening many sockets must not
 * take every slot — a per-address cap refused with 429, counted by TCP peer
 * (or, behind a trusted loopback proxy, by X-Forwarded-For) — and a client
 * must use its slot to keep it: subscribe within the grace, send frames the
 * relay accepts within idleMs; under pressure the longest-idle client makes
 * room. Real relays on 127.0.0.1; other addresses are 127.0.0.2 and
 * 127.0.0.3, bound as the client socket's local address.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type WebSocket from 'ws';
import { DEFAULT_LIMITS, type RelayLimits } from '../../../src/relay/limits';
import type { Relay, RelayOptions } from '../../../src/relay/server';
import { TestClient, relay } from './helpers';

const open: { relay: Relay; clients: TestClient[] }[] = [];
afterEach(async () => {
  for (const o of open.splice(0)) {
    o.clients.forEach((c) => c.close());
    await o.relay.close();
  }
});

/** A relay, and `connect`, which opens a client (kept for cleanup) or returns the refusal's HTTP status. */
async function setup(limits: Partial<RelayLimits> = {}, clock?: { t: number }, extra: Pick<RelayOptions, 'trustProxy'> = {}) {
  const r = await relay(limits, clock, extra);
  const entry = { relay: r.relay, clients: [] as TestClient[] };
  open.push(entry);
  const connect = async (options: WebSocket.ClientOptions = {}): Promise<TestClient | number> => {
    const c = await TestClient.attempt(r.relay.url, options);
    if (c instanceof TestClient) entry.clients.push(c);
    return c;
  };
  /** A client that must get in. */
  const client = async (options: WebSocket.ClientOptions = {}): Promise<TestClient> => {
    const c = await connect(options);
    if (!(c instanceof TestClient)) throw new Error(`refused with ${c}`);
    return c;
  };
  return { ...r, connect, client };
}

const forwardedFor = (xff: string): WebSocket.ClientOptions => ({ headers: { 'X-Forwarded-For': xff } });

describe('relay: clients per address', () => {
  it('refuses an address beyond its share with 429 (PER_ADDRESS) while another address gets in, and frees the share on close', async () => {
    const { relay: r, logs, connect, client } = await setup({ maxClientsPerAddress: 3 });
    const first = [await client(), await client(), await client()];
    expect(await connect()).toBe(429);
    expect(await connect({ localAddress: '127.0.0.1' })).toBe(429);
    expect(await connect({ localAddress: '127.0.0.2' })).toBeInstanceOf(TestClient);
    expect(r.stats().refused).toEqual({ PER_ADDRESS: 2 });
    expect(logs).toContainEqual({ event: 'refused', fields: { code: 'PER_ADDRESS', clients: 3, fromAddress: 3 } });
    expect(JSON.stringify(logs)).not.toContain('127.0.0');
    first[0]!.close();
    await expect.poll(() => r.stats().clients).toBe(3);
    expect(await connect()).toBeInstanceOf(TestClient);
  });

  it('holds the default share (16) when one address opens many sockets at once, so the relay is not full for others', async () => {
    const cap = 16;
    const { relay: r, connect } = await setup({ maxClients: cap + 4 });
    const results = await Promise.all(Array.from({ length: 3 * cap }, () => connect()));
    expect(results.filter((x) => x instanceof TestClient)).toHaveLength(cap);
    expect(results.filter((x) => x === 429)).toHaveLength(2 * cap);
    expect(await connect({ localAddress: '127.0.0.2' })).toBeInstanceOf(TestClient);
    expect(r.stats()).toMatchObject({ clients: cap + 1, refused: { PER_ADDRESS: 2 * cap } });
    expect(DEFAULT_LIMITS.maxClientsPerAddress).toBe(cap);
  });

  it('with trustProxy, counts a client behind a loopback proxy by the last X-Forwarded-For entry', async () => {
    const { relay: r, connect } = await setup({ maxClientsPerAddress: 2 }, undefined, { trustProxy: true });
    expect(await connect(forwardedFor('203.0.113.7'))).toBeInstanceOf(TestClient);
    // Entries before the proxy's own are the client's to write: not read.
    expect(await connect(forwardedFor('198.51.100.9, 203.0.113.7'))).toBeInstanceOf(TestClient);
    expect(await connect(forwardedFor('::ffff:203.0.113.7'))).toBe(429); // the same host, spelt as IPv6
    expect(await connect(forwardedFor('203.0.113.7, 198.51.100.9'))).toBeInstanceOf(TestClient);
    expect(await connect()).toBeInstanceOf(TestClient); // no header: counted as the proxy itself
    expect(r.stats()).toMatchObject({ clients: 4, refused: { PER_ADDRESS: 1 } });
  });

  it('without trustProxy, ignores X-Forwarded-For (clients behind a proxy count as the proxy) and warns once', async () => {
    const { relay: r, logs, connect } = await setup({ maxClientsPerAddress: 2 });
    expect(await connect(forwardedFor('203.0.113.1'))).toBeInstanceOf(TestClient);
    expect(await connect(forwardedFor('203.0.113.2'))).toBeInstanceOf(TestClient);
    expect(await connect(forwardedFor('203.0.113.3'))).toBe(429);
    expect(await connect({ localAddress: '127.0.0.2', ...forwardedFor('203.0.113.1') })).toBeInstanceOf(TestClient);
    expect(r.stats().refused).toEqual({ PER_ADDRESS: 1 });
    expect(logs.filter((l) => l.event === 'warning')).toEqual([{ event: 'warning', fields: { code: 'PROXY_NOT_TRUSTED' } }]);
  });
});

describe('relay: a slot must be used to be kept', () => {
  it('closes a client that subscribes to nothing within the grace (NO_SUBSCRIBE), however often it pings', async () => {
    const clock = { t: 0 };
    const { relay: r, logs, client } = await setup({ heartbeatMs: 20, subscribeGraceMs: 10_000 }, clock);
    const lurker = await client();
    const member = await client();
    member.subscribe('t');
    await Promise.all([lurker.sync(), member.sync()]);
    clock.t = 9_000;
    await Promise.all([lurker.sync(), member.sync()]);
    expect(r.stats().clients).toBe(2);
    clock.t = 10_001;
    expect(await lurker.closeCode()).toBe(1008);
    expect(logs).toContainEqual({ event: 'close', fields: { client: 1, code: 'NO_SUBSCRIBE' } });
    expect(r.stats()).toMatchObject({ clients: 1, closed: { NO_SUBSCRIBE: 1 } });
    expect(await member.sync()).toEqual([]);
  });

  it('gives a client that unsubscribes from every topic the same grace', async () => {
    const clock = { t: 0 };
    const { client } = await setup({ heartbeatMs: 20, subscribeGraceMs: 10_000 }, clock);
    const c = await client();
    c.subscribe('t1', 't2');
    await c.sync();
    clock.t = 5_000;
    c.send({ type: 'unsubscribe', topics: ['t1', 't2'] });
    await c.sync();
    clock.t = 14_000;
    await c.sync();
    clock.t = 15_001;
    expect(await c.closeCode()).toBe(1008);
  });

  it('closes a client that only answers WebSocket pings once idleMs passes (IDLE)', async () => {
    const clock = { t: 0 };
    const { relay: r, client } = await setup({ heartbeatMs: 20, idleMs: 5_000 }, clock);
    const quiet = await client();
    let pings = 0;
    quiet.ws.on('ping', () => pings++); // ws answers each with a pong by itself
    quiet.subscribe('t');
    await quiet.sync();
    clock.t = 4_000;
    await expect.poll(() => pings).toBeGreaterThan(3);
    expect(r.stats().clients).toBe(1);
    clock.t = 5_001;
    expect(await quiet.closeCode()).toBe(1008);
    expect(r.stats().closed).toEqual({ IDLE: 1 });
  });

  it('does not count frames it drops as use: a trickle of bad frames is closed after idleMs', async () => {
    const clock = { t: 0 };
    const { relay: r, client } = await setup({ heartbeatMs: 20, idleMs: 5_000, maxStrikes: 100 }, clock);
    const c = await client();
    c.subscribe('t');
    await c.sync();
    clock.t = 4_000;
    c.send('not json');
    c.send({ type: 'publish', topic: 'not-mine' });
    await expect.poll(() => r.stats().dropped).toEqual({ BAD_JSON: 1, NOT_SUBSCRIBED: 1 });
    clock.t = 5_001;
    expect(await c.closeCode()).toBe(1008);
  });

  it('under pressure, closes the longest-idle clients (1013) to admit newcomers, and refuses 503 once every client is active', async () => {
    const clock = { t: 0 };
    const { relay: r, connect, client } = await setup({ maxClients: 4, pressureIdleMs: 1_000, heartbeatMs: 20 }, clock);
    const [a, b, c, d] = [await client(), await client(), await client(), await client()];
    for (const x of [a, b, c, d]) x.subscribe('t');
    await Promise.all([a, b, c, d].map((x) => x.sync()));
    clock.t = 300;
    await b.sync();
    clock.t = 2_000;
    await Promise.all([c.sync(), d.sync()]);
    clock.t = 2_500; // idle: a 2500 ms, b 2200 ms, c and d 500 ms
    expect(await connect({ localAddress: '127.0.0.2' })).toBeInstanceOf(TestClient);
    expect(await a.closeCode()).toBe(1013);
    expect(await connect({ localAddress: '127.0.0.3' })).toBeInstanceOf(TestClient);
    expect(await b.closeCode()).toBe(1013);
    expect(await connect()).toBe(503);
    expect(r.stats()).toMatchObject({ clients: 4, closed: { PRESSURE: 2 }, refused: { FULL: 1 } });
    expect(await c.sync()).toEqual([]);
  });
});
