/**
 * The relay's TURN credentials (SPEC §6: peers behind strict NATs reach each
 * other through coturn "with short-lived credentials that a relay hands
 * out"). The relay and coturn share a secret (coturn's `use-auth-secret` /
 * `static-auth-secret`), so the relay can mint credentials coturn accepts
 * without any call between them: username `expiry:nodeKeyHex`, credential
 * base64(HMAC-SHA1(secret, username)). Checking who may ask is the hub's
 * job (core/signal/turn-request.ts); this file holds the configuration, its
 * checks, and the minting. The secret never leaves this module in a log line
 * or an error message.
 */
import { createHmac } from 'node:crypto';
import { readTurnAnswer, turnUsername, type TurnServers } from '../lib/core/signal/turn-request';

/** A relay's TURN server(s) and the secret it shares with them. */
export interface TurnConfig {
  /** `turn:` / `turns:` URLs handed to nodes as they are (the shape of RTCIceServer.urls). */
  readonly urls: readonly string[];
  /** coturn's `static-auth-secret`. */
  readonly secret: string;
  /** Seconds the credentials stay valid: long enough for a session, short enough that a leak expires. */
  readonly ttl: number;
}

/** Default lifetime of credentials: a day, so a tab open all day keeps its relayed links. */
export const TURN_TTL_DEFAULT = 86_400;
/** Bounds of the lifetime; the upper one is what nodes accept (`readTurnAnswer`). */
export const TURN_TTL_MIN = 60;
export const TURN_TTL_MAX = 604_800;

/**
 * Credentials a client may obtain: a burst of 5, then one per 10 s. A node
 * asks once per relay connection and again before expiry; the cap also bounds
 * the Ed25519 checks a client can make the relay do.
 */
export const TURN_RATE = { burst: 5, perSecond: 0.1 } as const;

/**
 * Why `url` cannot be handed to nodes, or null. Nodes refuse an answer with
 * any URL they would not use (`readTurnAnswer`), so the relay refuses the
 * same URLs at start rather than handing out answers every node drops.
 */
export function turnUrlProblem(url: string): string | null {
  if (!/^turns?:/.test(url)) return `must start with turn: or turns:, got "${url}"`;
  const probe = { urls: [url], username: 'u', credential: 'c', ttl: TURN_TTL_MIN };
  return readTurnAnswer(probe) === null ? `is not a URL nodes accept (no spaces or quotes, at most 250 characters): "${url}"` : null;
}

/** Why `config` cannot be used, or null (messages never include the secret). */
export function turnConfigProblem(config: TurnConfig): string | null {
  if (config.urls.length === 0) return 'needs at least one TURN URL';
  for (const url of config.urls) {
    const problem = turnUrlProblem(url);
    if (problem) return `TURN URL ${problem}`;
  }
  const probe = { urls: [...config.urls], username: 'u', credential: 'c', ttl: TURN_TTL_MIN };
  if (readTurnAnswer(probe) === null) return 'too many TURN URLs (nodes accept at most 8)';
  if (config.secret === '') return 'the TURN secret is empty';
  if (!Number.isSafeInteger(config.ttl) || config.ttl < TURN_TTL_MIN || config.ttl > TURN_TTL_MAX)
    return `TURN ttl must be between ${TURN_TTL_MIN} and ${TURN_TTL_MAX} seconds`;
  return null;
}

/**
 * The shared secret from a secret file's text: its first line, trimmed (so a
 * trailing newline or CRLF does not become part of it); null when that is empty.
 */
export function turnSecretFromText(text: string): string | null {
  const secret = (text.split(/\r?\n/, 1)[0] ?? '').trim();
  return secret === '' ? null : secret;
}

/** Credentials for node `key`, valid for `config.ttl` seconds from `nowMs`, in coturn's REST scheme. */
export function turnCredentials(config: TurnConfig, key: Uint8Array, nowMs: number): TurnServers {
  const username = turnUsername(Math.floor(nowMs / 1000) + config.ttl, key);
  const credential = createHmac('sha1', config.secret).update(username).digest('base64');
  return { urls: config.urls, username, credential, ttl: config.ttl };
}
