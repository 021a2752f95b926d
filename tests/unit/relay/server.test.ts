/**
 * The relay (SPEC §6) with real ws clients on 127.0.0.1: y-webrtc's
 * signalling protocol, and its guards against malformed, oversized, binary
 * and unknown frames, floods, topic hoarding, too many clients and silent
 * clients — each without disturbing anyone else.
 */
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { TestClient, relay, type LogLine } from './helpers';
import type { Relay } from '../../../src/relay/server';

const open: { relay: Relay; clients: TestClient[] }[] = [];
afterEach(async () => {
  for (const o of open.splice(0)) {
    o.clients.forEach((c) => c.close());
    await o.relay.close();
  }
});

async function setup(limits = {}, clock?: { t: number }, n = 3) {
  const r = await relay(limits, clock);
  const clients = await Promise.all(Array.from({ length: n }, () => TestClient.open(r.relay.url)));
  open.push({ relay: r.relay, clients });
  return { ...r, clients };
}

const publish = (topic: string, data: unknown) => JSON.stringify({ type: 'publish', topic, data });

/** `from` publishes a marker on `topic`; resolves with what `to` received before it (the marker removed). */
async function receivedBefore(from: TestClient, to: TestClient, topic: string): Promise<string[]> {
  const marker = publish(topic, `marker-${Math.random()}`);
  from.send(marker);
  for (;;) {
    const at = to.received.indexOf(marker);
    if (at >= 0) return to.received.splice(0, at + 1).slice(0, at);
    await to.until(to.received.length + 1);
  }
}

describe('relay: y-webrtc signalling protocol', () => {
  it('forwards a publish unchanged to every other subscriber of its topic, not to the sender', async () => {
    const { clients } = await setup({}, undefined, 4);
    const [a, b, c, d] = clients as [TestClient, TestClient, TestClient, TestClient];
    a.subscribe('room-1');
    b.subscribe('room-1', 'room-2');
    c.subscribe('room-1');
    d.subscribe('room-2');
    await Promise.all([a, b, c, d].map((x) => x.sync()));
    const frame = '{"type":"publish","topic":"room-1","data":{"type":"announce","from":"p1"},"x":[1,2]}';
    a.send(frame);
    expect(await b.until(1)).toEqual([frame]);
    expect(await c.until(1)).toEqual([frame]);
    expect(await a.sync()).toEqual([]);
    expect(await receivedBefore(b, d, 'room-2')).toEqual([]);
  });

  it('stops forwarding after unsubscribe, and drops a publish to a topic the sender has not joined', async () => {
    const { clients, relay: r } = await setup();
    const [a, b, c] = clients as [TestClient, TestClient, TestClient];
    for (const x of clients) x.subscribe('t');
    await Promise.all(clients.map((x) => x.sync()));
    b.send({ type: 'unsubscribe', topics: ['t'] });
    await b.sync();
    a.send(publish('t', 'after'));
    expect(await receivedBefore(a, c, 't')).toEqual([publish('t', 'after')]);
    expect(await b.sync()).toEqual([]);
    b.send(publish('t', 'not a member'));
    await b.sync();
    expect(await receivedBefore(a, c, 't')).toEqual([]);
    expect(r.stats().dropped.NOT_SUBSCRIBED).toBe(1);
  });

  it('answers ping with pong', async () => {
    const { clients } = await setup({}, undefined, 1);
    clients[0]!.send('{"type":"ping"}');
    expect(await clients[0]!.until(1)).toEqual(['{"type":"pong"}']);
  });
});

describe('relay: hostile clients', () => {
  it('drops malformed, non-object, unknown, binary, oversized and badly-topicked frames; the sender and others carry on', async () => {
    const { clients, relay: r } = await setup({ maxFrameBytes: 1024, maxTopicChars: 16, maxStrikes: 100 });
    const [a, b, c] = clients as [TestClient, TestClient, TestClient];
    for (const x of clients) x.subscribe('t');
    await Promise.all(clients.map((x) => x.sync()));
    const bad: (string | Buffer)[] = [
      '{"type":"publish","topic":"t"',
      '[1,2]',
      '"publish"',
      'null',
      '{"type":"shout","topic":"t"}',
      '{"topic":"t"}',
      Buffer.from(publish('t', 'binary')),
      publish('t', 'x'.repeat(2000)),
      publish('t'.repeat(17), 'long topic'),
      '{"type":"subscribe","topics":"t"}',
      '{"type":"subscribe","topics":[""]}',
      '{"type":"publish","topic":5}',
    ];
    for (const f of bad) a.send(f);
    expect(await a.sync()).toEqual([]);
    expect(await receivedBefore(a, b, 't')).toEqual([]);
    expect(await receivedBefore(c, b, 't')).toEqual([]);
    expect(r.stats().dropped).toEqual({ BAD_JSON: 1, NOT_OBJECT: 3, UNKNOWN_TYPE: 2, BINARY: 1, OVERSIZE: 1, BAD_TOPIC: 4 });
    a.send(publish('t', 'still works'));
    expect(await receivedBefore(c, b, 't')).toEqual([publish('t', 'still works')]);
  });

  it('closes a client that keeps sending bad frames (1008), and only that client', async () => {
    const { clients, relay: r, logs } = await setup({ maxStrikes: 5 });
    const [a, b, c] = clients as [TestClient, TestClient, TestClient];
    b.subscribe('t');
    c.subscribe('t');
    await Promise.all([b.sync(), c.sync()]);
    for (let i = 0; i < 4; i++) a.send('garbage');
    expect(await a.sync()).toEqual([]);
    a.send('garbage');
    expect((await a.closed).code).toBe(1008);
    expect(logs).toContainEqual({ event: 'close', fields: { client: 1, code: 'STRIKES' } });
    c.send(publish('t', 'fine'));
    expect(await b.until(1)).toEqual([publish('t', 'fine')]);
    expect(r.stats().clients).toBe(2);
  });

  it('caps each client at its rate (token bucket): the burst passes, the excess is dropped', async () => {
    const clock = { t: 1_000_000 };
    const { clients, relay: r } = await setup({ ratePerSecond: 2, burst: 5, maxStrikes: 100 }, clock, 2);
    const [a, b] = clients as [TestClient, TestClient];
    a.subscribe('t');
    b.subscribe('t');
    await Promise.all([a.sync(), b.sync()]);
    for (let i = 0; i < 8; i++) a.send(publish('t', i)); // 2 tokens were spent above: 3 pass
    await expect.poll(() => r.stats().dropped.RATE).toBe(5);
    clock.t += 1000; // two tokens back
    a.send(publish('t', 'later'));
    expect(await receivedBefore(a, b, 't')).toEqual([0, 1, 2, 'later'].map((d) => publish('t', d)));
  });

  it('caps the topics a client may hold; a refused subscribe adds none of its topics', async () => {
    const { clients, relay: r } = await setup({ maxTopicsPerClient: 3 }, undefined, 2);
    const [a, b] = clients as [TestClient, TestClient];
    a.subscribe('t1', 't2');
    a.subscribe('t2', 't3');
    a.subscribe('t4', 't5');
    a.subscribe('t1', 't2', 't3', 't4');
    await a.sync();
    expect(r.stats().dropped.TOO_MANY_TOPICS).toBe(2);
    expect(r.stats().topics).toBe(3);
    b.subscribe('t3', 't4');
    await b.sync();
    b.send(publish('t4', 'to t4'));
    b.send(publish('t3', 'to t3'));
    expect(await a.until(1)).toEqual([publish('t3', 'to t3')]);
  });

  it('refuses connections beyond the client cap with 503, and closes a frame above the hard cap with 1009', async () => {
    const { relay: r } = await setup({ maxClients: 2, hardMaxFrameBytes: 4096 }, undefined, 2);
    const status = await new Promise<number>((resolve) => {
      const ws = new WebSocket(r.url);
      ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
      ws.on('error', () => resolve(-1));
    });
    expect(status).toBe(503);
    const giant = open[0]!.clients[0]!;
    giant.send('x'.repeat(5000));
    expect((await giant.closed).code).toBe(1009);
  });

  it('terminates a client that stops answering heartbeat pings', async () => {
    const { relay: r } = await setup({ heartbeatMs: 100 }, undefined, 1);
    const silent = await TestClient.open(r.url, { autoPong: false });
    open[0]!.clients.push(silent);
    expect((await silent.closed).code).toBe(1006);
    expect(r.stats().clients).toBe(1); // the client that answers pings stays
  });

  it('closes a client that sends nothing for the idle time', async () => {
    const clock = { t: 0 };
    const { clients, logs } = await setup({ heartbeatMs: 20, idleMs: 5000 }, clock, 2);
    await clients[1]!.sync();
    clock.t = 4000;
    await clients[1]!.sync();
    clock.t = 6000;
    expect((await clients[0]!.closed).code).toBe(1008);
    expect(logs.filter((l) => l.fields.code === 'IDLE')).toEqual([{ event: 'close', fields: { client: 1, code: 'IDLE' } }]);
  });
});

describe('relay: logs carry no payloads', () => {
  it('logs events, codes and counts only — never topics or frame contents', async () => {
    const { clients, logs } = await setup({ maxStrikes: 3 });
    const [a, b, c] = clients as [TestClient, TestClient, TestClient];
    const secret = 'SECRET-sdp-a=fingerprint:sha-256 12:34';
    const topic = 'TOPIC-opaque-room-name';
    a.subscribe(topic);
    b.subscribe(topic);
    await Promise.all([a.sync(), b.sync()]);
    a.send(publish(topic, secret));
    await b.until(1);
    c.send(`{"type":"${secret}"}`);
    c.send(secret);
    c.send(Buffer.from(secret));
    await c.closed;
    a.close();
    await expect.poll(() => logs.some((l) => l.event === 'disconnect' && l.fields.client === 1)).toBe(true);
    const text = JSON.stringify(logs);
    expect(text).not.toContain('SECRET');
    expect(text).not.toContain('TOPIC');
    const allowed = /^(connect|disconnect|drop|close|listening|closed|refused)$/;
    for (const l of logs as LogLine[]) {
      expect(l.event).toMatch(allowed);
      for (const v of Object.values(l.fields)) expect(typeof v === 'number' || /^[A-Z_]+$/.test(v)).toBe(true);
    }
    expect(logs.filter((l) => l.event === 'drop').map((l) => l.fields.code)).toEqual(['UNKNOWN_TYPE', 'BAD_JSON', 'BINARY']);
  });
});
