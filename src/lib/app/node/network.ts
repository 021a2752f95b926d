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
 */
import { type Block, decodeBlock, encodeBlock } from '../../core/block';
import { fromBase64, toBase64 } from '../../core/base64';
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

const ID = /^[a-z0-9][a-z0-9-]{2,62}$/;
/** More relays than this in one network is a mistake (each is a socket kept open). */
export const MAX_RELAYS = 8;

/** The chain parameters of network `id`. */
export function paramsFor(id: string): ChainParams {
  return Object.freeze({ ...DEFAULT_PARAMS, id });
}

/** The fragment (with `#`) of a link that joins `net`. */
export function joinFragment(net: NetworkInfo): string {
  const q = new URLSearchParams({ join: net.id });
  for (const r of net.relayUrls) q.append('relay', r);
  q.append('genesis', toBase64(encodeBlock(net.genesis)));
  return `#${q.toString()}`;
}

/** Whether `url` can be a relay address (a ws:// or wss:// URL). */
export function isRelayAddress(url: string): boolean {
  return /^wss?:\/\/\S+$/.test(url);
}

/** The problem of relays that are not among those this app's deployment allows. */
function notAllowed(urls: readonly string[]): RelayProblem {
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

export type ParsedLink =
  /** `skipped`: relays the link names that this deployment does not allow (the others are used). */
  { ok: true; network: NetworkInfo; skipped: readonly string[] } | { ok: false; reason: RelayProblem } | null;

/** Reads a join link's fragment; null when the fragment is not a join link at all. */
export function parseJoinFragment(hash: string): ParsedLink {
  const q = new URLSearchParams(hash.replace(/^#/, ''));
  const id = q.get('join');
  if (id === null) return null;
  if (!ID.test(id)) return { ok: false, reason: problem('BAD_ID') };
  const named = [...new Set(q.getAll('relay'))];
  const relays = named.length > 0 ? named : [...defaultRelays()];
  if (relays.length > MAX_RELAYS) return { ok: false, reason: problem('LINK_TOO_MANY_RELAYS', MAX_RELAYS) };
  if (!relays.every(isRelayAddress)) return { ok: false, reason: problem('LINK_BAD_RELAY') };
  const relayUrls = relays.filter((r) => relayAllowed(r));
  if (relayUrls.length === 0) return { ok: false, reason: notAllowed(relays) };
  const bytes = fromBase64(q.get('genesis') ?? '');
  if (!bytes) return { ok: false, reason: problem('NO_GENESIS') };
  try {
    const genesis = decodeBlock(bytes);
    if (genesis.header.height !== 0) return { ok: false, reason: problem('NOT_FIRST_BLOCK') };
    return { ok: true, network: { id, relayUrls, genesis }, skipped: relays.filter((r) => !relayUrls.includes(r)) };
  } catch {
    // decodeBlock refuses damaged bytes by throwing: the link's block is unusable.
    return { ok: false, reason: problem('GENESIS_DAMAGED') };
  }
}

/** The remembered network as stored in localStorage (public data only: id, relays, genesis). */
export function encodeSaved(net: NetworkInfo): string {
  return JSON.stringify({ id: net.id, relayUrls: net.relayUrls, genesis: toBase64(encodeBlock(net.genesis)) });
}

/** The remembered network, read as a join link is (a copy saved before several relays had `relayUrl`). */
export function decodeSaved(text: string | null): NetworkInfo | null {
  if (!text) return null;
  try {
    const o = JSON.parse(text) as { id?: unknown; relayUrl?: unknown; relayUrls?: unknown; genesis?: unknown };
    const q = new URLSearchParams({ join: String(o.id) });
    const relays = Array.isArray(o.relayUrls) ? o.relayUrls : [o.relayUrl];
    for (const r of relays) q.append('relay', String(r));
    q.append('genesis', String(o.genesis));
    const parsed = parseJoinFragment(`#${q}`);
    return parsed?.ok ? parsed.network : null;
  } catch {
    return null;
  }
}
