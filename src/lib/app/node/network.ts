/**
 * Which network this profile runs (issue 6, SPEC §6): its id, the relays
 * that introduce peers (one or several; any one that is up will do), and
 * its genesis block (founders and all, a few hundred bytes). A join link
 * carries all three in the URL fragment, which never reaches a server:
 * `#join=<id>&relay=<wss url>&relay=<wss url>…&genesis=<base64>`.
 * Parameters are medchain's defaults under the network's own id.
 *
 * The page may open sockets only to the relays its deployment configured
 * (the Content-Security-Policy's `connect-src`, deployment.ts): a link or a
 * form naming a relay the deployment does not allow is told so plainly,
 * instead of the browser blocking the socket without a word. Problems are
 * codes with their values ({@link RelayProblem}); the screen words them.
 * The link and the remembered network are encoded in network-link.ts, which
 * needs the block codec: the start screen loads it only when there is a
 * link to read or write, so the first screen carries no chain code.
 */
import type { Block } from '../../core/block';
import { type ChainParams, DEFAULT_PARAMS } from '../../core/params';
import { type Problem, problem } from '../../core/problem';
import { deployment, relayAllowed } from '../deployment';

/**
 * Why typed relays or a join link cannot be used: NO_RELAY, TOO_MANY_RELAYS
 * (the limit), BAD_RELAY (the address), NOT_ALLOWED (the refused relays and
 * the allowed ones, each comma-separated), and for links BAD_ID,
 * LINK_TOO_MANY_RELAYS (the limit), LINK_BAD_RELAY, NO_GENESIS,
 * NOT_FIRST_BLOCK, GENESIS_DAMAGED.
 */
export type RelayProblem = Problem<
  | 'NO_RELAY'
  | 'TOO_MANY_RELAYS'
  | 'BAD_RELAY'
  | 'NOT_ALLOWED'
  | 'BAD_ID'
  | 'LINK_TOO_MANY_RELAYS'
  | 'LINK_BAD_RELAY'
  | 'NO_GENESIS'
  | 'NOT_FIRST_BLOCK'
  | 'GENESIS_DAMAGED'
>;

/** The relays this deployment offers first (`npm start` runs ws://127.0.0.1:4444). */
export function defaultRelays(): readonly string[] {
  return deployment().relays;
}

export interface NetworkInfo {
  readonly id: string;
  /** The network's relays, each once, at least one. */
  readonly relayUrls: readonly string[];
  readonly genesis: Block;
}

/** A network id: lower-case letters, digits and dashes, 3 to 63 long. */
export const NETWORK_ID = /^[a-z0-9][a-z0-9-]{2,62}$/;
/** More relays than this in one network is a mistake (each is a socket kept open). */
export const MAX_RELAYS = 8;

/** The chain parameters of network `id`. */
export function paramsFor(id: string): ChainParams {
  return Object.freeze({ ...DEFAULT_PARAMS, id });
}

/** Whether `url` can be a relay address (a ws:// or wss:// URL). */
export function isRelayAddress(url: string): boolean {
  return /^wss?:\/\/\S+$/.test(url);
}

/** The problem of relays that are not among those this app's deployment allows. */
export function notAllowed(urls: readonly string[]): RelayProblem {
  return problem('NOT_ALLOWED', urls.join(', '), deployment().relays.join(', '));
}

/**
 * Reads relay addresses typed by a person (separated by commas, spaces or
 * lines): each must be a ws:// or wss:// address this deployment allows.
 */
export function parseRelayList(text: string): { ok: true; urls: string[] } | { ok: false; reason: RelayProblem } {
  const urls = [...new Set(text.split(/[\s,]+/).filter((u) => u !== ''))];
  if (urls.length === 0) return { ok: false, reason: problem('NO_RELAY') };
  if (urls.length > MAX_RELAYS) return { ok: false, reason: problem('TOO_MANY_RELAYS', MAX_RELAYS) };
  const bad = urls.find((u) => !isRelayAddress(u));
  if (bad !== undefined) return { ok: false, reason: problem('BAD_RELAY', bad) };
  const refused = urls.filter((u) => !relayAllowed(u));
  if (refused.length > 0) return { ok: false, reason: notAllowed(refused) };
  return { ok: true, urls };
}
