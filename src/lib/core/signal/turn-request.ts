/**
 * Asking a relay for TURN credentials (SPEC §6: "a TURN server, coturn, with
 * short-lived credentials that a relay hands out"). A node proves it holds
 * its node key by signing a request bound to the relay it dialled (the host
 * of the relay's URL, as the browser sends it in the `Host` header), to the
 * room topic it subscribed to, to a time and to a random nonce; the relay
 * checks the signature, the time and the subscription and answers only that
 * connection with a username `expiry:nodeKeyHex` and coturn's credential for
 * it (base64 HMAC-SHA1 under the shared secret: coturn's `use-auth-secret`).
 * A relay without TURN answers with no URLs: "no TURN server configured".
 *
 * Frames are JSON text like the rest of the relay protocol:
 *   request  `{"type":"turn","key":hex32,"topic":hex32,"time":ms,"nonce":hex16,"sig":hex64}`
 *   answer   `{"type":"turn","urls":[…],"username":"…","credential":"…","ttl":seconds}`
 *            or `{"type":"turn","urls":[]}` when the relay has no TURN server.
 * Both sides read the other's frame as untrusted text: parsers return null
 * (or a coded refusal), never throw. The relay is hostile to the node, so
 * the answer's URLs must be `turn:`/`turns:` URLs of bounded size.
 */
import { fromHex, toHex } from '../bytes';
import { Writer } from '../encoding';
import { taggedHash } from '../hash';
import type { SignatureVerifier } from '../signature';

/** How far a request's time may be from the relay's clock (ms). */
export const TURN_REQUEST_SKEW_MS = 5 * 60_000;
const HEX = /^[0-9a-f]+$/;
const MAX_HOST_CHARS = 255;

export interface TurnRequest {
  /** The node key (32 bytes), which names the node in the TURN username. */
  readonly key: Uint8Array;
  /** The room topic (64 hex characters) the node subscribed to on this relay. */
  readonly topic: string;
  /** Milliseconds since 1970 by the node's clock. */
  readonly time: number;
  readonly nonce: Uint8Array;
}

/** The 32 bytes a node signs to ask relay `host` (e.g. `relay.example:443` or `relay.example`) for credentials. */
export function turnRequestMessage(host: string, r: TurnRequest): Uint8Array {
  const w = new Writer();
  w.string(host.toLowerCase(), MAX_HOST_CHARS).fixed(r.key, 32).string(r.topic, 64).u64(r.time).fixed(r.nonce, 16);
  return taggedHash('medchain/turn-request/v1', w.finish());
}

/** The request frame a node sends, signed with `signature` over {@link turnRequestMessage}. */
export function turnRequestFrame(r: TurnRequest, signature: Uint8Array): string {
  return JSON.stringify({ type: 'turn', key: toHex(r.key), topic: r.topic, time: r.time, nonce: toHex(r.nonce), sig: toHex(signature) });
}

/** Why a relay refused a credentials request (logged as a code, never the content). */
export type TurnRefusal = 'BAD_REQUEST' | 'STALE' | 'BAD_SIGNATURE' | 'NOT_SUBSCRIBED';

function hexOf(v: unknown, bytes: number): Uint8Array | null {
  return typeof v === 'string' && v.length === bytes * 2 && HEX.test(v) ? fromHex(v) : null;
}

/**
 * The relay's check of a request frame already parsed as JSON: shape, time
 * within {@link TURN_REQUEST_SKEW_MS} of `now`, signature over `host`. The
 * caller checks that the client subscribed to `topic`.
 */
export function checkTurnRequest(
  m: Record<string, unknown>,
  host: string,
  now: number,
  verifier: SignatureVerifier,
): { ok: true; request: TurnRequest } | { ok: false; code: TurnRefusal } {
  const key = hexOf(m.key, 32);
  const nonce = hexOf(m.nonce, 16);
  const sig = hexOf(m.sig, 64);
  const { topic, time } = m;
  if (!key || !nonce || !sig || typeof topic !== 'string' || topic.length !== 64 || !HEX.test(topic)) return { ok: false, code: 'BAD_REQUEST' };
  if (typeof time !== 'number' || !Number.isSafeInteger(time) || time < 0 || host.length > MAX_HOST_CHARS) return { ok: false, code: 'BAD_REQUEST' };
  if (Math.abs(time - now) > TURN_REQUEST_SKEW_MS) return { ok: false, code: 'STALE' };
  const request: TurnRequest = { key, topic, time, nonce };
  if (!verifier.verify(sig, turnRequestMessage(host, request), key)) return { ok: false, code: 'BAD_SIGNATURE' };
  return { ok: true, request };
}

/** TURN servers as a node hands them to its peer connections (the shape of RTCIceServer). */
export interface TurnServers {
  readonly urls: readonly string[];
  readonly username: string;
  readonly credential: string;
  /** Seconds the credentials stay valid from when they were issued. */
  readonly ttl: number;
}

/** The relay's answer: credentials, or none configured. */
export function turnAnswerFrame(servers: TurnServers | null): string {
  return JSON.stringify(servers ? { type: 'turn', ...servers, urls: [...servers.urls] } : { type: 'turn', urls: [] });
}

const TURN_URL = /^turns?:[^\s"'<>]{1,250}$/;

/**
 * Reads a relay's answer (already parsed JSON with `type: 'turn'`): servers,
 * `'none'` when the relay has no TURN server, or null when it is malformed.
 */
export function readTurnAnswer(m: Record<string, unknown>): TurnServers | 'none' | null {
  const { urls, username, credential, ttl } = m;
  if (!Array.isArray(urls) || urls.length > 8 || !urls.every((u) => typeof u === 'string' && TURN_URL.test(u))) return null;
  if (urls.length === 0) return 'none';
  if (typeof username !== 'string' || username.length === 0 || username.length > 200) return null;
  if (typeof credential !== 'string' || credential.length === 0 || credential.length > 200) return null;
  if (typeof ttl !== 'number' || !Number.isSafeInteger(ttl) || ttl <= 0 || ttl > 7 * 86_400) return null;
  return { urls: urls as string[], username, credential, ttl };
}

/** coturn's REST username for node `key` valid until `expiry` (seconds since 1970). */
export function turnUsername(expiry: number, key: Uint8Array): string {
  return `${expiry}:${toHex(key)}`;
}
