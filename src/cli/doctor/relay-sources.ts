/**
 * Which of the page's `connect-src` sources are relays the doctor should
 * dial. The build writes `'self'`, each configured relay's origin and, in
 * the zero configuration, `ws://127.0.0.1:*` / `ws://localhost:*` for relays
 * on the visitor's own computer (scripts/deploy-config.mjs). Anything else is
 * worth a word: a wildcard cannot be dialled and allows more than the
 * deployment's relays; an `https:` source is not a relay at all (SPEC §9:
 * "connections only to itself and the configured relay").
 */
import { isLoopbackHost } from '../../../scripts/deploy-config.mjs';

export type SourceKind =
  | { readonly kind: 'self' }
  /** Any port on this computer: the zero configuration's relays; nothing to dial. */
  | { readonly kind: 'loopback-wildcard' }
  | { readonly kind: 'relay'; readonly url: string; readonly secure: boolean; readonly loopback: boolean }
  | { readonly kind: 'other'; readonly source: string; readonly reason: string };

const WS_SOURCE = /^(wss?):\/\/([^/:]+|\[[0-9a-f:.]+\])(?::(\d{1,5}|\*))?(\/.*)?$/i;

/** What one `connect-src` source is. */
export function classifySource(source: string): SourceKind {
  if (source.toLowerCase() === "'self'") return { kind: 'self' };
  const m = WS_SOURCE.exec(source);
  if (!m) {
    if (/^wss?:$/i.test(source) || source === '*')
      return { kind: 'other', source, reason: "allows every relay host, not just the deployment's: list the relays instead" };
    return { kind: 'other', source, reason: 'is not a relay (the page needs only itself and its relays)' };
  }
  const scheme = m[1]!.toLowerCase();
  const host = m[2]!;
  const loopback = isLoopbackHost(host);
  if (m[3] === '*') {
    if (loopback) return { kind: 'loopback-wildcard' };
    return { kind: 'other', source, reason: 'has a wildcard port and cannot be checked' };
  }
  if (host.includes('*')) return { kind: 'other', source, reason: 'is a wildcard and cannot be checked; list the relays instead' };
  return { kind: 'relay', url: source, secure: scheme === 'wss', loopback };
}
