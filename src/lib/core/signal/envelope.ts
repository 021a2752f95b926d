/**
 * The signed signal envelope (SPEC §6): what two peers exchange through the
 * relay to open a WebRTC connection. The relay is hostile — it can drop,
 * delay, replay or rewrite — so every envelope names its room, its sender's
 * and its recipient's node keys, a time and a random nonce, and is signed by
 * the sender's node key. A relay that swaps an SDP (and so its DTLS
 * fingerprint) breaks the signature; one that replays or redirects an
 * envelope is caught by {@link SignalInbox} (inbox.ts).
 *
 * Encoding (canonical, see encoding.ts): version u8, room 32, from 32, to 32
 * (all zero = everyone, for `hello` only), kind u8, time u64 (milliseconds),
 * nonce 16, payload UTF-8 string (≤ 16 KiB), signature 64. The signature is
 * over a tagged hash of everything before it.
 */
import { Reader, Writer, decodeAll, encodeWith } from '../encoding';
import { DecodeError } from '../errors';
import { taggedHash } from '../hash';
import { sign } from '../signature';
import { ROOM_ID_BYTES } from './room';

export const SIGNAL_VERSION = 1;
export const NODE_KEY_BYTES = 32;
export const SIGNAL_SIGNATURE_BYTES = 64;
export const SIGNAL_NONCE_BYTES = 16;
/** Ceiling on an SDP or candidate text: a browser's offer is 1 to 6 KiB. */
export const MAX_SIGNAL_PAYLOAD_BYTES = 16 * 1024;
/** The recipient of a `hello` meant for every peer of the room. */
export const EVERYONE = new Uint8Array(NODE_KEY_BYTES);

/** What an envelope carries; the numbers are part of the encoding and never reused. */
export const SignalKind = { hello: 0, offer: 1, answer: 2, candidate: 3 } as const;
export type SignalKindName = keyof typeof SignalKind;
const KIND_NAMES = Object.keys(SignalKind) as SignalKindName[];

export interface UnsignedSignal {
  readonly room: Uint8Array;
  readonly from: Uint8Array;
  /** A node key, or {@link EVERYONE} (hello only). */
  readonly to: Uint8Array;
  readonly kind: SignalKindName;
  /** Milliseconds since 1970, by the sender's clock (fine enough that a burst of candidates has distinct times). */
  readonly time: number;
  readonly nonce: Uint8Array;
  /** SDP or ICE candidate (JSON text); empty for a hello. */
  readonly payload: string;
}

export interface SignedSignal extends UnsignedSignal {
  readonly signature: Uint8Array;
}

function writeUnsigned(w: Writer, s: UnsignedSignal): void {
  w.u8(SIGNAL_VERSION).fixed(s.room, ROOM_ID_BYTES).fixed(s.from, NODE_KEY_BYTES).fixed(s.to, NODE_KEY_BYTES);
  w.u8(SignalKind[s.kind]).u64(s.time).fixed(s.nonce, SIGNAL_NONCE_BYTES);
  w.string(s.payload, MAX_SIGNAL_PAYLOAD_BYTES);
}

/** The 32 bytes a sender signs: a tagged hash of the unsigned encoding. */
export function signalSigningMessage(s: UnsignedSignal): Uint8Array {
  return taggedHash('medchain/signal/v1', encodeWith(writeUnsigned, s));
}

/** The envelope with a signature made elsewhere (e.g. a non-extractable WebCrypto key). */
export function withSignature(s: UnsignedSignal, signature: Uint8Array): SignedSignal {
  return { ...s, signature };
}

/** Signs with a 32-byte Ed25519 secret seed (Node, tests, tools). */
export function signSignal(s: UnsignedSignal, secretKey: Uint8Array): SignedSignal {
  return withSignature(s, sign(signalSigningMessage(s), secretKey));
}

export function encodeSignal(s: SignedSignal): Uint8Array {
  return encodeWith((w: Writer, v: SignedSignal) => {
    writeUnsigned(w, v);
    w.fixed(v.signature, SIGNAL_SIGNATURE_BYTES);
  }, s);
}

function readSignal(r: Reader): SignedSignal {
  const version = r.u8('signal version');
  if (version !== SIGNAL_VERSION) throw new DecodeError('BAD_VERSION', `signal version ${version}`, 0);
  const room = r.fixed(ROOM_ID_BYTES, 'room');
  const from = r.fixed(NODE_KEY_BYTES, 'from');
  const to = r.fixed(NODE_KEY_BYTES, 'to');
  const at = r.offset;
  const kind = KIND_NAMES[r.u8('signal kind')];
  if (kind === undefined) throw new DecodeError('UNKNOWN_KIND', 'unknown signal kind', at);
  const time = r.u64('signal time');
  const nonce = r.fixed(SIGNAL_NONCE_BYTES, 'nonce');
  const payload = r.string(MAX_SIGNAL_PAYLOAD_BYTES, 'signal payload');
  const signature = r.fixed(SIGNAL_SIGNATURE_BYTES, 'signature');
  return { room, from, to, kind, time, nonce, payload, signature };
}

/** Decodes one envelope; throws {@link DecodeError} on any non-canonical byte. */
export function decodeSignal(bytes: Uint8Array): SignedSignal {
  return decodeAll(bytes, readSignal, 'signal');
}
