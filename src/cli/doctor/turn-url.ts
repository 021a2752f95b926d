/**
 * TURN URLs (RFC 7065: `turn:host[:port][?transport=udp|tcp]`, `turns:` for
 * TLS) as a relay hands them out, read far enough for the doctor to pick
 * the one it can test: the first plain `turn:` URL over UDP, which is what a
 * browser tries first when a direct link fails.
 */

export interface TurnUrl {
  readonly url: string;
  /** `turns:` (TURN over TLS). */
  readonly secure: boolean;
  /** Host name or address; IPv6 without its brackets. */
  readonly host: string;
  readonly port: number;
  /** The `transport` parameter, or null when absent (then UDP for `turn:`, TCP for `turns:`). */
  readonly transport: 'udp' | 'tcp' | null;
}

const TURN_URL = /^(turns?):(\[[0-9A-Fa-f:.]+\]|[^\s:?[\]/]+)(?::(\d{1,5}))?(?:\?transport=(udp|tcp))?$/;

/** A TURN URL's parts, or null when it is not one. */
export function parseTurnUrl(url: string): TurnUrl | null {
  const m = TURN_URL.exec(url);
  if (!m) return null;
  const secure = m[1] === 'turns';
  const port = m[3] === undefined ? (secure ? 5349 : 3478) : Number(m[3]);
  if (port < 1 || port > 65535) return null;
  const rawHost = m[2]!;
  const host = rawHost.startsWith('[') ? rawHost.slice(1, -1) : rawHost;
  const transport = m[4] === 'udp' || m[4] === 'tcp' ? m[4] : null;
  return { url, secure, host, port, transport };
}

/** The first `turn:` URL over UDP (explicitly or by default), or null. */
export function firstUdpTurnUrl(urls: readonly string[]): TurnUrl | null {
  for (const url of urls) {
    const parsed = parseTurnUrl(url);
    if (parsed && !parsed.secure && parsed.transport !== 'tcp') return parsed;
  }
  return null;
}
