import { createHash } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { request, type IncomingHttpHeaders, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { connectSources, loadDeploymentConfig } from '../../scripts/deploy-config.mjs';
import { CSP_DIRECTIVES, contentSecurityPolicy, startStaticServer } from '../../scripts/serve.mjs';
import { cspDirectives, csp as kitCsp } from '../../svelte.config.js';

const SECRET = 'TOP-SECRET-OUTSIDE-ROOT';
const INLINE_SCRIPT = '\n\t\t\tconsole.log("boot");\n\t\t';
const INDEX_HTML = `<!doctype html><html><head><title>t</title></head><body>INDEX<script>${INLINE_SCRIPT}</script><script type="module" src="/app.js"></script></body></html>`;

let tmp: string;
let root: string;
let server: Server;
let port: number;

interface RawResponse {
	status: number;
	headers: IncomingHttpHeaders;
	body: string;
}

/** Send a request with the path exactly as given (no URL normalisation). */
function raw(method: string, rawPath: string, toPort = port): Promise<RawResponse> {
	return new Promise((resolve, reject) => {
		const req = request({ host: '127.0.0.1', port: toPort, method, path: rawPath }, (res) => {
			const chunks: Buffer[] = [];
			res.on('data', (c: Buffer) => chunks.push(c));
			res.on('end', () =>
				resolve({
					status: res.statusCode ?? 0,
					headers: res.headers,
					body: Buffer.concat(chunks).toString('utf8')
				})
			);
			res.on('error', reject);
		});
		req.on('error', reject);
		req.end();
	});
}

beforeAll(async () => {
	tmp = await mkdtemp(path.join(tmpdir(), 'medchain-serve-'));
	root = path.join(tmp, 'root');
	await mkdir(path.join(root, '_app', 'immutable'), { recursive: true });
	await mkdir(path.join(root, 'docs'), { recursive: true });
	await writeFile(path.join(tmp, 'package.json'), JSON.stringify({ secret: SECRET }));
	await writeFile(path.join(tmp, 'secret.txt'), SECRET);
	await writeFile(path.join(root, 'index.html'), INDEX_HTML);
	await writeFile(path.join(root, 'app.js'), 'export const x = 1;\n');
	await writeFile(path.join(root, 'style.css'), 'body{}\n');
	await writeFile(path.join(root, 'icon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
	await writeFile(path.join(root, 'icon.png'), Buffer.from([0x89, 0x50, 0x4e, 0x47]));
	await writeFile(path.join(root, 'favicon.ico'), Buffer.from([0, 0, 1, 0]));
	await writeFile(path.join(root, 'manifest.webmanifest'), '{}');
	await writeFile(path.join(root, 'data.json'), '{"a":1}');
	await writeFile(path.join(root, 'mod.wasm'), Buffer.from([0, 0x61, 0x73, 0x6d]));
	await writeFile(path.join(root, 'robots.txt'), 'User-agent: *\n');
	await writeFile(path.join(root, 'docs', 'index.html'), '<p>docs</p>');
	await writeFile(path.join(root, '_app', 'immutable', 'entry.abc123.js'), 'export {};\n');
	await writeFile(path.join(root, '_app', 'version.json'), '{"version":"1"}');
	// A symlink inside root that points outside must not be followed out.
	await symlink(path.join(tmp, 'secret.txt'), path.join(root, 'leak.txt'));

	const started = await startStaticServer({ root, host: '127.0.0.1', port: 0 });
	server = started.server;
	const address = server.address();
	if (address === null || typeof address === 'string') throw new Error('no address');
	port = address.port;
	expect(started.url).toBe(`http://127.0.0.1:${port}/`);
});

afterAll(async () => {
	await new Promise<void>((resolve) => server.close(() => resolve()));
	await rm(tmp, { recursive: true, force: true });
});

describe('startStaticServer', () => {
	it('serves index.html at /', async () => {
		const res = await raw('GET', '/');
		expect(res.status).toBe(200);
		expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
		expect(res.body).toBe(INDEX_HTML);
		expect(res.headers['cache-control']).toBe('no-cache');
	});

	it.each([
		['/app.js', 'text/javascript; charset=utf-8'],
		['/style.css', 'text/css; charset=utf-8'],
		['/icon.svg', 'image/svg+xml'],
		['/icon.png', 'image/png'],
		['/favicon.ico', 'image/x-icon'],
		['/manifest.webmanifest', 'application/manifest+json'],
		['/data.json', 'application/json; charset=utf-8'],
		['/mod.wasm', 'application/wasm'],
		['/robots.txt', 'text/plain; charset=utf-8'],
		['/index.html', 'text/html; charset=utf-8']
	])('serves %s as %s', async (p, type) => {
		const res = await raw('GET', p);
		expect(res.status).toBe(200);
		expect(res.headers['content-type']).toBe(type);
		expect(res.headers['x-content-type-options']).toBe('nosniff');
	});

	it('ignores the query string', async () => {
		const res = await raw('GET', '/app.js?v=2');
		expect(res.status).toBe(200);
		expect(res.body).toBe('export const x = 1;\n');
	});

	it('serves index.html of a directory', async () => {
		const res = await raw('GET', '/docs/');
		expect(res.status).toBe(200);
		expect(res.body).toBe('<p>docs</p>');
	});

	it.each(['/patient/records', '/explorer', '/a/b/c', '/blocks/42?x=1'])(
		'falls back to index.html for %s',
		async (p) => {
			const res = await raw('GET', p);
			expect(res.status).toBe(200);
			expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
			expect(res.body).toBe(INDEX_HTML);
			expect(res.headers['cache-control']).toBe('no-cache');
		}
	);

	it.each(['/missing.js', '/_app/immutable/nope.css', '/nope.png', '/a/b.json'])(
		'returns 404 for a missing asset %s',
		async (p) => {
			const res = await raw('GET', p);
			expect(res.status).toBe(404);
			expect(res.body).not.toContain('INDEX');
		}
	);

	it.each([
		'/../package.json',
		'/%2e%2e/package.json',
		'/%2E%2E/package.json',
		'/..%2fpackage.json',
		'/..%2Fpackage.json',
		'/..%5cpackage.json',
		'/..\\package.json',
		'/docs/../../package.json',
		'/docs/%2e%2e/%2e%2e/secret.txt',
		'/%252e%252e/package.json',
		'/../secret.txt',
		'/..%2f..%2fsecret.txt',
		'/app.js%00.html',
		'/%00',
		'//etc/passwd',
		'/leak.txt'
	])('never serves files outside root for %s', async (p) => {
		const res = await raw('GET', p);
		expect(res.body).not.toContain(SECRET);
		expect(res.body).not.toContain('root:');
		expect([200, 400, 404]).toContain(res.status);
		if (res.status === 200) {
			// Only the SPA fallback may answer.
			expect(res.body).toBe(INDEX_HTML);
		}
	});

	it('rejects a request target that is not a path', async () => {
		const res = await raw('GET', 'http://example.com/../package.json');
		expect(res.body).not.toContain(SECRET);
		expect(res.status).toBe(400);
	});

	it.each(['POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS'])('returns 405 for %s', async (m) => {
		const res = await raw(m, '/index.html');
		expect(res.status).toBe(405);
		expect(res.headers.allow).toBe('GET, HEAD');
	});

	it('answers HEAD without a body', async () => {
		const res = await raw('HEAD', '/app.js');
		expect(res.status).toBe(200);
		expect(res.headers['content-type']).toBe('text/javascript; charset=utf-8');
		expect(res.headers['content-length']).toBe(String('export const x = 1;\n'.length));
		expect(res.body).toBe('');
	});

	it('sends the security headers and a CSP allowing only its own inline scripts', async () => {
		const res = await raw('GET', '/');
		const csp = String(res.headers['content-security-policy']);
		expect(csp).toContain("default-src 'self'");
		expect(csp).toContain("object-src 'none'");
		expect(csp).toContain("base-uri 'self'");
		expect(csp).toContain("frame-ancestors 'none'");
		expect(csp).toContain("connect-src 'self' ws://127.0.0.1:* ws://localhost:*");
		expect(csp).toContain("img-src 'self' data: blob:");
		expect(csp).toMatch(/(^|; )style-src 'self'(;|$)/);
		expect(csp).toMatch(/(^|; )style-src-attr 'unsafe-inline'(;|$)/);
		// Only WebAssembly compilation (the miner's kernel) is allowed beyond our own scripts; never JavaScript eval or inline scripts.
		expect(csp).not.toMatch(/script-src[^;]*'unsafe-/);
		expect(csp).not.toContain("'unsafe-eval'");
		const hash = createHash('sha256').update(INLINE_SCRIPT).digest('base64');
		expect(csp).toMatch(new RegExp(`script-src 'self' 'wasm-unsafe-eval' 'sha256-${hash.replace(/[+/]/g, '\\$&')}'(;|$)`));
		expect(res.headers['x-content-type-options']).toBe('nosniff');
		expect(res.headers['referrer-policy']).toBe('no-referrer');
		expect(res.headers['cross-origin-opener-policy']).toBe('same-origin');
	});

	it('sends a CSP on assets and error responses too', async () => {
		for (const p of ['/app.js', '/missing.js']) {
			const res = await raw('GET', p);
			expect(res.headers['content-security-policy']).toContain("default-src 'self'");
		}
		const post = await raw('POST', '/');
		expect(post.headers['content-security-policy']).toContain("frame-ancestors 'none'");
	});

	it('caches /_app/immutable/ for a long time and revalidates the rest', async () => {
		const immutable = await raw('GET', '/_app/immutable/entry.abc123.js');
		expect(immutable.status).toBe(200);
		expect(immutable.headers['cache-control']).toBe('public, max-age=31536000, immutable');
		const version = await raw('GET', '/_app/version.json');
		expect(version.headers['cache-control']).toBe('no-cache');
		const index = await raw('GET', '/index.html');
		expect(index.headers['cache-control']).toBe('no-cache');
	});

	it('uses the same CSP directives as svelte.config.js', () => {
		expect(quoted(kitCsp)).toEqual(CSP_DIRECTIVES);
	});

	it('sends no Strict-Transport-Security over plain HTTP', async () => {
		const res = await raw('GET', '/');
		expect(res.headers['strict-transport-security']).toBeUndefined();
	});
});

/** svelte.config.js's directives with keywords quoted, as a policy writes them. */
function quoted(directives: object): Record<string, string[]> {
	const keywords = new Set(['self', 'none', 'unsafe-inline', 'unsafe-eval', 'strict-dynamic', 'wasm-unsafe-eval']);
	return Object.fromEntries(
		Object.entries(directives).map(([name, sources]: [string, string[]]) => [name, sources.map((v) => (keywords.has(v) ? `'${v}'` : v))])
	);
}

/** A policy header's directives by name. */
function directivesOf(policy: string): Record<string, string[]> {
	return Object.fromEntries(
		policy.split(';').map((d) => {
			const [name = '', ...sources] = d.trim().split(/\s+/);
			return [name, sources];
		})
	);
}

describe('the CSP of a configured deployment (issue 12)', () => {
	afterEach(() => {
		vi.unstubAllEnvs();
		vi.resetModules();
	});

	// An empty root (no medchain.config.json) and only this environment.
	const configured = loadDeploymentConfig({ root: mkdtempSync(path.join(tmpdir(), 'medchain-serve-cfg-')), env: { MEDCHAIN_RELAYS: 'wss://relay.example:8443/signal,wss://relay2.example' } });

	it('is the same in svelte.config.js and in the server header', () => {
		const sources = connectSources(configured);
		expect(sources).toEqual(["'self'", 'wss://relay.example:8443', 'wss://relay2.example']);
		const header = directivesOf(contentSecurityPolicy([], sources));
		expect(quoted(cspDirectives(sources))).toEqual(header);
		expect(header['connect-src']).toEqual(["'self'", 'wss://relay.example:8443', 'wss://relay2.example']);
		// Everything but connect-src stays as in the zero configuration.
		expect({ ...header, 'connect-src': CSP_DIRECTIVES['connect-src'] }).toEqual(CSP_DIRECTIVES);
	});

	it('is what svelte.config.js builds with when MEDCHAIN_RELAYS is set', async () => {
		vi.stubEnv('MEDCHAIN_RELAYS', 'wss://relay.example:8443');
		vi.resetModules();
		const fresh = await import('../../svelte.config.js');
		expect(quoted(fresh.csp)['connect-src']).toEqual(["'self'", 'wss://relay.example:8443']);
	});

	it('is sent by startStaticServer given the connect sources', async () => {
		const started = await startStaticServer({ root, host: '127.0.0.1', port: 0, connectSources: connectSources(configured) });
		try {
			const address = started.server.address();
			if (address === null || typeof address === 'string') throw new Error('no address');
			for (const p of ['/', '/app.js', '/missing.js']) {
				const res = await raw('GET', p, address.port);
				const policy = directivesOf(String(res.headers['content-security-policy']));
				expect(policy['connect-src']).toEqual(["'self'", 'wss://relay.example:8443', 'wss://relay2.example']);
				expect(policy['frame-ancestors']).toEqual(["'none'"]);
			}
		} finally {
			await new Promise<void>((resolve) => started.server.close(() => resolve()));
		}
	});
});
