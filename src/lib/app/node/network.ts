/**
 * Which network this profile runs (issue 6, SPEC §6): its id, the relay
 * that introduces peers, and its genesis block (founders and all, a few
 * hundred bytes). A join link carries all three in the URL fragment, which
 * never reaches a server: `#join=<id>&relay=<ws url>&genesis=<base64>`.
 * Parameters are medchain's defaults under the network's own id.
 */
import { type Block, decodeBlock, encodeBlock } from '../../core/block';
import { fromBase64, toBase64 } from '../../core/base64';
import { type ChainParams, DEFAULT_PARAMS } from '../../core/params';

/** Where `npm start` runs the relay (scripts/start.mjs). */
export const DEFAULT_RELAY = 'ws://127.0.0.1:4444';

export interface NetworkInfo {
  readonly id: string;
  readonly relayUrl: string;
  readonly genesis: Block;
}

const ID = /^[a-z0-9][a-z0-9-]{2,62}$/;

/** The chain parameters of network `id`. */
export function paramsFor(id: string): ChainParams {
  return Object.freeze({ ...DEFAULT_PARAMS, id });
}

/** The fragment (with `#`) of a link that joins `net`. */
export function joinFragment(net: NetworkInfo): string {
  const q = new URLSearchParams({ join: net.id, relay: net.relayUrl, genesis: toBase64(encodeBlock(net.genesis)) });
  return `#${q.toString()}`;
}

/** Why `url` cannot be a relay address (a ws:// or wss:// URL), or null when it can. */
export function relayProblem(url: string): string | null {
  return /^wss?:\/\/\S+$/.test(url) ? null : 'The relay address must be a ws:// or wss:// address.';
}

export type ParsedLink = { ok: true; network: NetworkInfo } | { ok: false; reason: string } | null;

/** Reads a join link's fragment; null when the fragment is not a join link at all. */
export function parseJoinFragment(hash: string): ParsedLink {
  const q = new URLSearchParams(hash.replace(/^#/, ''));
  const id = q.get('join');
  if (id === null) return null;
  if (!ID.test(id)) return { ok: false, reason: 'The network id in the link is not valid.' };
  const relayUrl = q.get('relay') ?? DEFAULT_RELAY;
  if (relayProblem(relayUrl)) return { ok: false, reason: 'The relay address in the link is not a ws:// or wss:// address.' };
  const bytes = fromBase64(q.get('genesis') ?? '');
  if (!bytes) return { ok: false, reason: 'The link does not carry the network’s first block.' };
  try {
    const genesis = decodeBlock(bytes);
    if (genesis.header.height !== 0) return { ok: false, reason: 'The block in the link is not a first block.' };
    return { ok: true, network: { id, relayUrl, genesis } };
  } catch {
    return { ok: false, reason: 'The network’s first block in the link is damaged.' };
  }
}

/** The remembered network as stored in localStorage (public data only: id, relay, genesis). */
export function encodeSaved(net: NetworkInfo): string {
  return JSON.stringify({ id: net.id, relayUrl: net.relayUrl, genesis: toBase64(encodeBlock(net.genesis)) });
}

export function decodeSaved(text: string | null): NetworkInfo | null {
  if (!text) return null;
  try {
    const o = JSON.parse(text) as { id?: unknown; relayUrl?: unknown; genesis?: unknown };
    const parsed = parseJoinFragment(`#${new URLSearchParams({ join: String(o.id), relay: String(o.relayUrl), genesis: String(o.genesis) })}`);
    return parsed?.ok ? parsed.network : null;
  } catch {
    return null;
  }
}
