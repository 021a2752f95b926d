// The static server of the built app (the `build/` folder adapter-static
// writes), for `medchain serve`, `npm start` and the browser tests. sirv
// serves the files; this module adds what sirv leaves to its caller:
//
// - sirv's production mode indexes the folder once, so a request is a lookup
//   in that index and no request path ever reaches the file system (no `..`,
//   encoded or not, can leave the folder; dotfiles are not indexed). A folder
//   holding a symbolic link is refused, since sirv would follow it. After
//   files change, `reload()` indexes again (`medchain serve` is restarted).
// - GET and HEAD only (405 otherwise); a request target that is not a path
//   is 400. Range requests are answered in full, as before sirv.
// - SPA: a path without a file extension that names no file gets index.html;
//   a missing asset, or anything missing under /_app/, is 404.
// - Security headers on every response: the Content-Security-Policy of
//   scripts/csp.mjs (the function that wrote the build's <meta> policy) with
//   the deployment's relays and the hashes of the pages' inline scripts,
//   and, over TLS, Strict-Transport-Security.
// - Content-hashed files under /_app/immutable/ are cached for a year;
//   everything else (index.html, the service worker, version.json, the
//   manifest) is revalidated, so a new build is seen.

import { readdirSync, readFileSync } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import { createServer } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import path from 'node:path';
import sirv from 'sirv';
import { ZERO_CONFIG_CONNECT, contentSecurityPolicy, inlineScriptHashes } from './csp.mjs';

/** One year: browsers then refuse plain HTTP to this host, so no one can strip TLS. */
const HSTS = 'max-age=31536000';

/** SvelteKit's build output: content-hashed names under immutable/; no page lives under /_app/, so no SPA fallback there. */
const APP_ASSETS = /^\/_app\//;
const IMMUTABLE = '/_app/immutable/';

/** The code of the error a folder sirv must not serve gives (`medchain serve` reports it in one line). */
export const UNSERVABLE_FOLDER = 'EMEDCHAINFOLDER';

/**
 * What a handler needs besides its root.
 * @typedef {object} HandlerOptions
 * @property {readonly string[]} [connectSources] connect-src sources (`connectSources(config)`; default: the zero configuration's)
 * @property {boolean} [tls] whether responses travel over TLS (then HSTS is sent)
 */

/**
 * A look at the folder before sirv indexes it: the inline scripts of its
 * pages (for the policy's hashes) and whether it has index.html. Refuses a
 * symbolic link anywhere in it: sirv follows links, so one could lead out of
 * the folder (or round in a loop), and a build never holds one.
 * @param {string} root real, absolute path of the folder
 * @returns {{ scriptHashes: string[], hasIndex: boolean }}
 */
function inspectFolder(root) {
  const hashes = new Set();
  let hasIndex = false;
  for (const entry of readdirSync(root, { recursive: true, withFileTypes: true })) {
    const file = path.join(entry.parentPath, entry.name);
    if (entry.isSymbolicLink()) {
      const error = new Error(`${file} is a symbolic link; a served folder may hold only files and folders`);
      throw Object.assign(error, { code: UNSERVABLE_FOLDER });
    }
    if (!entry.isFile() || !/\.html?$/i.test(entry.name)) continue;
    if (file === path.join(root, 'index.html')) hasIndex = true;
    for (const hash of inlineScriptHashes(readFileSync(file, 'utf8'))) hashes.add(hash);
  }
  return { scriptHashes: [...hashes], hasIndex };
}

/**
 * Headers sent with every response.
 * @param {string} policy the Content-Security-Policy
 * @param {boolean} tls
 * @returns {Record<string, string>}
 */
function securityHeaders(policy, tls) {
  return {
    'Content-Security-Policy': policy,
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Resource-Policy': 'same-origin',
    'X-Frame-Options': 'DENY',
    // Over plain HTTP the header is meaningless (and ignored); over TLS it pins TLS.
    ...(tls ? { 'Strict-Transport-Security': HSTS } : {}),
  };
}

/**
 * A short plain-text answer (errors); the security headers are already set.
 * @param {import('node:http').ServerResponse} res
 * @param {number} status
 * @param {string} message
 * @param {Record<string, string>} [extra]
 */
function sendText(res, status, message, extra = {}) {
  const body = Buffer.from(message + '\n', 'utf8');
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': String(body.length), 'Cache-Control': 'no-store', ...extra });
  res.end(body); // Node sends no body in answer to HEAD
}

/**
 * sirv's handler over the folder as it is now, and the headers that go with it.
 * @param {string} root
 * @param {Required<HandlerOptions>} options
 */
function indexFolder(root, options) {
  const { scriptHashes, hasIndex } = inspectFolder(root);
  const notFound = hasIndex ? 'Not Found' : 'Not Found (no index.html in the served folder; run `npm run build`)';
  const files = sirv(root, {
    single: true,
    ignores: [APP_ASSETS],
    setHeaders: (res, pathname) => res.setHeader('Cache-Control', pathname.startsWith(IMMUTABLE) ? 'public, max-age=31536000, immutable' : 'no-cache'),
    onNoMatch: (_req, res) => sendText(res, 404, notFound),
  });
  return { files, headers: securityHeaders(contentSecurityPolicy(scriptHashes, options.connectSources), options.tls) };
}

/**
 * The request handler for a folder, and `reload` to index it again after
 * its files changed (a new build written into it).
 * @param {string} root real, absolute path of the folder to serve
 * @param {HandlerOptions} [options]
 * @returns {{ handle: (req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse) => void, reload: () => void }}
 */
export function createHandler(root, { connectSources = ZERO_CONFIG_CONNECT, tls = false } = {}) {
  /** @type {Required<HandlerOptions>} */
  const options = { connectSources: [...connectSources], tls };
  let current = indexFolder(root, options);
  return {
    reload: () => {
      current = indexFolder(root, options);
    },
    handle: (req, res) => {
      for (const [name, value] of Object.entries(current.headers)) res.setHeader(name, value);
      if (req.method !== 'GET' && req.method !== 'HEAD') return sendText(res, 405, 'Method Not Allowed', { Allow: 'GET, HEAD' });
      if (!req.url?.startsWith('/')) return sendText(res, 400, 'Bad Request');
      // sirv's Range parsing mishandles suffix and reversed ranges; a whole file is always a valid answer.
      delete req.headers.range;
      // sirv pipes a read stream without listening for its errors (a file removed since indexing): end this answer, not the process.
      res.once('pipe', (source) => source.once('error', () => res.destroy()));
      try {
        current.files(req, res);
      } catch (error) {
        console.error('serve: internal error', error);
        if (res.headersSent) res.destroy();
        else sendText(res, 500, 'Internal Server Error');
      }
    },
  };
}

/**
 * Start a static file server: over HTTPS when `tls` is given (PEM text or
 * bytes of the certificate chain and its private key), else plain HTTP.
 * `reload()` indexes the folder again after its files changed.
 * @param {{ root?: string, host?: string, port?: number, tls?: { cert: string | Buffer, key: string | Buffer }, connectSources?: readonly string[] }} [options]
 * @returns {Promise<{ server: import('node:http').Server, url: string, reload: () => void }>}
 */
export async function startStaticServer({ root = 'build', host = '127.0.0.1', port = 5173, tls, connectSources = ZERO_CONFIG_CONNECT } = {}) {
  const realRoot = await realpath(path.resolve(root));
  if (!(await stat(realRoot)).isDirectory()) throw new Error(`serve: root is not a directory: ${realRoot}`);

  const { handle, reload } = createHandler(realRoot, { connectSources, tls: tls !== undefined });
  /** @type {import('node:http').Server} */
  const server = tls ? createTlsServer({ cert: tls.cert, key: tls.key }, handle) : createServer(handle);
  server.headersTimeout = 10_000;
  server.requestTimeout = 30_000;

  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve(undefined);
    });
  });

  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('serve: unexpected server address');
  const hostForUrl = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return { server, url: `${tls ? 'https' : 'http'}://${hostForUrl}:${address.port}/`, reload };
}

/**
 * A port number option (`npm start --port`, PORT), or `fallback` when unset.
 * @param {string | undefined} value
 * @param {number} fallback
 * @returns {number}
 */
export function parsePort(value, fallback) {
  if (value === undefined || value === '') return fallback;
  if (!/^\d+$/.test(value)) throw new Error(`invalid port: ${value}`);
  const port = Number(value);
  if (port > 65535) throw new Error(`invalid port: ${value}`);
  return port;
}
