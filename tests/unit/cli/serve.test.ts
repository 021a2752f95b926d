/**
 * `medchain serve` (issue 12): the built app over HTTPS with the
 * deployment's relays in its Content-Security-Policy and HSTS; refusal of a
 * build made for other relays or of a folder with no build; one-line usage
 * errors (exit 2) for half a TLS setup or unreadable files.
 */
import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { type IncomingHttpHeaders } from 'node:http';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { EXIT_USAGE } from '../../../src/cli/io';
import { serveCommand } from '../../../src/cli/serve';
import { selfSignedCert } from '../tls-fixture';
import { runningCommand } from './run';

const dir = mkdtempSync(path.join(tmpdir(), 'medchain-serve-cli-'));
afterAll(() => [dir, pem.dir].forEach((d) => rmSync(d, { recursive: true, force: true })));

const pem = selfSignedCert();

const RELAY = 'wss://relay.example:8443';

/** A fake build folder whose index.html carries a <meta> CSP with `connect` as connect-src. */
function fakeBuild(name: string, connect: string): string {
  const root = path.join(dir, name);
  mkdirSync(root, { recursive: true });
  writeFileSync(
    path.join(root, 'index.html'),
    `<!doctype html><html><head><meta http-equiv="content-security-policy" content="default-src 'self'; connect-src ${connect}; script-src 'self'"></head><body>APP</body></html>`,
  );
  return root;
}
const matching = fakeBuild('matching', `'self' ${RELAY}`);
const zeroConfig = fakeBuild('zero', "'self' ws://127.0.0.1:* ws://localhost:*");

/** Runs `serveCommand` as `medchain` would: a UsageError is one line on stderr and exit 2. */
const running = (argv: string[]) => runningCommand(serveCommand, 'serve', argv);

/** The usage error of a command that must not start. */
async function refused(argv: string[]): Promise<string> {
  const r = running(argv);
  void r.url.then(() => r.release()); // had it started, stop it so the test fails fast
  expect(await r.done).toBe(EXIT_USAGE);
  expect(r.out).toEqual([]);
  expect(r.err).toHaveLength(1);
  return r.err[0]!;
}

function httpsGet(url: string, ca: Buffer): Promise<{ status: number; headers: IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { ca }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

beforeEach(() => {
  // Only this test's configuration: no ambient MEDCHAIN_* (blank counts as unset).
  for (const name of ['MEDCHAIN_RELAYS', 'MEDCHAIN_STUN', 'MEDCHAIN_TURN_URLS', 'MEDCHAIN_TURN_SECRET_FILE', 'MEDCHAIN_TURN_TTL']) vi.stubEnv(name, '');
});
afterEach(() => vi.unstubAllEnvs());

describe('medchain serve', () => {
  it('serves the build over HTTPS with the configured relay in its CSP, and HSTS', async () => {
    vi.stubEnv('MEDCHAIN_RELAYS', RELAY);
    const r = running(['--root', matching, '--tls-cert', pem.certFile, '--tls-key', pem.keyFile]);
    const url = await r.url;
    expect(url).toMatch(/^medchain app: https:\/\/127\.0\.0\.1:\d+\/$/);
    expect(r.out).toHaveLength(1);
    const res = await httpsGet(url.slice('medchain app: '.length), pem.cert);
    expect(res.status).toBe(200);
    expect(res.body).toContain('APP');
    const csp = String(res.headers['content-security-policy']);
    expect(csp).toMatch(/(^|; )connect-src 'self' wss:\/\/relay\.example:8443(;|$)/);
    expect(csp).toContain("frame-ancestors 'none'");
    expect(res.headers['strict-transport-security']).toBe('max-age=31536000');
    expect(r.err).toEqual([]);
    r.release();
    expect(await r.done).toBe(0);
  });

  it('refuses a build made for other relays than the configuration says', async () => {
    vi.stubEnv('MEDCHAIN_RELAYS', RELAY);
    const message = await refused(['--root', zeroConfig]);
    expect(message).toBe(
      `medchain serve: the build in ${zeroConfig} was made for relays ws://127.0.0.1:* ws://localhost:*; the configuration now says ${RELAY}: run \`npm run build\``,
    );
  });

  it('refuses a configured build when the configuration is back to zero', async () => {
    expect(await refused(['--root', matching])).toContain(`was made for relays ${RELAY}; the configuration now says ws://127.0.0.1:* ws://localhost:*`);
  });

  it('refuses a folder without index.html', async () => {
    const empty = path.join(dir, 'empty');
    mkdirSync(empty, { recursive: true });
    expect(await refused(['--root', empty])).toBe(`medchain serve: ${empty} has no index.html: run \`npm run build\` first`);
  });

  it('refuses a build folder holding a symbolic link, in one line', async () => {
    const linked = fakeBuild('linked', "'self' ws://127.0.0.1:* ws://localhost:*");
    symlinkSync(path.join(dir, 'nope.pem'), path.join(linked, 'key.pem'));
    expect(await refused(['--root', linked])).toBe(
      `medchain serve: ${realpathSync(linked)}/key.pem is a symbolic link; a served folder may hold only files and folders`,
    );
  });

  it('refuses half a TLS setup and unreadable files, in one line', async () => {
    expect(await refused(['--root', matching, '--tls-cert', pem.certFile])).toContain('--tls-cert and --tls-key go together');
    expect(await refused(['--root', matching, '--tls-key', pem.keyFile])).toContain('--tls-cert and --tls-key go together');
    const missing = path.join(dir, 'nope.pem');
    expect(await refused(['--root', matching, '--tls-cert', missing, '--tls-key', pem.keyFile])).toBe(
      `medchain serve: cannot read --tls-cert ${missing}: ENOENT`,
    );
    const junk = path.join(dir, 'junk.pem');
    writeFileSync(junk, 'not a key');
    vi.stubEnv('MEDCHAIN_RELAYS', RELAY);
    expect(await refused(['--root', matching, '--tls-cert', pem.certFile, '--tls-key', junk])).toContain('are not a usable certificate and key');
  });

  it('refuses a bad configuration with its one-sentence error', async () => {
    vi.stubEnv('MEDCHAIN_RELAYS', 'http://relay.example');
    expect(await refused(['--root', matching])).toBe('medchain serve: MEDCHAIN_RELAYS: "http://relay.example" is not a ws:// or wss:// URL.');
  });

  it('warns when serving a non-loopback host without TLS', async () => {
    // 192.0.2.1 (TEST-NET-1) is never this machine's, so nothing is exposed: the warning comes first, then listening fails.
    const r = running(['--root', zeroConfig, '--host', '192.0.2.1']);
    expect(await r.done).toBe(EXIT_USAGE);
    expect(r.err[0]).toContain('warning: serving on 192.0.2.1 without TLS');
    expect(r.err[0]).toContain('no WebCrypto and no service worker');
    expect(r.err[1]).toMatch(/^medchain serve: cannot listen on 192\.0\.2\.1:0: /);
  });

  it('serves the zero-configuration build on loopback over HTTP without warnings', async () => {
    const r = running(['--root', zeroConfig]);
    const url = await r.url;
    expect(url).toMatch(/^medchain app: http:\/\/127\.0\.0\.1:\d+\/$/);
    expect(r.err).toEqual([]);
    r.release();
    expect(await r.done).toBe(0);
  });
});
