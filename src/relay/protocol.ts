/**
 * The relay's side of y-webrtc's signalling protocol (SPEC §6), as a pure
 * parser: JSON text frames `{type:'subscribe', topics}`,
 * `{type:'unsubscribe', topics}`, `{type:'publish', topic, …}` and
 * `{type:'ping'}`, plus medchain's own `{type:'turn', …}` request for TURN
 * credentials (core/signal/turn-request.ts), whose fields are checked by the
 * hub because the check needs the connection's host and the clock. Anything
 * else is a coded drop, never a throw — the relay parses strangers' bytes.
 *
 * Stricter than y-webrtc's own server (which throws on bad JSON and skips
 * non-string topics): a frame with any bad topic is dropped whole. y-webrtc's
 * client only ever sends well-formed frames, so it is unaffected.
 */
import type { TurnRefusal } from '../lib/core/signal/turn-request';

/** Why the relay dropped a frame (logged as counts and codes only, never content). */
export type DropCode =
  | 'RATE' // over the client's message rate
  | 'BINARY' // a binary frame: the protocol is text only
  | 'OVERSIZE' // larger than the frame limit
  | 'BAD_JSON' // not JSON
  | 'NOT_OBJECT' // JSON, but not an object
  | 'UNKNOWN_TYPE' // an object without a known `type`
  | 'BAD_TOPIC' // a topic that is not a non-empty string within the length limit, or topics not a list
  | 'TOO_MANY_TOPICS' // more topics than a client may hold
  | 'NOT_SUBSCRIBED' // publishing to (or asking TURN credentials for) a topic the client has not subscribed to
  | TurnRefusal // a TURN credentials request that is malformed (or has no Host), stale, or badly signed
  | 'TURN_RATE'; // over the client's rate of TURN credentials requests

export type Frame =
  | { readonly type: 'subscribe' | 'unsubscribe'; readonly topics: readonly string[] }
  | { readonly type: 'publish'; readonly topic: string }
  | { readonly type: 'ping' }
  /** A TURN credentials request: its fields, still unchecked (the hub checks them with `checkTurnRequest`). */
  | { readonly type: 'turn'; readonly fields: Readonly<Record<string, unknown>> };

export type Parsed = { ok: true; frame: Frame } | { ok: false; code: DropCode };

export interface ParseLimits {
  readonly maxTopicChars: number;
  readonly maxTopicsPerClient: number;
}

const drop = (code: DropCode): Parsed => ({ ok: false, code });

function validTopic(t: unknown, limits: ParseLimits): t is string {
  return typeof t === 'string' && t.length > 0 && t.length <= limits.maxTopicChars;
}

/** Parses one text frame. Publish frames are forwarded as the original text, so only `topic` is read. */
export function parseFrame(text: string, limits: ParseLimits): Parsed {
  let m: unknown;
  try {
    m = JSON.parse(text);
  } catch {
    return drop('BAD_JSON');
  }
  if (typeof m !== 'object' || m === null || Array.isArray(m)) return drop('NOT_OBJECT');
  const { type, topic, topics } = m as Record<string, unknown>;
  switch (type) {
    case 'ping':
      return { ok: true, frame: { type } };
    case 'turn':
      return { ok: true, frame: { type, fields: m as Record<string, unknown> } };
    case 'publish':
      return validTopic(topic, limits) ? { ok: true, frame: { type, topic } } : drop('BAD_TOPIC');
    case 'subscribe':
    case 'unsubscribe': {
      if (!Array.isArray(topics)) return drop('BAD_TOPIC');
      if (topics.length > limits.maxTopicsPerClient) return drop('TOO_MANY_TOPICS');
      if (!topics.every((t) => validTopic(t, limits))) return drop('BAD_TOPIC');
      return { ok: true, frame: { type, topics: [...new Set(topics as string[])] } };
    }
    default:
      return drop('UNKNOWN_TYPE');
  }
}
