// The app's Content-Security-Policy, decided in one function for both places
// a browser reads it: svelte.config.js hands it to SvelteKit, which writes it
// into the built page's <meta> tag (adding the hash of its inline bootstrap
// script), and scripts/serve.mjs sends it as the header (adding the hashes
// of the inline scripts it finds in the served pages). A browser enforces
// both policies, so were they written twice, a change to one would block
// what the other allows. Plain JavaScript (typed through JSDoc) because
// svelte.config.js and the scripts load it without a compiler.

import { createHash } from 'node:crypto';
import { DEFAULT_RELAY, connectSources } from './deploy-config.mjs';

/** @typedef {NonNullable<NonNullable<import('@sveltejs/kit').KitConfig['csp']>['directives']>} KitDirectives */
/** @typedef {NonNullable<KitDirectives['connect-src']>[number]} KitSource */

/**
 * connect-src of the zero configuration (no medchain.config.json, no
 * MEDCHAIN_*): the page itself and any relay on this computer.
 */
export const ZERO_CONFIG_CONNECT = Object.freeze(connectSources({ relays: [DEFAULT_RELAY], loopbackRelays: true }));

/**
 * The policy's directives, sources written as a policy writes them
 * (keywords quoted: `'self'`), given the page's `connect-src` sources
 * (`connectSources` of the deployment configuration: itself and exactly the
 * configured relays). Everything else is fixed by the app.
 * @param {readonly string[]} connect
 * @returns {Record<string, string[]>}
 */
export function cspDirectives(connect) {
  return {
    'default-src': ["'self'"],
    // WebAssembly: the miner's kernel (issue 7) and the QR reader's ZXing (issue 14); allows no JavaScript eval.
    'script-src': ["'self'", "'wasm-unsafe-eval'"],
    'style-src': ["'self'"],
    // Inline style *attributes* only (never <style> elements): SvelteKit's
    // route announcer is rendered with a static style="..." attribute.
    'style-src-attr': ["'unsafe-inline'"],
    'connect-src': [...connect],
    'img-src': ["'self'", 'data:', 'blob:'],
    'object-src': ["'none'"],
    'base-uri': ["'self'"],
    // Only effective as an HTTP header: browsers ignore it in a <meta> tag, and SvelteKit leaves it out there.
    'frame-ancestors': ["'none'"],
  };
}

/**
 * The directives as SvelteKit's `kit.csp.directives` takes them: keywords
 * without their quotes, which SvelteKit puts back when it writes the tag.
 * @param {Record<string, string[]>} directives from {@link cspDirectives}
 * @returns {KitDirectives}
 */
export function kitDirectives(directives) {
  const unquote = (/** @type {string} */ source) => /** @type {KitSource} */ (source.replace(/^'(.*)'$/, '$1'));
  return /** @type {KitDirectives} */ (Object.fromEntries(Object.entries(directives).map(([name, sources]) => [name, sources.map(unquote)])));
}

/**
 * The header value: the directives of {@link cspDirectives} for `connect`,
 * with `scriptHashes` (e.g. `'sha256-…'` of the served pages' inline
 * scripts, {@link inlineScriptHashes}) added to script-src, as SvelteKit
 * adds its bootstrap script's hash to the <meta> policy.
 * @param {readonly string[]} [scriptHashes]
 * @param {readonly string[]} [connect] by default the zero configuration's
 * @returns {string}
 */
export function contentSecurityPolicy(scriptHashes = [], connect = ZERO_CONFIG_CONNECT) {
  const directives = cspDirectives(connect);
  directives['script-src'] = [...(directives['script-src'] ?? []), ...scriptHashes];
  return Object.entries(directives)
    .map(([name, sources]) => [name, ...sources].join(' '))
    .join('; ');
}

/**
 * sha256 sources for every inline (src-less) <script> in an HTML document,
 * computed as browsers do (over the raw text, CRLF normalised to LF), so the
 * header allows exactly the inline scripts the build wrote and no other.
 * @param {string} html
 * @returns {string[]}
 */
export function inlineScriptHashes(html) {
  /** @type {string[]} */
  const hashes = [];
  for (const match of html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script\s*>/gi)) {
    const attrs = match[1] ?? '';
    const body = match[2] ?? '';
    if (/\bsrc\s*=/i.test(attrs) || body.length === 0) continue;
    const digest = createHash('sha256').update(body.replace(/\r\n?/g, '\n'), 'utf8').digest('base64');
    const source = `'sha256-${digest}'`;
    if (!hashes.includes(source)) hashes.push(source);
  }
  return hashes;
}
