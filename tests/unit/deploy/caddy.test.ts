/**
 * The deployment of docs/deploy.md, end to end on 127.0.0.1: `medchain
 * serve` and `medchain relay` (with TURN flags) on loopback in plain HTTP,
 * Caddy in front with deploy/Caddyfile's site blocks (the same
 * reverse_proxy lines, a throwaway certificate instead of Let's Encrypt),
 * and coturn from deploy/coturn.conf. Through Caddy: the app's security
 * headers arrive intact (and HSTS, which Caddy adds); a wss:// client
 * subscribes, gets its pong, and gets TURN credentials for a request signed
 * for the relay's public host — which proves Caddy passes the Host header
 * through. Then `medchain doctor` checks it all, down to a real TURN
 * Allocate, and must find nothing wrong. Caddy and turnserver are required:
 * without them the test fails, naming what to install.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { createSocket } from 'node:dgram';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { connect, createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestClient, nodeKey, turnRequest } from '../relay/helpers';
import { selfSignedCert } from '../tls-fixture';

// ---- Real server processes on 127.0.0.1, stopped by their own ids; a missing program is an error naming it, never a skip.

/** The path of `program` on PATH; throws with what to install when absent. */
function requireProgram(program: string, install: string): string {
  try {
    return execFileSync('sh', ['-c', `command -v ${program}`], { encoding: 'utf8' }).trim();
  } catch {
    throw new Error(`${program} is not installed; this test needs it (${install})`);
  }
}

/** A loopback port free for both TCP and UDP a moment ago. */
async function freePort(): Promise<number> {
  for (;;) {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    await new Promise<void>((resolve) => server.close(() => resolve()));
    const udp = createSocket('udp4');
    const udpFree = await new Promise<boolean>((resolve) => {
      udp.once('error', () => resolve(false));
      udp.bind(port, '127.0.0.1', () => resolve(true));
    });
    await new Promise<void>((resolve) => udp.close(() => resolve()));
    if (udpFree) return port;
  }
}

/** A started process, its output so far, and how to stop it. */
interface Running {
  readonly child: ChildProcess;
  readonly output: () => string;
  stop(): Promise<void>;
}

/** Starts `command args` with `env` added; output (both streams) is kept for error messages. */
function start(command: string, args: readonly string[], env: NodeJS.ProcessEnv = {}): Running {
  const child = spawn(command, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.once('error', (e: Error) => (output += `cannot start ${command}: ${e.message}\n`));
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    child,
    output: () => output,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 3000);
      await exited;
      clearTimeout(killer);
    },
  };
}

/** Resolves with the first match of `pattern` in the process's output; rejects on exit or after `ms`. */
function waitForOutput(p: Running, pattern: RegExp, what: string, ms = 10_000): Promise<RegExpExecArray> {
  return new Promise((resolve, reject) => {
    const deadline = Date.now() + ms;
    const poll = () => {
      const m = pattern.exec(p.output());
      if (m) return resolve(m);
      if (p.child.exitCode !== null || p.output().startsWith('cannot start')) return reject(new Error(`${what} exited (${p.child.exitCode}): ${p.output()}`));
      if (Date.now() > deadline) return reject(new Error(`${what} did not start within ${ms} ms: ${p.output()}`));
      setTimeout(poll, 25);
    };
    poll();
  });
}

/** Resolves once something accepts TCP connections on 127.0.0.1:`port`. */
async function waitForTcp(p: Running, port: number, what: string, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  for (;;) {
    const open = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1');
      socket.once('connect', () => (socket.destroy(), resolve(true)));
      socket.once('error', () => resolve(false));
    });
    if (open) return;
    if (p.child.exitCode !== null || p.output().startsWith('cannot start')) throw new Error(`${what} exited (${p.child.exitCode}): ${p.output()}`);
    if (Date.now() > deadline) throw new Error(`${what} is not listening on ${port} after ${ms} ms: ${p.output()}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

// ---- deploy/Caddyfile made runnable on 127.0.0.1 for this test: its site blocks and their directives (the same
// reverse_proxy lines) kept, the public names swapped for https://127.0.0.1:PORT addresses, a throwaway certificate
// instead of Let's Encrypt, the upstream ports the processes got, and global options that keep Caddy off :80, :443,
// other interfaces and its admin port. Each swap must find its text exactly once, so a change to deploy/Caddyfile
// the test does not follow fails loudly.

interface TestSite {
  /** The site's name in deploy/Caddyfile, e.g. `app.hospital.example`. */
  readonly name: string;
  /** Its address in the test, e.g. `https://127.0.0.1:41443`. */
  readonly address: string;
  /** Its upstream in deploy/Caddyfile, e.g. `127.0.0.1:5173`, and in the test. */
  readonly upstream: string;
  readonly testUpstream: string;
}

const TEST_GLOBALS = ['{', '\tadmin off', '\tauto_https disable_redirects', '\tdefault_bind 127.0.0.1', '}'].join('\n');

function replaceOnce(text: string, find: RegExp, by: string, what: string): string {
  const count = [...text.matchAll(new RegExp(find.source, 'gm'))].length;
  if (count !== 1) throw new Error(`deploy/Caddyfile: expected ${what} once, found it ${count} times`);
  return text.replace(new RegExp(find.source, 'm'), by);
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The test's Caddyfile from deploy/Caddyfile's text. */
function testCaddyfile(deployText: string, sites: readonly TestSite[], certFile: string, keyFile: string): string {
  let text = replaceOnce(deployText, /^\{\n[\s\S]*?^\}$/, TEST_GLOBALS, 'one global options block');
  for (const site of sites) {
    text = replaceOnce(text, new RegExp(`^${escape(site.name)} \\{$`), `${site.address} {\n\ttls ${certFile} ${keyFile}`, `the site ${site.name}`);
    text = replaceOnce(
      text,
      new RegExp(`^(\\s*)reverse_proxy ${escape(site.upstream)}$`),
      `$1reverse_proxy ${site.testUpstream}`,
      `reverse_proxy ${site.upstream}`,
    );
  }
  return text;
}

const ROOT = path.resolve(__dirname, '../../..');
const MEDCHAIN = path.join(ROOT, 'bin/medchain.mjs');
const SECRET = 'SECRET-shared-by-relay-and-coturn';
const REALM = 'medchain.test';

const dir = mkdtempSync(path.join(tmpdir(), 'medchain-deploy-'));
const processes: Running[] = [];
let ca: Buffer;
let caFile: string;
let appUrl: string;
let relayUrl: string;
let turnPort: number;

/** deploy/coturn.conf for this test: logging to stdout instead of syslog, no certificate files (TLS is off here). */
function coturnConf(): string {
  const sample = readFileSync(path.join(ROOT, 'deploy/coturn.conf'), 'utf8');
  const lines = sample.split('\n').filter((l) => !/^(cert|pkey)=/.test(l));
  const file = path.join(dir, 'turnserver.conf');
  writeFileSync(file, lines.map((l) => (l === 'syslog' ? 'log-file=stdout' : l)).join('\n'));
  return file;
}

function httpsGet(url: string): Promise<{ status: number; headers: Record<string, string | string[] | undefined> }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { ca }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers }));
    });
    req.on('error', reject);
    req.end();
  });
}

beforeAll(async () => {
  const caddy = requireProgram('caddy', 'Debian: apt-get install -y caddy');
  const turnserver = requireProgram('turnserver', 'Debian: apt-get install -y coturn');
  // Valid 30 days, so the doctor has no expiry to warn about.
  const { certFile, keyFile } = selfSignedCert({ days: 30, dir });
  ca = readFileSync(certFile);
  caFile = certFile;
  const [appPort, relayPort] = [await freePort(), await freePort()];
  turnPort = await freePort();
  appUrl = `https://127.0.0.1:${appPort}/`;
  relayUrl = `wss://127.0.0.1:${relayPort}`;

  // A fake build whose <meta> policy allows the relay as the public sees it (through Caddy).
  const build = path.join(dir, 'build');
  mkdirSync(build);
  writeFileSync(
    path.join(build, 'index.html'),
    `<!doctype html><html><head><meta http-equiv="content-security-policy" content="default-src 'self'; connect-src 'self' ${relayUrl}; script-src 'self'"></head><body>APP</body></html>`,
  );
  const secretFile = path.join(dir, 'turn-secret');
  writeFileSync(secretFile, `${SECRET}\n`);
  const noConfig = { MEDCHAIN_STUN: '', MEDCHAIN_TURN_URLS: '', MEDCHAIN_TURN_SECRET_FILE: '', MEDCHAIN_TURN_TTL: '' };

  const serve = start(process.execPath, [MEDCHAIN, 'serve', '--root', build, '--port', '0'], { ...noConfig, MEDCHAIN_RELAYS: relayUrl });
  const relay = start(
    process.execPath,
    [MEDCHAIN, 'relay', '--port', '0', '--trust-proxy', '--turn-url', `turn:127.0.0.1:${turnPort}?transport=udp`, '--turn-secret-file', secretFile],
    {
      ...noConfig,
      MEDCHAIN_RELAYS: '',
    },
  );
  const coturn = start(turnserver, [
    '-c',
    coturnConf(), // deploy/coturn.conf; the flags below override its public settings for loopback
    '--no-tls',
    '--no-dtls',
    '--listening-ip=127.0.0.1',
    '--relay-ip=127.0.0.1',
    `--listening-port=${turnPort}`,
    `--static-auth-secret=${SECRET}`,
    `--realm=${REALM}`,
    `--pidfile=${path.join(dir, 'turnserver.pid')}`,
    `--userdb=${path.join(dir, 'turndb')}`,
    '--allow-loopback-peers',
  ]);
  processes.push(serve, relay, coturn);
  const [servedAt, relayAt] = await Promise.all([
    waitForOutput(serve, /medchain app: (http:\/\/127\.0\.0\.1:\d+)\//, 'medchain serve'),
    waitForOutput(relay, /medchain relay: ws:\/\/(127\.0\.0\.1:\d+)/, 'medchain relay'),
    waitForTcp(coturn, turnPort, 'turnserver'),
  ]);
  const sites = [
    { name: 'app.hospital.example', address: appUrl.slice(0, -1), upstream: '127.0.0.1:5173', testUpstream: servedAt[1]!.slice('http://'.length) },
    { name: 'relay1.hospital.example', address: `https://127.0.0.1:${relayPort}`, upstream: '127.0.0.1:4444', testUpstream: relayAt[1]! },
  ];
  const caddyfile = path.join(dir, 'Caddyfile');
  writeFileSync(caddyfile, testCaddyfile(readFileSync(path.join(ROOT, 'deploy/Caddyfile'), 'utf8'), sites, certFile, keyFile));
  const home = path.join(dir, 'caddy-home');
  const proxy = start(caddy, ['run', '--config', caddyfile, '--adapter', 'caddyfile'], { HOME: home, XDG_DATA_HOME: home, XDG_CONFIG_HOME: home });
  processes.push(proxy);
  await Promise.all([waitForTcp(proxy, appPort, 'caddy'), waitForTcp(proxy, relayPort, 'caddy')]);
}, 20_000);

afterAll(async () => {
  await Promise.all(processes.map((p) => p.stop()));
  rmSync(dir, { recursive: true, force: true });
});

describe('deployment behind Caddy (deploy/Caddyfile, deploy/coturn.conf)', () => {
  it('Caddy validates deploy/Caddyfile as it is', () => {
    const home = path.join(dir, 'validate-home');
    const out = execFileSync('caddy', ['validate', '--adapter', 'caddyfile', '--config', path.join(ROOT, 'deploy/Caddyfile')], {
      encoding: 'utf8',
      env: { ...process.env, HOME: home, XDG_DATA_HOME: home, XDG_CONFIG_HOME: home },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    expect(out).toContain('Valid configuration');
  });

  it('passes the app with its security headers through, and adds HSTS', async () => {
    const res = await httpsGet(appUrl);
    expect(res.status).toBe(200);
    expect(String(res.headers['content-security-policy'])).toMatch(new RegExp(`(^|; )connect-src 'self' ${relayUrl}(;|$)`));
    expect(String(res.headers['content-security-policy'])).toContain("frame-ancestors 'none'");
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['strict-transport-security']).toBe('max-age=31536000');
  });

  it('passes wss:// to the relay with the Host header: subscribe, pong, and TURN credentials for a request signed for the public host', async () => {
    const client = await TestClient.open(relayUrl, { ca });
    try {
      const topic = 'd0'.repeat(32);
      client.subscribe(topic);
      expect(await client.sync()).toEqual([]); // the pong came, nothing else
      const node = nodeKey(21);
      client.send(turnRequest(node, new URL(relayUrl).host, topic, Date.now()));
      const [answer] = await client.sync();
      const m = JSON.parse(answer!) as { urls: string[]; username: string; credential: string; ttl: number };
      expect(m.urls).toEqual([`turn:127.0.0.1:${turnPort}?transport=udp`]);
      expect(m.username).toMatch(/^\d+:[0-9a-f]{64}$/);
      expect(m.credential).toBe(createHmac('sha1', SECRET).update(m.username).digest('base64'));
    } finally {
      client.close();
    }
  });

  it('medchain doctor finds nothing wrong, down to a TURN Allocate on coturn', () => {
    let out: string;
    let code = 0;
    try {
      out = execFileSync(process.execPath, [MEDCHAIN, 'doctor', appUrl, '--ca', caFile], { encoding: 'utf8', timeout: 15_000 });
    } catch (e) {
      const failed = e as { status: number; stdout: string };
      code = failed.status;
      out = failed.stdout;
    }
    const lines = out.trim().split('\n');
    expect(lines.map((l) => l.replace(/: .*$/, ''))).toEqual([
      `OK   app ${appUrl}`,
      'OK   Content-Security-Policy',
      'OK   X-Content-Type-Options',
      'OK   Strict-Transport-Security',
      'OK   frame-ancestors',
      'OK   index.html <meta> CSP',
      `OK   relay ${relayUrl}`,
      `OK   relay ${relayUrl}`,
      `OK   TURN turn:127.0.0.1:${turnPort}?transport=udp`,
    ]);
    expect(lines[8]).toMatch(/Allocate over UDP succeeded .* \(realm medchain\.test\): relayed address 127\.0\.0\.1:\d+/);
    expect(out).not.toContain(SECRET);
    expect(code).toBe(0);
  });
});
