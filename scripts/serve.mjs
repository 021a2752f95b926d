#!/usr/bin/env node
// A tiny, dependency-free static file server for the built medchain app
// (the `build/` folder written by adapter-static).
//
// - GET and HEAD only (405 otherwise).
// - Paths are decoded once, rejected if they contain NUL, a backslash or a
//   `..` segment (encoded or not), then resolved and checked to stay inside
//   the root (symlinks are resolved too).
// - Unknown paths without a file extension fall back to index.html (SPA);
//   unknown paths with an extension are 404.
// - Security headers on every response; the Content-Security-Policy header
//   allows exactly the inline scripts present in the HTML being served (by
//   sha256), so SvelteKit's bootstrap script runs and nothing else inline does,
//   and connections to exactly the deployment's relays (connectSources of
//   scripts/deploy-config.mjs, the same sources the build's <meta> tag has).
// - Over TLS (the `tls` option, used by `medchain serve --tls-cert/--tls-key`)
//   it also sends Strict-Transport-Security.
//
// Usage: node scripts/serve.mjs [--host 127.0.0.1] [--port 5173] [--root build]
//        (--port 0 picks any free port; relays from the deployment configuration)

import { createHash } from 'node:crypto';
import { createReadStream, realpathSync } from 'node:fs';
import { readFile, realpath, stat } from 'node:fs/promises';
import { createServer } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { connectSources, loadDeploymentConfig } from './deploy-config.mjs';

/** @type {Readonly<Record<string, string>>} */
export const MIME_TYPES = Object.freeze({
	'.html': 'text/html; charset=utf-8',
	'.htm': 'text/html; charset=utf-8',
	'.js': 'text/javascript; charset=utf-8',
	'.mjs': 'text/javascript; charset=utf-8',
	'.css': 'text/css; charset=utf-8',
	'.svg': 'image/svg+xml',
	'.png': 'image/png',
	'.jpg': 'image/jpeg',
	'.jpeg': 'image/jpeg',
	'.gif': 'image/gif',
	'.webp': 'image/webp',
	'.ico': 'image/x-icon',
	'.webmanifest': 'application/manifest+json',
	'.json': 'application/json; charset=utf-8',
	'.map': 'application/json; charset=utf-8',
	'.wasm': 'application/wasm',
	'.txt': 'text/plain; charset=utf-8',
	'.woff2': 'font/woff2'
});

/**
 * The app's Content-Security-Policy; the same directives as `csp` in
 * svelte.config.js (which SvelteKit writes into a <meta> tag), kept here so
 * this server needs no packages. A unit test checks that they agree.
 * `connect-src` here is the zero configuration's (loopback relays only);
 * {@link contentSecurityPolicy} takes the deployment's sources instead.
 * @type {Readonly<Record<string, readonly string[]>>}
 */
export const CSP_DIRECTIVES = Object.freeze({
	'default-src': ["'self'"],
	// 'wasm-unsafe-eval' lets the miner's worker compile its WebAssembly kernel (issue 7); it allows no JavaScript eval.
	'script-src': ["'self'", "'wasm-unsafe-eval'"],
	'style-src': ["'self'"],
	// SvelteKit's route announcer has a static style="..." attribute.
	'style-src-attr': ["'unsafe-inline'"],
	'connect-src': ["'self'", 'ws://127.0.0.1:*', 'ws://localhost:*'],
	'img-src': ["'self'", 'data:', 'blob:'],
	'object-src': ["'none'"],
	'base-uri': ["'self'"],
	// Only effective as an HTTP header; browsers ignore it in a <meta> tag.
	'frame-ancestors': ["'none'"]
});

/** connect-src of the zero configuration: the page itself and any loopback relay. */
const DEFAULT_CONNECT_SOURCES = CSP_DIRECTIVES['connect-src'] ?? ["'self'"];

/**
 * Build the Content-Security-Policy header value.
 * @param {readonly string[]} [scriptHashes] extra script-src sources, e.g. `'sha256-…'`
 * @param {readonly string[]} [connect] the connect-src sources (`connectSources(config)`);
 *   by default the zero configuration's
 * @returns {string}
 */
export function contentSecurityPolicy(scriptHashes = [], connect = DEFAULT_CONNECT_SOURCES) {
	return Object.entries(CSP_DIRECTIVES)
		.map(([name, sources]) => {
			const all = name === 'script-src' ? [...sources, ...scriptHashes] : name === 'connect-src' ? connect : sources;
			return [name, ...all].join(' ');
		})
		.join('; ');
}

/**
 * What a handler needs besides its root.
 * @typedef {object} HandlerOptions
 * @property {readonly string[]} [connectSources] connect-src sources (default: the zero configuration's)
 * @property {boolean} [tls] whether responses travel over TLS (then HSTS is sent)
 */

/** One year: browsers then refuse plain HTTP to this host, so no one can strip TLS. */
const HSTS = 'max-age=31536000';

/**
 * sha256 sources for every inline (src-less) <script> in an HTML document,
 * computed the way browsers do (over the raw text, CRLF normalised to LF).
 * @param {string} html
 * @returns {string[]}
 */
export function inlineScriptHashes(html) {
	/** @type {string[]} */
	const hashes = [];
	const re = /<script\b([^>]*)>([\s\S]*?)<\/script\s*>/gi;
	for (const match of html.matchAll(re)) {
		const attrs = match[1] ?? '';
		const body = match[2] ?? '';
		if (/\bsrc\s*=/i.test(attrs) || body.length === 0) continue;
		const text = body.replace(/\r\n?/g, '\n');
		const digest = createHash('sha256').update(text, 'utf8').digest('base64');
		const source = `'sha256-${digest}'`;
		if (!hashes.includes(source)) hashes.push(source);
	}
	return hashes;
}

/**
 * Headers sent with every response.
 * @param {Required<HandlerOptions>} options
 * @param {readonly string[]} [scriptHashes]
 * @returns {Record<string, string>}
 */
function securityHeaders(options, scriptHashes = []) {
	return {
		'Content-Security-Policy': contentSecurityPolicy(scriptHashes, options.connectSources),
		'X-Content-Type-Options': 'nosniff',
		'Referrer-Policy': 'no-referrer',
		'Cross-Origin-Opener-Policy': 'same-origin',
		'Cross-Origin-Resource-Policy': 'same-origin',
		'X-Frame-Options': 'DENY',
		// Over plain HTTP the header is meaningless (and ignored); over TLS it pins TLS.
		...(options.tls ? { 'Strict-Transport-Security': HSTS } : {})
	};
}

/**
 * @param {string} urlPath the decoded path, starting with '/'
 * @param {boolean} isHtml
 * @returns {string}
 */
function cacheControl(urlPath, isHtml) {
	// Content-hashed file names: never change, cache for a year.
	if (urlPath.startsWith('/_app/immutable/') && !isHtml) return 'public, max-age=31536000, immutable';
	// Everything else (index.html, the service worker, the manifest,
	// _app/version.json, favicon): always revalidate so updates are seen.
	return 'no-cache';
}

/**
 * Turn the request target into a safe, decoded path, or null if it must be
 * refused (400).
 * @param {string} target the raw request target, e.g. "/a/b.js?x=1"
 * @returns {string | null}
 */
export function safeDecodePath(target) {
	if (!target.startsWith('/')) return null;
	const raw = target.split(/[?#]/, 1)[0] ?? '/';
	// Reject encoded separators and dots outright: nothing in a build needs them.
	if (/%(2e|2f|5c|00)/i.test(raw)) return null;
	let decoded;
	try {
		decoded = decodeURIComponent(raw);
	} catch {
		return null;
	}
	if (decoded.includes('\0') || decoded.includes('\\')) return null;
	const segments = decoded.split('/');
	if (segments.some((s) => s === '..' || s === '.')) return null;
	return decoded;
}

/**
 * Is `child` the directory `parent` or inside it?
 * @param {string} parent an absolute, resolved directory
 * @param {string} child an absolute, resolved path
 */
function isInside(parent, child) {
	const rel = path.relative(parent, child);
	return rel === '' || (rel !== '..' && !rel.startsWith('..' + path.sep) && !path.isAbsolute(rel));
}

/**
 * Resolve a decoded URL path to a regular file under root, following
 * symlinks only if they stay under root.
 * @param {string} root real path of the root directory
 * @param {string} urlPath
 * @returns {Promise<{ file: string, size: number, mtime: Date } | null>}
 */
async function findFile(root, urlPath) {
	let candidate = path.resolve(root, '.' + urlPath);
	if (!isInside(root, candidate)) return null;
	try {
		let info = await stat(candidate);
		if (info.isDirectory()) {
			candidate = path.join(candidate, 'index.html');
			info = await stat(candidate);
		}
		if (!info.isFile()) return null;
		const real = await realpath(candidate);
		if (!isInside(root, real)) return null;
		return { file: real, size: info.size, mtime: info.mtime };
	} catch {
		return null;
	}
}

/**
 * @param {Required<HandlerOptions>} options
 * @param {import('node:http').ServerResponse} res
 * @param {number} status
 * @param {string} message
 * @param {Record<string, string>} [extra]
 * @param {boolean} [head]
 */
function sendText(options, res, status, message, extra = {}, head = false) {
	const body = Buffer.from(message + '\n', 'utf8');
	res.writeHead(status, {
		...securityHeaders(options),
		'Content-Type': 'text/plain; charset=utf-8',
		'Content-Length': String(body.length),
		'Cache-Control': 'no-store',
		...extra
	});
	res.end(head ? undefined : body);
}

/**
 * Create the request handler for a root directory.
 * @param {string} root real, absolute path of the directory to serve
 * @param {HandlerOptions} [options]
 * @returns {(req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse) => void}
 */
export function createHandler(root, { connectSources = DEFAULT_CONNECT_SOURCES, tls = false } = {}) {
	/** @type {Required<HandlerOptions>} */
	const options = { connectSources: [...connectSources], tls };
	return (req, res) => {
		handle(root, options, req, res).catch((error) => {
			console.error('serve: internal error', error);
			if (!res.headersSent) sendText(options, res, 500, 'Internal Server Error');
			else res.destroy();
		});
	};
}

/**
 * @param {string} root
 * @param {Required<HandlerOptions>} options
 * @param {import('node:http').IncomingMessage} req
 * @param {import('node:http').ServerResponse} res
 */
async function handle(root, options, req, res) {
	const method = req.method ?? 'GET';
	const head = method === 'HEAD';
	if (method !== 'GET' && !head) {
		sendText(options, res, 405, 'Method Not Allowed', { Allow: 'GET, HEAD' });
		return;
	}

	const urlPath = safeDecodePath(req.url ?? '/');
	if (urlPath === null) {
		sendText(options, res, 400, 'Bad Request', {}, head);
		return;
	}

	let found = await findFile(root, urlPath);
	let servedPath = urlPath;
	if (!found) {
		// SPA fallback: only for "page" paths, never for missing assets.
		if (path.posix.extname(urlPath) !== '') {
			sendText(options, res, 404, 'Not Found', {}, head);
			return;
		}
		found = await findFile(root, '/index.html');
		servedPath = '/index.html';
		if (!found) {
			sendText(options, res, 404, 'Not Found (no index.html in the served folder; run `npm run build`)', {}, head);
			return;
		}
	}

	const ext = path.extname(found.file).toLowerCase();
	const type = MIME_TYPES[ext] ?? 'application/octet-stream';
	const isHtml = ext === '.html' || ext === '.htm';

	if (isHtml) {
		// Read HTML fully so the CSP can list the hashes of its inline scripts.
		const body = await readFile(found.file);
		res.writeHead(200, {
			...securityHeaders(options, inlineScriptHashes(body.toString('utf8'))),
			'Content-Type': type,
			'Content-Length': String(body.length),
			'Cache-Control': cacheControl(servedPath, true)
		});
		res.end(head ? undefined : body);
		return;
	}

	res.writeHead(200, {
		...securityHeaders(options),
		'Content-Type': type,
		'Content-Length': String(found.size),
		'Last-Modified': found.mtime.toUTCString(),
		'Cache-Control': cacheControl(servedPath, false)
	});
	if (head) {
		res.end();
		return;
	}
	const stream = createReadStream(found.file);
	stream.on('error', () => res.destroy());
	stream.pipe(res);
}

/**
 * Start a static file server: over HTTPS when `tls` is given (PEM text or
 * bytes of the certificate chain and its private key), else plain HTTP.
 * @param {{ root?: string, host?: string, port?: number, tls?: { cert: string | Buffer, key: string | Buffer }, connectSources?: readonly string[] }} [options]
 * @returns {Promise<{ server: import('node:http').Server, url: string }>}
 */
export async function startStaticServer({ root = 'build', host = '127.0.0.1', port = 5173, tls, connectSources = DEFAULT_CONNECT_SOURCES } = {}) {
	const realRoot = await realpath(path.resolve(root));
	const info = await stat(realRoot);
	if (!info.isDirectory()) throw new Error(`serve: root is not a directory: ${realRoot}`);

	const handler = createHandler(realRoot, { connectSources, tls: tls !== undefined });
	/** @type {import('node:http').Server} */
	const server = tls ? createTlsServer({ cert: tls.cert, key: tls.key }, handler) : createServer(handler);
	server.headersTimeout = 10_000;
	server.requestTimeout = 30_000;

	await new Promise((resolve, reject) => {
		/** @param {Error} error */
		const onError = (error) => reject(error);
		server.once('error', onError);
		server.listen(port, host, () => {
			server.off('error', onError);
			resolve(undefined);
		});
	});

	const address = server.address();
	if (address === null || typeof address === 'string') {
		throw new Error('serve: unexpected server address');
	}
	const hostForUrl = address.family === 'IPv6' ? `[${address.address}]` : address.address;
	return { server, url: `${tls ? 'https' : 'http'}://${hostForUrl}:${address.port}/` };
}

/**
 * Parse `--name value` / `--name=value` options.
 * @param {string[]} argv
 * @returns {Record<string, string>}
 */
export function parseArgs(argv) {
	/** @type {Record<string, string>} */
	const out = {};
	for (let i = 0; i < argv.length; i++) {
		const arg = argv[i] ?? '';
		if (!arg.startsWith('--')) throw new Error(`unexpected argument: ${arg}`);
		const eq = arg.indexOf('=');
		if (eq !== -1) {
			out[arg.slice(2, eq)] = arg.slice(eq + 1);
		} else {
			const value = argv[i + 1];
			if (value === undefined || value.startsWith('--')) throw new Error(`missing value for ${arg}`);
			out[arg.slice(2)] = value;
			i++;
		}
	}
	return out;
}

/**
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

async function main() {
	const args = parseArgs(process.argv.slice(2));
	for (const key of Object.keys(args)) {
		if (!['host', 'port', 'root'].includes(key)) throw new Error(`unknown option: --${key}`);
	}
	const config = loadDeploymentConfig();
	for (const warning of config.warnings) console.error(`serve: warning: ${warning}`);
	const { server, url } = await startStaticServer({
		host: args.host ?? '127.0.0.1',
		port: parsePort(args.port, 5173),
		root: args.root ?? 'build',
		connectSources: connectSources(config)
	});
	console.log(`serving ${path.resolve(args.root ?? 'build')} at ${url}`);
	const stop = () => {
		server.close(() => process.exit(0));
		server.closeAllConnections();
	};
	process.once('SIGINT', stop);
	process.once('SIGTERM', stop);
}

/** True when this file is the script node was asked to run (not imported). */
function invokedDirectly() {
	const script = process.argv[1];
	if (script === undefined) return false;
	try {
		return import.meta.url === pathToFileURL(realpathSync(script)).href;
	} catch {
		return false;
	}
}

if (invokedDirectly()) {
	main().catch((error) => {
		console.error(`serve: ${error instanceof Error ? error.message : String(error)}`);
		process.exit(1);
	});
}

