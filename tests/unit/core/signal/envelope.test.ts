import { describe, expect, it } from 'vitest';
import { toHex } from '../../../../src/lib/core/bytes';
import { Writer } from '../../../../src/lib/core/encoding';
import { MAX_SIGNAL_PAYLOAD_BYTES, decodeSignal, encodeSignal, signSignal, signalSigningMessage } from '../../../../src/lib/core/signal/envelope';
import { publishFrame, readRelayFrame, topicsFrame } from '../../../../src/lib/core/signal/frame';
import { roomIdOf, roomTopic } from '../../../../src/lib/core/signal/room';
import { nobleVerifier } from '../../../../src/lib/core/signature';
import { decodeCode } from '../codes';
import { alice, bob, signed, unsigned } from './fixtures';

describe('signal envelope encoding (SPEC §6)', () => {
  it('round-trips every kind canonically', () => {
    for (const kind of ['hello', 'offer', 'answer', 'candidate'] as const) {
      const s = signed(alice, kind === 'hello' ? null : bob, kind);
      const bytes = encodeSignal(s);
      const back = decodeSignal(bytes);
      expect(back).toEqual(s);
      expect(toHex(encodeSignal(back))).toBe(toHex(bytes));
    }
  });

  it('signs the whole unsigned envelope: each field changes the signing message', () => {
    const base = unsigned(alice, bob);
    const message = toHex(signalSigningMessage(base));
    const variants = [
      { room: roomIdOf('other') },
      { from: bob.key },
      { to: alice.key },
      { kind: 'answer' as const },
      { time: base.time + 1 },
      { nonce: new Uint8Array(16) },
      { payload: base.payload + ' ' },
    ];
    for (const v of variants) expect(toHex(signalSigningMessage({ ...base, ...v }))).not.toBe(message);
    const s = signSignal(base, alice.secret);
    expect(nobleVerifier.verify(s.signature, signalSigningMessage(base), alice.key)).toBe(true);
  });

  it('refuses bad bytes with codes', () => {
    const bytes = encodeSignal(signed(alice, bob));
    expect(decodeCode(() => decodeSignal(bytes.subarray(0, bytes.length - 1)))).toBe('TRUNCATED');
    expect(decodeCode(() => decodeSignal(new Uint8Array([...bytes, 0])))).toBe('TRAILING_BYTES');
    const v2 = bytes.slice();
    v2[0] = 2;
    expect(decodeCode(() => decodeSignal(v2))).toBe('BAD_VERSION');
    const kind = bytes.slice();
    kind[1 + 32 * 3] = 9;
    expect(decodeCode(() => decodeSignal(kind))).toBe('UNKNOWN_KIND');
    // A payload length above the limit is refused before reading it.
    const w = new Writer().u8(1).fixed(new Uint8Array(96), 96).u8(1).u64(1).fixed(new Uint8Array(16), 16);
    w.varuint(MAX_SIGNAL_PAYLOAD_BYTES + 1);
    expect(decodeCode(() => decodeSignal(w.finish()))).toBe('OVERSIZE');
  });
});

describe('opaque room names', () => {
  it('are a tagged hash of the network id, as 64 hex characters, different per network', () => {
    const topic = roomTopic(roomIdOf('medchain-main'));
    expect(topic).toMatch(/^[0-9a-f]{64}$/);
    expect(topic).not.toContain(toHex(new TextEncoder().encode('medchain')));
    expect(topic).toBe(roomTopic(roomIdOf('medchain-main')));
    expect(topic).not.toBe(roomTopic(roomIdOf('medchain-test')));
  });
});

describe('relay frames', () => {
  it('carry the envelope as base64 in a y-webrtc publish frame', () => {
    const bytes = encodeSignal(signed(alice, bob));
    const text = publishFrame('t', bytes);
    expect(JSON.parse(text)).toMatchObject({ type: 'publish', topic: 't' });
    const back = readRelayFrame(text);
    expect(back?.type === 'publish' && toHex(back.data)).toBe(toHex(bytes));
    expect(JSON.parse(topicsFrame('subscribe', ['a', 'b']))).toEqual({ type: 'subscribe', topics: ['a', 'b'] });
  });

  it('reads untrusted frames without throwing', () => {
    expect(readRelayFrame('{')).toBeNull();
    expect(readRelayFrame('[1]')).toBeNull();
    expect(readRelayFrame('null')).toBeNull();
    expect(readRelayFrame('{"type":"publish","topic":"t","data":"***"}')).toBeNull();
    expect(readRelayFrame('{"type":"publish","topic":5,"data":"AA=="}')).toBeNull();
    expect(readRelayFrame(`{"type":"publish","topic":"t","data":"${'A'.repeat(40_000)}"}`)).toBeNull();
    expect(readRelayFrame('{"type":"pong"}')).toEqual({ type: 'pong' });
    expect(readRelayFrame('{"type":"whatever"}')).toEqual({ type: 'other' });
  });
});
