/**
 * Who a relay client is, for the per-address cap (limits.ts
 * `maxClientsPerAddress`): one host must not take every slot of the relay.
 * Pure functions over address text, so the rules are tested without sockets.
 *
 * - The address is the TCP peer's, except behind a trusted reverse proxy on
 *   the same machine (Caddy in deploy/Caddyfile), which every client reaches
 *   the relay through: then it is the last `X-Forwarded-For` entry, the one
 *   the proxy appended. Earlier entries are written by the client and could
 *   be anything, so they are never read.
 * - An IPv4-mapped IPv6 address (`::ffff:1.2.3.4`, what a dual-stack socket
 *   reports for an IPv4 peer) is the IPv4 address, so one host cannot count
 *   under two names.
 * - An IPv6 address counts under its /64: a single host (SLAAC privacy
 *   addresses, or an attacker binding at will) holds a whole /64, so a cap
 *   per exact IPv6 address would be no cap at all. A site's LAN is one /64,
 *   exactly as it is one address behind an IPv4 NAT.
 */
import { isIPv4, isIPv6 } from 'node:net';

/** The key of a peer whose address is missing or unreadable (a socket already gone). */
export const UNKNOWN_ADDRESS = 'unknown';

/** The eight 16-bit groups of a valid IPv6 address (any `::` expanded, a dotted IPv4 tail split in two). */
function ipv6Groups(ip: string): number[] {
  let text = ip;
  const tail: number[] = [];
  const lastColon = text.lastIndexOf(':');
  const last = text.slice(lastColon + 1);
  if (last.includes('.')) {
    const [a, b, c, d] = last.split('.').map(Number) as [number, number, number, number];
    tail.push((a << 8) | b, (c << 8) | d);
    text = text.slice(0, lastColon + 1);
  }
  const parts = (s: string | undefined) => (s ?? '').split(':').filter((g) => g !== '');
  const [head, rest] = text.split('::');
  const before = parts(head);
  const after = [...parts(rest).map((g) => parseInt(g, 16)), ...tail];
  const zeros = 8 - before.length - after.length;
  return [...before.map((g) => parseInt(g, 16)), ...new Array<number>(Math.max(0, zeros)).fill(0), ...after];
}

/**
 * One spelling per address, or null when `text` is not an IP address:
 * IPv4 as dotted decimal, an IPv4-mapped IPv6 address as its IPv4 form, any
 * other IPv6 address as eight lower-case hex groups (no `::`, no zone).
 */
export function normaliseAddress(text: string): string | null {
  const ip = text.trim();
  if (isIPv4(ip)) return ip;
  const bare = ip.split('%')[0]!; // a zone (`fe80::1%eth0`) names an interface, not a host
  if (!isIPv6(bare)) return null;
  const g = ipv6Groups(bare);
  if (g.slice(0, 5).every((x) => x === 0) && g[5] === 0xffff) {
    return [g[6]! >> 8, g[6]! & 0xff, g[7]! >> 8, g[7]! & 0xff].join('.');
  }
  return g.map((x) => x.toString(16)).join(':');
}

/** Loopback: 127.0.0.0/8 or ::1 (a normalised address). Only a loopback peer may speak for others as a proxy. */
export function isLoopback(address: string): boolean {
  return address.startsWith('127.') || address === '0:0:0:0:0:0:0:1';
}

/** What a client counts under: its IPv4 address, or its IPv6 /64 (see the file's comment for why). */
export function addressKey(address: string): string {
  if (!address.includes(':')) return address;
  return `${address.split(':').slice(0, 4).join(':')}::/64`;
}

/** One `X-Forwarded-For` entry as an address: plain, `[v6]`, `[v6]:port` or `v4:port` (some proxies add the port). */
function forwardedEntry(entry: string): string | null {
  const e = entry.trim();
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(e);
  if (bracketed) return normaliseAddress(bracketed[1]!);
  const v4WithPort = /^(\d{1,3}(?:\.\d{1,3}){3}):\d+$/.exec(e);
  return normaliseAddress(v4WithPort ? v4WithPort[1]! : e);
}

/**
 * The normalised address a client is counted by. `peer` is the TCP peer
 * (`req.socket.remoteAddress`); `forwardedFor` is the `X-Forwarded-For`
 * header (Node joins repeated headers with commas). It is read only when
 * `trustProxy` is on *and* the peer is loopback — a proxy elsewhere, or a
 * client connecting directly, cannot choose the address it counts under —
 * and only its last entry, the one the proxy itself appended. A trusted
 * proxy that sent no readable entry leaves the client counted as the proxy:
 * a misconfigured proxy then shows as clients refused with PER_ADDRESS, not
 * as a relay that trusts what clients write.
 */
export function clientAddress(peer: string | undefined, forwardedFor: string | string[] | undefined, trustProxy: boolean): string {
  const direct = peer === undefined ? null : normaliseAddress(peer);
  if (direct === null) return UNKNOWN_ADDRESS;
  if (!trustProxy || !isLoopback(direct) || forwardedFor === undefined) return direct;
  const header = Array.isArray(forwardedFor) ? forwardedFor.join(',') : forwardedFor;
  return forwardedEntry(header.split(',').pop() ?? '') ?? direct;
}
