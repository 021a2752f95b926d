/** Keys and envelopes shared by the signalling tests (seeded, never secret). */
import { Prng } from '../../../../src/lib/core/prng';
import { publicKeyOf } from '../../../../src/lib/core/signature';
import { EVERYONE, signSignal, type SignalKindName, type UnsignedSignal } from '../../../../src/lib/core/signal/envelope';
import { roomIdOf } from '../../../../src/lib/core/signal/room';

/** Milliseconds, as signal times are. */
export const NOW = 1_800_000_000_000;
export const prng = new Prng('signal-tests');
export const ROOM = roomIdOf('medchain-test');

export interface Node {
  secret: Uint8Array;
  key: Uint8Array;
}

export function node(): Node {
  const secret = prng.bytes(32);
  return { secret, key: publicKeyOf(secret) };
}

export const alice = node();
export const bob = node();
export const mallory = node();

/** An unsigned envelope from `from` to `to` with fresh nonce; fields overridable. */
export function unsigned(from: Node, to: Node | null, kind: SignalKindName = 'offer', over: Partial<UnsignedSignal> = {}): UnsignedSignal {
  return {
    room: ROOM,
    from: from.key,
    to: to ? to.key : EVERYONE,
    kind,
    time: NOW,
    nonce: prng.bytes(16),
    payload: kind === 'hello' ? '' : `{"type":"${kind}","sdp":"v=0 a=fingerprint:sha-256 AA:BB"}`,
    ...over,
  };
}

export function signed(from: Node, to: Node | null, kind: SignalKindName = 'offer', over: Partial<UnsignedSignal> = {}) {
  return signSignal(unsigned(from, to, kind, over), from.secret);
}
