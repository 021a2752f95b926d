/**
 * The deployment this build was made for (issue 12, SPEC §6): the relays the
 * page's Content-Security-Policy allows, STUN servers, and whether any relay
 * on this computer is allowed too. It comes from medchain.config.json and
 * MEDCHAIN_* at build time (scripts/deploy-config.mjs, compiled in by
 * vite.config.ts), so the app offers the configured relays and can tell a
 * join link naming a relay the page would block from one it can use,
 * instead of failing later with a silent CSP violation.
 */

export interface Deployment {
  /** Relay URLs (`ws:`/`wss:`); any one introduces peers. */
  readonly relays: readonly string[];
  /** `stun:`/`stuns:` URLs for finding public addresses. */
  readonly stun: readonly string[];
  /** Whether any `ws://127.0.0.1:*` / `ws://localhost:*` relay is allowed (local use and tests). */
  readonly loopbackRelays: boolean;
}

/** The zero configuration (as scripts/deploy-config.mjs has it): the relay `npm start` runs, any loopback relay. */
export const ZERO_CONFIG_DEPLOYMENT: Deployment = Object.freeze({
  relays: Object.freeze(['ws://127.0.0.1:4444']),
  stun: Object.freeze([]),
  loopbackRelays: true,
});

/** Hosts the page's loopback CSP sources name (`ws://127.0.0.1:*`, `ws://localhost:*`). */
const LOOPBACK_HOSTS: readonly string[] = ['127.0.0.1', 'localhost'];

/**
 * The deployment compiled into this build, or the zero configuration where
 * the code was bundled without Vite's `define` (esbuild-bundled test pages).
 */
export function deployment(): Deployment {
  return typeof __MEDCHAIN_DEPLOYMENT__ === 'undefined' ? ZERO_CONFIG_DEPLOYMENT : __MEDCHAIN_DEPLOYMENT__;
}

/** The URL, or null when it does not parse. */
function parsed(url: string): URL | null {
  try {
    return new URL(url);
  } catch {
    return null;
  }
}

/**
 * May the page connect to this relay? True when its origin is one of the
 * configured relays' origins, or loopback relays are allowed and it is
 * `ws://` on 127.0.0.1 or localhost (any port): exactly what the page's
 * `connect-src` allows, so a relay that passes will not be blocked by CSP.
 * URLs with credentials are refused (a relay is named by where it is).
 */
export function relayAllowed(url: string, d: Deployment = deployment()): boolean {
  const u = parsed(url);
  if (!u || (u.protocol !== 'ws:' && u.protocol !== 'wss:')) return false;
  if (u.username !== '' || u.password !== '') return false;
  if (d.relays.some((r) => parsed(r)?.origin === u.origin)) return true;
  return d.loopbackRelays && u.protocol === 'ws:' && LOOPBACK_HOSTS.includes(u.hostname);
}
