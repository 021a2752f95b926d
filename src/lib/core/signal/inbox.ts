/**
 * Checking envelopes that arrive through the relay (SPEC §6). Everything the
 * relay hands over is untrusted bytes; {@link SignalInbox.accept} returns a
 * coded result and never throws for them. Checks run cheapest first and the
 * signature before the replay memory is touched, so a forger cannot fill it.
 */
import { assert } from '../assert';
import { bytesEqual } from '../bytes';
import { DecodeError } from '../errors';
import type { SignatureVerifier } from '../signature';
import { EVERYONE, NODE_KEY_BYTES, decodeSignal, signalSigningMessage, type SignedSignal } from './envelope';
import { ROOM_ID_BYTES } from './room';
import { ReplayCache } from './replay-cache';

/** Why an envelope was refused. */
export type SignalCode =
  | 'BAD_ENCODING' // not a canonical envelope
  | 'WRONG_ROOM' // signed for another network's room
  | 'WRONG_RECIPIENT' // addressed to another node, or an offer/answer/candidate to everyone
  | 'FROM_SELF' // our own envelope reflected back
  | 'TOO_OLD' // older than the freshness window
  | 'TOO_NEW' // dated further ahead than the allowed clock skew
  | 'BAD_SIGNATURE' // not signed by the key it names as sender
  | 'REPLAYED'; // already accepted (same sender and nonce), or not newer than the replay floor

export type SignalResult = { ok: true; signal: SignedSignal } | { ok: false; code: SignalCode };

export interface SignalInboxOptions {
  readonly room: Uint8Array;
  /** This node's public key. */
  readonly self: Uint8Array;
  readonly verifier: SignatureVerifier;
  /** Oldest accepted envelope, in milliseconds before now (default 120 000). */
  readonly maxAgeMs?: number;
  /** Furthest accepted future date, in milliseconds: the clock skew allowed (default 30 000). */
  readonly maxFutureMs?: number;
  /** Envelopes remembered against replay (default 4096). */
  readonly replayCapacity?: number;
}

export class SignalInbox {
  private readonly replays: ReplayCache;
  private readonly maxAge: number;
  private readonly maxFuture: number;

  constructor(private readonly options: SignalInboxOptions) {
    assert(options.room.length === ROOM_ID_BYTES && options.self.length === NODE_KEY_BYTES, 'bad room or node key');
    this.maxAge = options.maxAgeMs ?? 120_000;
    this.maxFuture = options.maxFutureMs ?? 30_000;
    this.replays = new ReplayCache(options.replayCapacity ?? 4096);
  }

  /** Judges one envelope's bytes at time `now` (milliseconds since 1970); remembers it when accepted. */
  accept(bytes: Uint8Array, now: number): SignalResult {
    let s: SignedSignal;
    try {
      s = decodeSignal(bytes);
    } catch (e) {
      if (e instanceof DecodeError) return { ok: false, code: 'BAD_ENCODING' };
      throw e;
    }
    const refused = this.check(s, now);
    if (refused) return { ok: false, code: refused };
    this.replays.add(s.from, s.nonce, s.time, now - this.maxAge);
    return { ok: true, signal: s };
  }

  private check(s: SignedSignal, now: number): SignalCode | null {
    const { room, self, verifier } = this.options;
    if (!bytesEqual(s.room, room)) return 'WRONG_ROOM';
    if (bytesEqual(s.from, self)) return 'FROM_SELF';
    const toEveryone = bytesEqual(s.to, EVERYONE);
    if (toEveryone ? s.kind !== 'hello' : !bytesEqual(s.to, self)) return 'WRONG_RECIPIENT';
    if (s.time < now - this.maxAge) return 'TOO_OLD';
    if (s.time > now + this.maxFuture) return 'TOO_NEW';
    if (!verifier.verify(s.signature, signalSigningMessage(s), s.from)) return 'BAD_SIGNATURE';
    if (this.replays.has(s.from, s.nonce, s.time)) return 'REPLAYED';
    return null;
  }
}
