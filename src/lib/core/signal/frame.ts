/**
 * Envelopes inside the relay's JSON frames (y-webrtc's signalling protocol,
 * SPEC §6): `{type:'publish', topic, data}` where `data` is the envelope in
 * standard base64, the same shape y-webrtc uses for its encrypted rooms.
 * Reading a frame from the relay is reading untrusted text: the result is
 * the envelope bytes or null, never a throw.
 */
import { fromBase64, toBase64 } from '../base64';
import { MAX_SIGNAL_PAYLOAD_BYTES } from './envelope';
import { readTurnAnswer, type TurnServers } from './turn-request';

/** Longest base64 text worth decoding: a maximal envelope plus its fixed fields, with room to spare. */
const MAX_DATA_CHARS = Math.ceil(((MAX_SIGNAL_PAYLOAD_BYTES + 512) * 4) / 3);

/** The text frame that publishes `envelope` to `topic`. */
export function publishFrame(topic: string, envelope: Uint8Array): string {
  return JSON.stringify({ type: 'publish', topic, data: toBase64(envelope) });
}

/** A subscribe or unsubscribe frame for the given topics. */
export function topicsFrame(type: 'subscribe' | 'unsubscribe', topics: readonly string[]): string {
  return JSON.stringify({ type, topics });
}

export type RelayFrame =
  | { readonly type: 'publish'; readonly topic: string; readonly data: Uint8Array }
  | { readonly type: 'pong' }
  /** The relay's answer to a TURN credentials request (turn-request.ts): servers, or `none` configured. */
  | { readonly type: 'turn'; readonly answer: TurnServers | 'none' }
  | { readonly type: 'other' };

/** Reads a frame the relay delivered; null when it is not JSON, not an object, a publish with bad data or a malformed TURN answer. */
export function readRelayFrame(text: string): RelayFrame | null {
  let m: unknown;
  try {
    m = JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof m !== 'object' || m === null || Array.isArray(m)) return null;
  const { type, topic, data } = m as Record<string, unknown>;
  if (type === 'pong') return { type: 'pong' };
  if (type === 'turn') {
    const answer = readTurnAnswer(m as Record<string, unknown>);
    return answer === null ? null : { type: 'turn', answer };
  }
  if (type !== 'publish') return { type: 'other' };
  if (typeof topic !== 'string' || typeof data !== 'string' || data.length > MAX_DATA_CHARS) return null;
  const bytes = fromBase64(data);
  return bytes ? { type: 'publish', topic, data: bytes } : null;
}
