import { createHash } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { mkdir, mkdtemp, realpath, rm, symlink, unlink, writeFile } from 'node:fs/promises';
import { request, type IncomingHttpHeaders, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { ZERO_CONFIG_CONNECT, contentSecurityPolicy, cspDirectives } from '../../scripts/csp.mjs';
import { connectSources, loadDeploymentConfig } from '../../scripts/deploy-config.mjs';
import { UNSERVABLE_FOLDER, startStaticServer } from '../../scripts/serve.mjs';
import { csp as kitCsp } from '../../svelte.config.js';

/** Files of the served folder's parent and of dotfiles inside it hold this; no answer may. */
const SECRET = 'TOP-SECRET-OUTSIDE-ROOT';
const INLINE_SCRIPT = '\n\t\t\tconsole.log("boot");\n\t\t';
const INDEX_HTML = `<!doctype html><html><head><title>t</title></head><body>INDEX<script>${INLINE_SCRIPT}</script><script type="module" src="/app.js"></script></body></html>`;
const APP_JS = 'export const x = 1;\n';

let tmp: string;
let root: string;
let server: Server;
let port: number;
let reload: () => void;

interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

/** Send a request with the path exactly as given (no URL normalisation). */
function raw(method: string, rawPath: string, toPort = port, headers: Record<string, string> = {}): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: toPort, method, path: rawPath, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          body: Buffer.concat(chunks).toString('utf8'),
        }),
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
  await mkdir(path.join(root, '.git'), { recursive: true });
  await writeFile(path.join(tmp, 'package.json'), JSON.stringify({ secret: SECRET }));
  await writeFile(path.join(tmp, 'secret.txt'), SECRET);
  await writeFile(path.join(root, '.env'), SECRET);
  await writeFile(path.join(root, '.git', 'config'), SECRET);
  await writeFile(path.join(root, 'index.html'), INDEX_HTML);
  await writeFile(path.join(root, 'app.js'), APP_JS);
  await writeFile(path.join(root, 'style.css'), 'body{}\n');
  await writeFile(path.join(root, 'icon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
  await writeFile(path.join(root, 'icon.png'), Buffer.from([0x89, 0x50, 0x4e, 0x47]));
  await writeFile(path.join(root, 'manifest.webmanifest'), '{}');
  await writeFile(path.join(root, 'data.json'), '{"a":1}');
  await writeFile(path.join(root, 'mod.wasm'), Buffer.from([0, 0x61, 0x73, 0x6d]));
  await writeFile(path.join(root, 'robots.txt'), 'User-agent: *\n');
  await writeFile(path.join(root, 'docs', 'index.html'), '<p>docs</p>');
  await writeFile(path.join(root, '_app', 'immutable', 'entry.abc123.js'), 'export {};\n');
  await writeFile(path.join(root, '_app', 'version.json'), '{"version":"1"}');

  const started = await startStaticServer({ root, host: '127.0.0.1', port: 0 });
  server = started.server;
  reload = started.reload;
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
    expect(res.headers['content-type']).toBe('text/html;charset=utf-8');
    expect(res.body).toBe(INDEX_HTML);
    expect(res.headers['cache-control']).toBe('no-cache');
  });

  it.each([
    ['/app.js', 'text/javascript'],
    ['/style.css', 'text/css'],
    ['/icon.svg', 'image/svg+xml'],
    ['/icon.png', 'image/png'],
    ['/manifest.webmanifest', 'application/manifest+json'],
    ['/data.json', 'application/json'],
    ['/mod.wasm', 'application/wasm'],
    ['/robots.txt', 'text/plain'],
    ['/index.html', 'text/html;charset=utf-8'],
  ])('serves %s as %s', async (p, type) => {
    const res = await raw('GET', p);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe(type);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
  });

  it('ignores the query string', async () => {
    const res = await raw('GET', '/app.js?v=2');
    expect(res.status).toBe(200);
    expect(res.body).toBe(APP_JS);
  });

  it('serves index.html of a directory', async () => {
    const res = await raw('GET', '/docs/');
    expect(res.status).toBe(200);
    expect(res.body).toBe('<p>docs</p>');
  });

  it.each(['/patient/records', '/explorer', '/a/b/c', '/blocks/42?x=1'])('falls back to index.html for %s', async (p) => {
    const res = await raw('GET', p);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/html;charset=utf-8');
    expect(res.body).toBe(INDEX_HTML);
    expect(res.headers['cache-control']).toBe('no-cache');
  });

  it.each(['/missing.js', '/_app/immutable/nope.css', '/nope.png', '/a/b.json', '/_app/immutable/nope', '/_app/immutable/', '/_app/'])(
    'returns 404 for a missing asset %s',
    async (p) => {
      const res = await raw('GET', p);
      expect(res.status).toBe(404);
      expect(res.body).not.toContain('INDEX');
      expect(res.headers['cache-control']).toBe('no-store');
    },
  );

  it.each([
    '/../package.json',
    '/%2e%2e/package.json',
    '/%2E%2E/package.json',
    '/.%2e/package.json',
    '/%2e./secret.txt',
    '/..%2fpackage.json',
    '/..%2Fpackage.json',
    '/%2e%2e%2fpackage.json',
    '/%2e%2e%2f%2e%2e%2fsecret.txt',
    '/..%5cpackage.json',
    '/%5c..%5csecret.txt',
    '/..\\package.json',
    '/docs/../../package.json',
    '/docs/%2e%2e/%2e%2e/secret.txt',
    '/docs/..%2f..%2fsecret.txt',
    '/%252e%252e/package.json',
    '/%c0%ae%c0%ae/package.json',
    '/../secret.txt',
    '/..;/secret.txt',
    '/..%2f..%2fsecret.txt',
    '/app.js%00.html',
    '/%00../secret.txt',
    '/..%00/secret.txt',
    '/%00',
    '/%zz/../secret.txt',
    '//etc/passwd',
    '/.env',
    '/%2eenv',
    '/.git/config',
    '/%2egit/config',
    '/docs/../.env',
  ])('never serves a file outside root, or a dotfile, for %s', async (p) => {
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
    expect(res.headers['content-type']).toBe('text/javascript');
    expect(res.headers['content-length']).toBe(String(APP_JS.length));
    expect(res.body).toBe('');
    const missing = await raw('HEAD', '/missing.js');
    expect(missing.status).toBe(404);
    expect(missing.body).toBe('');
  });

  it('answers a Range request, even a reversed or suffix one, with the whole file', async () => {
    for (const range of ['bytes=0-3', 'bytes=5-2', 'bytes=-4', 'bytes=99-', 'bytes=x']) {
      const res = await raw('GET', '/app.js', port, { Range: range });
      expect(res.status).toBe(200);
      expect(res.body).toBe(APP_JS);
    }
  });

  it('sends the security headers and a CSP allowing only the inline scripts of its pages', async () => {
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
    expect(res.headers['x-frame-options']).toBe('DENY');
  });

  it('sends a CSP on assets and error responses too', async () => {
    for (const p of ['/app.js', '/missing.js', '/_app/immutable/entry.abc123.js']) {
      const res = await raw('GET', p);
      expect(res.headers['content-security-policy']).toContain("default-src 'self'");
    }
    for (const [method, p] of [
      ['POST', '/'],
      ['GET', 'http://example.com/'],
    ] as const) {
      const res = await raw(method, p);
      expect(res.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    }
  });

  it('caches /_app/immutable/ for a long time and revalidates the rest', async () => {
    const immutable = await raw('GET', '/_app/immutable/entry.abc123.js');
    expect(immutable.status).toBe(200);
    expect(immutable.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    const version = await raw('GET', '/_app/version.json');
    expect(version.headers['cache-control']).toBe('no-cache');
    const index = await raw('GET', '/index.html');
    expect(index.headers['cache-control']).toBe('no-cache');
    const manifest = await raw('GET', '/manifest.webmanifest');
    expect(manifest.headers['cache-control']).toBe('no-cache');
  });

  it('sends no Strict-Transport-Security over plain HTTP', async () => {
    const res = await raw('GET', '/');
    expect(res.headers['strict-transport-security']).toBeUndefined();
  });

  it('survives a file removed after indexing, and serves what is there after reload()', async () => {
    const gone = path.join(root, 'gone.js');
    await writeFile(gone, 'export const gone = 1;\n');
    reload();
    expect((await raw('GET', '/gone.js')).status).toBe(200);
    await unlink(gone);
    // Still in the index: the answer breaks off, and the server lives on.
    await expect(raw('GET', '/gone.js')).rejects.toThrow();
    expect((await raw('GET', '/app.js')).body).toBe(APP_JS);
    const added = path.join(root, 'added.js');
    await writeFile(added, 'export const added = 1;\n');
    expect((await raw('GET', '/added.js')).status).toBe(404);
    reload();
    expect((await raw('GET', '/gone.js')).status).toBe(404);
    expect((await raw('GET', '/added.js')).body).toBe('export const added = 1;\n');
    await unlink(added);
    reload();
  });
});

describe('a folder holding a symbolic link', () => {
  it.each([
    ['to a file outside it', (dir: string) => path.join(dir, '..', 'secret.txt')],
    ['to a folder outside it', (dir: string) => path.join(dir, '..')],
    ['to a file inside it', (dir: string) => path.join(dir, 'index.html')],
    ['round in a loop', (dir: string) => dir],
  ])('is refused at start and at reload(): a link %s', async (_what, target) => {
    const dir = path.join(tmp, `linked-${Math.random().toString(36).slice(2)}`);
    await mkdir(path.join(dir, 'sub'), { recursive: true });
    await writeFile(path.join(dir, 'index.html'), INDEX_HTML);
    const link = path.join(dir, 'sub', 'link');
    await symlink(target(dir), link);
    const refusal = {
      code: UNSERVABLE_FOLDER,
      message: `${await realpath(link.replace(/link$/, ''))}/link is a symbolic link; a served folder may hold only files and folders`,
    };
    await expect(startStaticServer({ root: dir, host: '127.0.0.1', port: 0 })).rejects.toMatchObject(refusal);

    await unlink(link);
    const started = await startStaticServer({ root: dir, host: '127.0.0.1', port: 0 });
    try {
      await symlink(target(dir), link);
      expect(() => started.reload()).toThrow(expect.objectContaining(refusal));
    } finally {
      await new Promise<void>((resolve) => started.server.close(() => resolve()));
    }
  });
});

/** svelte.config.js's directives with keywords quoted, as SvelteKit writes them into the <meta> tag. */
function quoted(directives: object): Record<string, string[]> {
  const keywords = new Set(['self', 'none', 'unsafe-inline', 'unsafe-eval', 'strict-dynamic', 'wasm-unsafe-eval']);
  return Object.fromEntries(
    Object.entries(directives).map(([name, sources]: [string, string[]]) => [name, sources.map((v) => (keywords.has(v) ? `'${v}'` : v))]),
  );
}

/** A policy header's directives by name. */
function directivesOf(policy: string): Record<string, string[]> {
  return Object.fromEntries(
    policy.split(';').map((d) => {
      const [name = '', ...sources] = d.trim().split(/\s+/);
      return [name, sources];
    }),
  );
}

describe('one policy for the build and the server (scripts/csp.mjs)', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
    vi.resetModules();
  });

  // An empty root (no medchain.config.json) and only this environment.
  const configured = loadDeploymentConfig({
    root: mkdtempSync(path.join(tmpdir(), 'medchain-serve-cfg-')),
    env: { MEDCHAIN_RELAYS: 'wss://relay.example:8443/signal,wss://relay2.example' },
  });

  it('svelte.config.js builds with the directives the server sends', () => {
    const header = directivesOf(contentSecurityPolicy([], connectSources(loadDeploymentConfig())));
    expect(quoted(kitCsp)).toEqual(header);
    expect(header).toEqual(cspDirectives(connectSources(loadDeploymentConfig())));
  });

  it('is the same in svelte.config.js and in the server header for a configured deployment', async () => {
    vi.stubEnv('MEDCHAIN_RELAYS', 'wss://relay.example:8443/signal,wss://relay2.example');
    vi.resetModules();
    const fresh = await import('../../svelte.config.js');
    const sources = connectSources(configured);
    expect(sources).toEqual(["'self'", 'wss://relay.example:8443', 'wss://relay2.example']);
    const header = directivesOf(contentSecurityPolicy([], sources));
    expect(quoted(fresh.csp)).toEqual(header);
    expect(header['connect-src']).toEqual(["'self'", 'wss://relay.example:8443', 'wss://relay2.example']);
    // Everything but connect-src stays as in the zero configuration.
    expect({ ...header, 'connect-src': [...ZERO_CONFIG_CONNECT] }).toEqual(cspDirectives(ZERO_CONFIG_CONNECT));
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
