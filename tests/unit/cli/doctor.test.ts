/**
 * `medchain doctor` against real servers on 127.0.0.1 (SPEC §6, §8): the
 * app from `medchain serve` over HTTPS with a test CA, real relays with and
 * without TURN, a relay that is down, a TURN port that never answers, and
 * a bare HTTPS server without the security headers. Each problem is one
 * FAIL (exit 1) or WARN line with its reason; usage errors exit 2. (The
 * full path through Caddy with coturn is tests/unit/deploy/caddy.test.ts.)
 */
import { createSocket, type Socket } from 'node:dgram';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer as createHttpsServer } from 'node:https';
import { createServer as createNetServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { serveCommand } from '../../../src/cli/serve';
import { startRelay } from '../../../src/relay/server';
import type { TurnConfig } from '../../../src/relay/turn';
import { selfSignedCert } from '../tls-fixture';
import { cli, runningCommand } from './run';

const pem = selfSignedCert();
const dir = mkdtempSync(path.join(tmpdir(), 'medchain-doctor-'));
afterAll(() => [dir, pem.dir].forEach((d) => rmSync(d, { recursive: true, force: true })));

const cleanups: (() => unknown)[] = [];
beforeEach(() => {
  for (const name of ['MEDCHAIN_RELAYS', 'MEDCHAIN_STUN', 'MEDCHAIN_TURN_URLS', 'MEDCHAIN_TURN_SECRET_FILE', 'MEDCHAIN_TURN_TTL']) vi.stubEnv(name, '');
});
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
  vi.unstubAllEnvs();
});

/** A loopback TCP port nothing listens on (it was free a moment ago). */
async function deadPort(): Promise<number> {
  const server = createNetServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** A fake build for `relay` (as tests/unit/cli/serve.test.ts makes them) served by `medchain serve` over HTTPS; its URL. */
async function app(relay: string): Promise<string> {
  const root = path.join(dir, `build-${Math.random().toString(36).slice(2)}`);
  mkdirSync(root);
  writeFileSync(
    path.join(root, 'index.html'),
    `<!doctype html><html><head><meta http-equiv="content-security-policy" content="default-src 'self'; connect-src 'self' ${relay}; script-src 'self'"></head><body>APP</body></html>`,
  );
  vi.stubEnv('MEDCHAIN_RELAYS', relay);
  const run = runningCommand(serveCommand, 'serve', ['--root', root, '--tls-cert', pem.certFile, '--tls-key', pem.keyFile]);
  const line = await run.url;
  cleanups.push(async () => {
    run.release();
    await run.done;
  });
  expect(run.err).toEqual([]);
  return line.slice('medchain app: '.length);
}

/** A real relay over TLS on a free port, with `turn` when given; its wss:// URL. */
async function relay(turn?: TurnConfig): Promise<string> {
  const r = await startRelay({ host: '127.0.0.1', port: 0, tls: { cert: pem.cert, key: pem.key }, ...(turn ? { turn } : {}) });
  cleanups.push(() => r.close());
  return r.url;
}

/** A UDP socket on loopback that reads and never answers: a TURN port behind a firewall that drops. */
async function silentUdp(): Promise<number> {
  const socket: Socket = createSocket('udp4');
  socket.on('message', () => {});
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  cleanups.push(() => new Promise<void>((resolve) => socket.close(() => resolve())));
  return socket.address().port;
}

/** `medchain doctor URL --ca CERT …` in-process. */
const doctor = (url: string, ...extra: string[]) => cli(['doctor', url, '--ca', pem.certFile, ...extra]);

/** The output lines with their verdict and subject, for matching. */
const verdicts = (out: string[]) => out.map((l) => l.replace(/: .*$/, ''));

describe('medchain doctor', () => {
  it('FAILs a relay that is down, after the app checks pass, and exits 1', async () => {
    const down = `wss://127.0.0.1:${await deadPort()}`;
    const url = await app(down);
    const r = await doctor(url);
    expect(r.err).toEqual([]);
    expect(verdicts(r.out)).toEqual([
      `WARN app ${url}`, // the test certificate lives one day: "renew it soon"
      'OK   Content-Security-Policy',
      'OK   X-Content-Type-Options',
      'OK   Strict-Transport-Security',
      'OK   frame-ancestors',
      'OK   index.html <meta> CSP',
      `FAIL relay ${down}`,
    ]);
    expect(r.out[0]).toMatch(/HTTP 200 over HTTPS, certificate valid until \d{4}-\d\d-\d\d \(\d+ h left\), issued by localhost: renew it soon/);
    expect(r.out[6]).toBe(`FAIL relay ${down}: cannot open a WebSocket: connection refused: nothing listens on that port (ECONNREFUSED)`);
    expect(r.code).toBe(1);
  });

  it('passes a relay without TURN with a WARN (exit 0)', async () => {
    const relayUrl = await relay();
    const r = await doctor(await app(relayUrl));
    expect(r.out.slice(-2)).toEqual([
      expect.stringMatching(
        new RegExp(
          `^WARN relay ${relayUrl}: WebSocket over TLS \\(certificate .*\\); subscribe, ping → pong, publish forwarded to a second connection \\(\\d+ ms\\)$`,
        ),
      ),
      `WARN relay ${relayUrl}: no TURN configured: peers whose NAT or firewall blocks a direct link cannot connect (run the relay with --turn-url and --turn-secret-file, or set turn in medchain.config.json)`,
    ]);
    expect(r.code).toBe(0);
  });

  it('FAILs a TURN server that never answers, within the timeout, and never prints the credentials', async () => {
    const port = await silentUdp();
    const turn: TurnConfig = { urls: ['turns:127.0.0.1:5349', `turn:127.0.0.1:${port}?transport=udp`], secret: 'SECRET-doctor', ttl: 600 };
    const relayUrl = await relay(turn);
    const started = Date.now();
    const r = await doctor(await app(relayUrl), '--timeout-ms', '400');
    expect(r.out.slice(-2)).toEqual([
      `OK   relay ${relayUrl}: hands out TURN credentials for turns:127.0.0.1:5349, turn:127.0.0.1:${port}?transport=udp, valid 600 s`,
      `FAIL TURN turn:127.0.0.1:${port}?transport=udp: no answer within 0.4 s (UDP ${port} blocked on the way, or no TURN server there) (credentials from relay ${relayUrl})`,
    ]);
    expect(r.code).toBe(1);
    expect(Date.now() - started).toBeLessThan(4000);
    expect(r.out.join('\n')).not.toMatch(/SECRET|credential":|\d{10}:[0-9a-f]{64}/);
  });

  it('FAILs a server without the security headers, a <meta> policy for other relays, and a ws:// relay on an https page', async () => {
    const server = createHttpsServer({ cert: pem.cert, key: pem.key }, (_req, res) => {
      res.writeHead(200, {
        'content-type': 'text/html',
        'content-security-policy': "default-src 'self'; connect-src 'self' ws://relay.example https://api.example",
      });
      res.end(`<meta http-equiv="content-security-policy" content="connect-src 'self' wss://relay.example">`);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
    const url = `https://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    const r = await doctor(url);
    expect(r.out.slice(1)).toEqual([
      "OK   Content-Security-Policy: connect-src 'self' ws://relay.example https://api.example",
      'FAIL X-Content-Type-Options: missing: browsers may guess file types (must be nosniff)',
      'FAIL Strict-Transport-Security: missing: browsers may be talked into plain HTTP on a later visit (behind a proxy, the proxy adds it: see deploy/Caddyfile)',
      "FAIL frame-ancestors: missing in the header's policy: other sites could frame the app (must be 'none')",
      "FAIL index.html <meta> CSP: connect-src 'self' wss://relay.example differs from the header's 'self' ws://relay.example https://api.example: the browser enforces both, so only relays in both are reachable (rebuild with the deployment's configuration: npm run build)",
      'WARN connect-src: https://api.example is not a relay (the page needs only itself and its relays)',
      'FAIL relay ws://relay.example: browsers block ws:// to another host from an https:// page (mixed content): serve the relay over wss:// and list it so',
    ]);
    expect(r.code).toBe(1);
  });

  it('FAILs a certificate it cannot trust, naming the reason', async () => {
    const url = await app(`wss://127.0.0.1:${await deadPort()}`);
    const r = await cli(['doctor', url]);
    expect(r.out).toEqual([
      `FAIL app ${url}: HTTPS request failed: the certificate is self-signed, so browsers refuse it (use a CA such as Let's Encrypt; for a test CA, pass --ca FILE) (DEPTH_ZERO_SELF_SIGNED_CERT)`,
    ]);
    expect(r.code).toBe(1);
  });

  it('refuses bad usage with exit 2', async () => {
    for (const [argv, message] of [
      [[], "give the app's address"],
      [['https://a.example', 'https://b.example'], "give the app's address"],
      [['ftp://app.example'], 'is not an https:// address'],
      [['not a url'], 'is not a URL'],
      [['https://app.example', '--timeout-ms', '0'], '--timeout-ms must be between 100 and 120000'],
      [['https://app.example', '--ca', path.join(dir, 'missing.pem')], 'cannot read --ca'],
      [['https://app.example', '--ca', pem.keyFile], 'is not a PEM certificate'],
      [['https://app.example', '--bogus'], 'Unknown option'],
    ] as const) {
      const r = await cli(['doctor', ...argv]);
      expect(r.code, argv.join(' ')).toBe(2);
      expect(r.out).toEqual([]);
      expect(r.err).toEqual([expect.stringContaining(message)]);
    }
  });
});
