/**
 * Fuzzing the relay (issue 13), which parses strangers' frames: its frame
 * parser alone, and a real relay on 127.0.0.1 fed hundreds of arbitrary and
 * mutated text and binary frames over one socket.
 *
 * Budgets:
 * - parseFrame never throws (a coded drop), and a frame it accepts keeps
 *   no more than its text (topics deduplicated, each within the limit);
 * - the relay never fails: after the flood (strikes and rate limit off, so
 *   every frame reaches the parser and the hub) it still answers the
 *   flooding client's ping, has counted the bad frames as coded drops, and
 *   a newcomer and a good client still exchange publishes both ways;
 * - CPU: JSON.parse once per frame, under the relay's frame size cap and
 *   rate limit (not counted here; limits.test.ts and server.test.ts).
 */
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS } from '../../../src/relay/limits';
import { parseFrame } from '../../../src/relay/protocol';
import type { Relay } from '../../../src/relay/server';
import { TestClient, relay } from '../relay/helpers';
import { heldBytes } from './support/budget';

const LIMITS = { maxTopicChars: DEFAULT_LIMITS.maxTopicChars, maxTopicsPerClient: DEFAULT_LIMITS.maxTopicsPerClient };
const VALID = [
  '{"type":"subscribe","topics":["room-1","room-2"]}',
  '{"type":"unsubscribe","topics":["room-2"]}',
  '{"type":"publish","topic":"room-1","data":{"type":"announce","from":"p1"}}',
  '{"type":"ping"}',
  '{"type":"turn","key":"AAAA","topic":"room-1","time":1,"nonce":"BBBB","signature":"CCCC"}',
];

/** Text frames: arbitrary, arbitrary JSON objects with the protocol's fields, and valid frames with characters edited. */
const frameText = fc.oneof(
  fc.string({ maxLength: 200 }),
  fc.jsonValue().map((v) => JSON.stringify(v) ?? 'null'),
  fc
    .record(
      {
        type: fc.constantFrom('subscribe', 'unsubscribe', 'publish', 'ping', 'turn', 'toString', '__proto__'),
        topic: fc.jsonValue(),
        topics: fc.oneof(fc.jsonValue(), fc.array(fc.string({ maxLength: 300 }), { maxLength: 40 })),
      },
      { requiredKeys: ['type'] },
    )
    .map((v) => JSON.stringify(v)),
  fc
    .tuple(fc.constantFrom(...VALID), fc.array(fc.tuple(fc.nat(), fc.constantFrom(...'{}[]",:0123456789aeltru \\\u0000')), { minLength: 1, maxLength: 4 }))
    .map(([t, edits]) => edits.reduce((s, [at, c]) => s.slice(0, at % (s.length + 1)) + c + s.slice((at % (s.length + 1)) + 1), t)),
);

describe('fuzz: relay parseFrame', () => {
  it('any text: a coded drop or a frame within the limits, never a throw', () => {
    fc.assert(
      fc.property(frameText, (text) => {
        const p = parseFrame(text, LIMITS);
        if (!p.ok) return void expect(typeof p.code).toBe('string');
        if (p.frame.type === 'subscribe' || p.frame.type === 'unsubscribe') {
          expect(p.frame.topics.length).toBeLessThanOrEqual(LIMITS.maxTopicsPerClient);
          for (const t of p.frame.topics) expect(t.length).toBeLessThanOrEqual(LIMITS.maxTopicChars);
        }
        if (p.frame.type !== 'turn') expect(heldBytes(p.frame)).toBeLessThanOrEqual(text.length);
      }),
      { numRuns: 1000 },
    );
  });
});

const open: { relay: Relay; clients: TestClient[] }[] = [];
afterEach(async () => {
  for (const o of open.splice(0)) {
    o.clients.forEach((c) => c.close());
    await o.relay.close();
  }
});

describe('fuzz: a live relay fed arbitrary frames over one socket', () => {
  it('stays up: the flooding client and a good one are still answered and forwarded to', async () => {
    // No strikes or rate limit, so every frame reaches the parser and the hub.
    const { relay: r } = await relay({ maxStrikes: 1_000_000, ratePerSecond: 1_000_000, burst: 1_000_000 });
    const [fuzzer, good] = await Promise.all([TestClient.open(r.url), TestClient.open(r.url)]);
    open.push({ relay: r, clients: [fuzzer!, good!] });
    good!.subscribe('room-1');
    await good!.sync();
    const frames = fc.sample(
      fc.oneof({ weight: 4, arbitrary: frameText }, { weight: 1, arbitrary: fc.uint8Array({ maxLength: 300 }).map((b) => Buffer.from(b)) }),
      { numRuns: 400, seed: 13 },
    );
    frames.push('x'.repeat(DEFAULT_LIMITS.maxFrameBytes + 1), '{"type":"subscribe","topics":["room-1"]}');
    for (const f of frames) fuzzer!.send(f);
    // Everything sent before the ping was acted on once its pong is back (the relay handles one client's frames in order).
    await fuzzer!.sync();
    const stats = r.stats();
    expect(stats.clients).toBe(2);
    const dropped = Object.values(stats.dropped).reduce((a, b) => a + (b ?? 0), 0);
    expect(dropped).toBeGreaterThan(100);
    // A newcomer and the good client still talk through it, both ways.
    const third = await TestClient.open(r.url);
    open[0]!.clients.push(third);
    third.subscribe('room-1');
    await third.sync();
    const there = '{"type":"publish","topic":"room-1","data":"still here"}';
    const back = '{"type":"publish","topic":"room-1","data":"and back"}';
    third.send(there);
    await receives(good!, there);
    good!.send(back);
    await receives(third, back);
  });
});

/** Resolves once `client` has received `text`. */
async function receives(client: TestClient, text: string): Promise<void> {
  while (!client.received.includes(text)) await client.until(client.received.length + 1);
}
