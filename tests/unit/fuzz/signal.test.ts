/**
 * Fuzzing signalling (issue 13): what arrives from the relay before any
 * peer is authenticated — the relay's JSON frames (readRelayFrame), the
 * signed envelopes inside them (decodeSignal), TURN answers
 * (readTurnAnswer) — and the status text in a peer's hello (decodeStatus).
 *
 * Budgets:
 * - decodeSignal throws only DecodeError, is canonical, holds ≤ 1 byte per
 *   input byte and spends ≤ 6 Reader operations per input byte + 8;
 * - readRelayFrame, readTurnAnswer and decodeStatus never throw (null);
 *   what they return holds no more than the text they read, besides its
 *   type name (base64 data
 *   decodes to ¾ of its characters; a TURN answer keeps ≤ 8 URLs of ≤ 255
 *   characters and a username and credential of ≤ 200);
 * - decodeStatus is canonical: encodeStatus gives back the exact text;
 * - CPU of the text readers: JSON.parse and anchored, linear patterns (not
 *   counted; see files.test.ts for the pattern regression).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeStatus, encodeStatus } from '../../../src/lib/adapters/net/status';
import { NodeRole } from '../../../src/lib/core/net/messages';
import { decodeSignal, encodeSignal } from '../../../src/lib/core/signal/envelope';
import { publishFrame, readRelayFrame } from '../../../src/lib/core/signal/frame';
import { readTurnAnswer, turnAnswerFrame } from '../../../src/lib/core/signal/turn-request';
import { alice, bob, signed } from '../core/signal/fixtures';
import { heldBytes } from './support/budget';
import { decoderProperties } from './support/decoder-suite';
import { mutant } from './support/mutate';

const ENVELOPES = [
  signed(alice, bob, 'offer'),
  signed(alice, null, 'hello'),
  signed(bob, alice, 'candidate', { payload: '{"candidate":"a=candidate:1 1 udp 2 192.0.2.1 5000 typ host"}' }),
].map(encodeSignal);

describe('fuzz: decodeSignal', () => {
  decoderProperties({ decode: decodeSignal, encode: encodeSignal, seeds: ENVELOPES });
});

/** Text mutations: characters changed, added or removed, on the JSON text of valid frames. */
const textEdit = fc.tuple(fc.nat(), fc.constantFrom('set', 'insert', 'delete'), fc.constantFrom(...'{}[]",:0123456789aeltruAZ=/+ \\\u0000é'));
function editText(text: string, edits: readonly (readonly [number, string, string])[]): string {
  const s = [...text];
  for (const [at, op, c] of edits) {
    const i = at % (s.length + 1);
    if (op === 'set' && s.length > 0) s[i % s.length] = c;
    else if (op === 'insert') s.splice(i, 0, c);
    else s.splice(i, 1);
  }
  return s.join('');
}

const TURN = turnAnswerFrame({
  urls: ['turns:turn.example.org:5349', 'turn:turn.example.org:3478?transport=udp'],
  username: '1800000000:abcd',
  credential: 'c2VjcmV0',
  ttl: 3600,
});
const FRAMES = [
  ...ENVELOPES.map((e) => publishFrame('medchain/room', e)),
  '{"type":"pong"}',
  TURN,
  turnAnswerFrame(null),
  '{"type":"subscribe","topics":["a"]}',
];

describe('fuzz: readRelayFrame', () => {
  const check = (text: string) => {
    const f = readRelayFrame(text);
    // Plus the frame's type name (`other`, `publish`…), a constant.
    if (f) expect(heldBytes(f)).toBeLessThanOrEqual(text.length + 16);
  };

  it('the seeds read', () => {
    expect(FRAMES.map((t) => readRelayFrame(t)?.type)).toEqual(['publish', 'publish', 'publish', 'pong', 'turn', 'turn', 'other']);
  });

  it('arbitrary text and arbitrary JSON: null or a frame, never a throw, within budget', () => {
    const json = fc.oneof(
      fc.jsonValue(),
      fc.record(
        {
          type: fc.constantFrom('publish', 'turn', 'pong', 'x'),
          topic: fc.jsonValue(),
          data: fc.oneof(fc.base64String(), fc.jsonValue()),
          urls: fc.jsonValue(),
          username: fc.jsonValue(),
          credential: fc.jsonValue(),
          ttl: fc.jsonValue(),
        },
        { requiredKeys: ['type'] },
      ),
    );
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          json.map((v) => JSON.stringify(v) ?? 'null'),
        ),
        check,
      ),
      { numRuns: 500 },
    );
  });

  it('valid frames with characters changed, added or removed: null or a frame, never a throw', () => {
    fc.assert(
      fc.property(fc.nat({ max: FRAMES.length - 1 }), fc.array(textEdit, { minLength: 1, maxLength: 4 }), (i, edits) => check(editText(FRAMES[i]!, edits))),
      { numRuns: 500 },
    );
  });

  it('publish frames carrying mutated envelopes: the bytes as sent, or null', () => {
    fc.assert(
      fc.property(mutant(ENVELOPES), ({ bytes }) => {
        const f = readRelayFrame(publishFrame('t', bytes));
        expect(f?.type === 'publish' ? f.data : null).toEqual(bytes);
      }),
      { numRuns: 200 },
    );
  });
});

describe('fuzz: readTurnAnswer', () => {
  it('any object: none, servers within their limits, or null — never a throw', () => {
    const field = fc.oneof(fc.jsonValue(), fc.array(fc.oneof(fc.string(), fc.constantFrom('turn:a', 'turns:b:5349'), fc.jsonValue()), { maxLength: 10 }));
    fc.assert(
      fc.property(
        fc.record({ urls: field, username: field, credential: field, ttl: fc.oneof(field, fc.double(), fc.integer()) }, { requiredKeys: [] }),
        (m) => {
          const a = readTurnAnswer(m as Record<string, unknown>);
          if (a && a !== 'none') {
            expect(a.urls.length).toBeLessThanOrEqual(8);
            for (const u of a.urls) expect(u.length).toBeLessThanOrEqual(255);
            expect(Math.max(a.username.length, a.credential.length)).toBeLessThanOrEqual(200);
          }
        },
      ),
      { numRuns: 400 },
    );
  });
});

describe('fuzz: decodeStatus', () => {
  const check = (text: string) => {
    const s = decodeStatus(text);
    if (s) expect(encodeStatus(s)).toBe(text);
  };
  it('arbitrary text, and valid statuses edited: null or the status whose text it is', () => {
    const valid = fc.tuple(fc.constantFrom(...Object.values(NodeRole)), fc.maxSafeNat()).map(([role, height]) => encodeStatus({ role, height }));
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ maxLength: 30 }),
          valid,
          fc.tuple(valid, fc.array(textEdit, { minLength: 1, maxLength: 3 })).map(([t, e]) => editText(t, e)),
        ),
        check,
      ),
      { numRuns: 800 },
    );
  });
});
