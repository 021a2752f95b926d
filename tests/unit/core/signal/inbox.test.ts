import { describe, expect, it } from 'vitest';
import { encodeSignal, signSignal, type SignedSignal } from '../../../../src/lib/core/signal/envelope';
import { SignalInbox } from '../../../../src/lib/core/signal/inbox';
import { ReplayCache } from '../../../../src/lib/core/signal/replay-cache';
import { roomIdOf } from '../../../../src/lib/core/signal/room';
import { nobleVerifier } from '../../../../src/lib/core/signature';
import { NOW, ROOM, alice, bob, mallory, prng, signed, unsigned } from './fixtures';

const inboxOf = (self = bob, replayCapacity = 4096) => new SignalInbox({ room: ROOM, self: self.key, verifier: nobleVerifier, replayCapacity });

const codeOf = (inbox: SignalInbox, s: SignedSignal | Uint8Array, now = NOW) => {
  const r = inbox.accept(s instanceof Uint8Array ? s : encodeSignal(s), now);
  return r.ok ? 'OK' : r.code;
};

describe('SignalInbox: the relay is hostile (SPEC §6)', () => {
  it('accepts a fresh envelope addressed to us, and a hello to everyone', () => {
    const inbox = inboxOf();
    const s = signed(alice, bob, 'offer');
    const r = inbox.accept(encodeSignal(s), NOW);
    expect(r).toEqual({ ok: true, signal: s });
    expect(codeOf(inbox, signed(alice, null, 'hello'))).toBe('OK');
    expect(codeOf(inbox, signed(alice, bob, 'hello'))).toBe('OK');
  });

  it('catches a rewritten SDP (a swapped DTLS fingerprint), sender or signature', () => {
    const inbox = inboxOf();
    const s = signed(alice, bob, 'answer');
    expect(codeOf(inbox, { ...s, payload: s.payload.replace('AA:BB', 'EE:FF') })).toBe('BAD_SIGNATURE');
    expect(codeOf(inbox, { ...s, from: mallory.key })).toBe('BAD_SIGNATURE');
    const sig = s.signature.slice();
    sig[5]! ^= 1;
    expect(codeOf(inbox, { ...s, signature: sig })).toBe('BAD_SIGNATURE');
    // Mallory re-signing Alice's answer as herself is an answer from Mallory, not from Alice.
    const resigned = signSignal({ ...s, from: mallory.key, payload: 'evil' }, mallory.secret);
    const r = inbox.accept(encodeSignal(resigned), NOW);
    expect(r.ok && r.signal.from).toEqual(mallory.key);
  });

  it('refuses envelopes for another room or another recipient, and our own reflected back', () => {
    const inbox = inboxOf();
    expect(codeOf(inbox, signed(alice, bob, 'offer', { room: roomIdOf('other-network') }))).toBe('WRONG_ROOM');
    expect(codeOf(inbox, signed(alice, mallory))).toBe('WRONG_RECIPIENT');
    expect(codeOf(inbox, signed(alice, null, 'offer'))).toBe('WRONG_RECIPIENT');
    expect(codeOf(inbox, signed(bob, alice))).toBe('FROM_SELF');
    expect(codeOf(inbox, new Uint8Array([1, 2, 3]))).toBe('BAD_ENCODING');
  });

  it('refuses stale and future-dated envelopes (a delayed replay)', () => {
    const inbox = inboxOf();
    expect(codeOf(inbox, signed(alice, bob, 'offer', { time: NOW - 120_001 }))).toBe('TOO_OLD');
    expect(codeOf(inbox, signed(alice, bob, 'offer', { time: NOW - 120_000 }))).toBe('OK');
    expect(codeOf(inbox, signed(alice, bob, 'offer', { time: NOW + 30_001 }))).toBe('TOO_NEW');
    expect(codeOf(inbox, signed(alice, bob, 'offer', { time: NOW + 30_000 }))).toBe('OK');
  });

  it('refuses a replay of an accepted envelope', () => {
    const inbox = inboxOf();
    const s = signed(alice, bob);
    expect(codeOf(inbox, s)).toBe('OK');
    expect(codeOf(inbox, s, NOW + 5_000)).toBe('REPLAYED');
    // A forged envelope reusing the nonce does not reach the replay memory at all.
    expect(codeOf(inbox, { ...signed(alice, bob), nonce: s.nonce, signature: new Uint8Array(64) })).toBe('BAD_SIGNATURE');
    // The same nonce from another sender is a different envelope.
    expect(codeOf(inbox, signSignal(unsigned(mallory, bob, 'offer', { nonce: s.nonce }), mallory.secret))).toBe('OK');
  });

  it('stays bounded under a flood and still refuses replays of evicted envelopes', () => {
    const inbox = inboxOf(bob, 8);
    const first = signed(alice, bob, 'offer', { time: NOW - 1000 });
    expect(codeOf(inbox, first)).toBe('OK');
    for (let i = 0; i < 20; i++) expect(codeOf(inbox, signed(alice, bob, 'candidate', { time: NOW - 500 + i }))).toBe('OK');
    expect(codeOf(inbox, first)).toBe('REPLAYED');
    // The price of the bound: an envelope no newer than an evicted one is refused too.
    expect(codeOf(inbox, signed(alice, bob, 'candidate', { time: NOW - 500 + 11 }))).toBe('REPLAYED');
    expect(codeOf(inbox, signed(alice, bob, 'offer', { time: NOW }))).toBe('OK');
  });
});

describe('ReplayCache', () => {
  it('forgets entries older than the window and keeps at most its capacity', () => {
    const cache = new ReplayCache(3);
    const from = alice.key;
    const n = () => prng.bytes(16);
    const old = n();
    cache.add(from, old, 100, 0);
    expect(cache.has(from, old, 100)).toBe(true);
    cache.add(from, n(), 200, 150); // 100 is out of the window now
    expect(cache.size).toBe(1);
    for (let i = 0; i < 5; i++) cache.add(from, n(), 300 + i, 150);
    expect(cache.size).toBe(3);
    // Evicted entries raised the floor: anything at or below it may be a replay.
    expect(cache.has(from, n(), 301)).toBe(true);
    expect(cache.has(from, n(), 302)).toBe(false);
  });
});
