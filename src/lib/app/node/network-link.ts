/**
 * Join links and the remembered network (network.ts): a link's fragment
 * `#join=<id>&relay=<wss url>…&genesis=<base64>` carries the network's id,
 * relays and genesis block; the same is kept in localStorage. Apart from
 * network.ts because it needs the block codec (and its hashing), which the
 * first screen loads only when there is a link to read or write.
 */
import { decodeBlock, encodeBlock } from '../../core/block';
import { fromBase64, toBase64 } from '../../core/base64';
import { problem } from '../../core/problem';
import { relayAllowed } from '../deployment';
import { MAX_RELAYS, NETWORK_ID, type NetworkInfo, type RelayProblem, defaultRelays, isRelayAddress, notAllowed } from './network';

/** The fragment (with `#`) of a link that joins `net`. */
export function joinFragment(net: NetworkInfo): string {
  const q = new URLSearchParams({ join: net.id });
  for (const r of net.relayUrls) q.append('relay', r);
  q.append('genesis', toBase64(encodeBlock(net.genesis)));
  return `#${q.toString()}`;
}

export type ParsedLink =
  /** `skipped`: relays the link names that this deployment does not allow (the others are used). */
  { ok: true; network: NetworkInfo; skipped: readonly string[] } | { ok: false; reason: RelayProblem } | null;

/** Reads a join link's fragment; null when the fragment is not a join link at all. */
export function parseJoinFragment(hash: string): ParsedLink {
  const q = new URLSearchParams(hash.replace(/^#/, ''));
  const id = q.get('join');
  if (id === null) return null;
  if (!NETWORK_ID.test(id)) return { ok: false, reason: problem('BAD_ID') };
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
