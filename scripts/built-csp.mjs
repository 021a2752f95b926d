// What a build allows its page to connect to: the `connect-src` of the
// Content-Security-Policy <meta> tag SvelteKit wrote into index.html.
//
// Both come from one function (scripts/csp.mjs), but the meta policy is
// fixed when the app is built, while a server's header takes the
// configuration's relays when it starts. A browser enforces both, so a
// page built for other relays than the server's configuration would block
// connections the header allows (or the reverse): `medchain serve` refuses
// to start on such a build, and `npm start` rebuilds it.

import { readFile } from 'node:fs/promises';
import path from 'node:path';

/**
 * Undo the HTML attribute escaping SvelteKit applies to the policy.
 * @param {string} text
 */
function unescapeAttribute(text) {
  return text
    .replace(/&quot;/g, '"')
    .replace(/&#39;|&#x27;|&apos;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

/**
 * The `connect-src` sources of the page's <meta> Content-Security-Policy,
 * or null when the page has no such tag (or the tag has no connect-src).
 * @param {string} html
 * @returns {string[] | null}
 */
export function metaConnectSources(html) {
  for (const tag of html.matchAll(/<meta\b[^>]*>/gi)) {
    const attrs = tag[0];
    if (!/\bhttp-equiv\s*=\s*["']?content-security-policy["'\s>]/i.test(attrs)) continue;
    const content = /\bcontent\s*=\s*"([^"]*)"/i.exec(attrs) ?? /\bcontent\s*=\s*'([^']*)'/i.exec(attrs);
    if (!content) continue;
    for (const directive of unescapeAttribute(content[1] ?? '').split(';')) {
      const [name, ...sources] = directive.trim().split(/\s+/);
      if (name?.toLowerCase() === 'connect-src') return sources;
    }
  }
  return null;
}

/**
 * Do two source lists allow the same (order and repetition aside)?
 * @param {readonly string[]} a
 * @param {readonly string[]} b
 */
export function sameSources(a, b) {
  const sa = new Set(a);
  const sb = new Set(b);
  return sa.size === sb.size && [...sa].every((s) => sb.has(s));
}

/**
 * Why the build in `root` cannot be served with `expected` connect-src
 * sources, or null when it can.
 * @param {string} root the build folder
 * @param {readonly string[]} expected `connectSources(config)` of the configuration now
 * @returns {Promise<{ reason: 'missing' | 'no-policy' | 'mismatch', message: string, built: string[] | null } | null>}
 */
export async function buildMismatch(root, expected) {
  const index = path.join(root, 'index.html');
  /** @type {string} */
  let html;
  try {
    html = await readFile(index, 'utf8');
  } catch {
    return { reason: 'missing', message: `${root} has no index.html: run \`npm run build\` first`, built: null };
  }
  const built = metaConnectSources(html);
  if (built === null) {
    return {
      reason: 'no-policy',
      message: `${index} has no Content-Security-Policy <meta> tag with connect-src, so it is not a medchain build: run \`npm run build\``,
      built: null,
    };
  }
  if (sameSources(built, expected)) return null;
  const list = (/** @type {readonly string[]} */ sources) => sources.filter((s) => s !== "'self'").join(' ') || '(none)';
  return {
    reason: 'mismatch',
    message: `the build in ${root} was made for relays ${list(built)}; the configuration now says ${list(expected)}: run \`npm run build\``,
    built,
  };
}
