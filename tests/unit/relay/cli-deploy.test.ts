/**
 * `medchain relay`'s deployment options (SPEC §6, §8): `--tls-cert` and
 * `--tls-key` serve `wss://`; `--turn-url`, `--turn-secret-file` and
 * `--turn-ttl` hand out TURN credentials. Misuse is a one-line usage error
 * (exit 2) that never echoes the secret.
 */
import { createHmac } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { relayCommand } from '../../../src/cli/relay';
import { cli, runningCommand } from '../cli/run';
import { TestClient, nodeKey, selfSignedCert, turnRequest } from './helpers';

const pem = selfSignedCert();
const dir = mkdtempSync(path.join(tmpdir(), 'medchain-relay-cli-'));
afterAll(() => [pem.dir, dir].forEach((d) => rmSync(d, { recursive: true, force: true })));

/** A file in the test's directory with `text`. */
function file(name: string, text: string): string {
  const f = path.join(dir, name);
  writeFileSync(f, text);
  return f;
}

const SECRET = 'SECRET-cli-turn';
const secretFile = file('turn-secret', `${SECRET}\n`);

/** The one-line usage error (exit 2) of `medchain relay ARGV`, without its `medchain relay: ` prefix. */
async function usage(argv: string[]): Promise<string> {
  const r = await cli(['relay', ...argv]);
  expect(r.code).toBe(2);
  expect(r.err).toHaveLength(1);
  expect(r.err[0]).not.toContain(SECRET);
  expect(r.err[0]).toMatch(/^medchain relay: /);
  return r.err[0]!.slice('medchain relay: '.length);
}

/** Runs `relayCommand` until released; resolves `url` with its printed address. */
const running = (argv: string[]) => runningCommand(relayCommand, 'relay', argv);

describe('medchain relay: deployment options', () => {
  it('serves wss:// with --tls-cert and --tls-key, and prints that address', async () => {
    const run = running(['--tls-cert', pem.certFile, '--tls-key', pem.keyFile]);
    const line = await run.url;
    expect(line).toMatch(/^medchain relay: wss:\/\/127\.0\.0\.1:\d+$/);
    const client = await TestClient.open(line.slice('medchain relay: '.length), { ca: pem.cert });
    client.send({ type: 'ping' });
    expect(await client.until(1)).toEqual(['{"type":"pong"}']);
    client.close();
    run.release();
    expect(await run.done).toBe(0);
  });

  it('hands out credentials with the secret file’s secret for the given URLs and ttl, and never prints the secret', async () => {
    const run = running([
      '--turn-url',
      'turn:a.example:3478,turns:b.example:5349',
      '--turn-url',
      'turn:c.example',
      '--turn-secret-file',
      secretFile,
      '--turn-ttl',
      '600',
    ]);
    const url = (await run.url).slice('medchain relay: '.length);
    const client = await TestClient.open(url);
    const topic = 'ef'.repeat(32);
    client.subscribe(topic);
    const node = nodeKey(3);
    const before = Date.now();
    client.send(turnRequest(node, new URL(url).host, topic, before));
    const [answer] = await client.sync();
    const m = JSON.parse(answer!) as { urls: string[]; username: string; credential: string; ttl: number };
    expect(m.urls).toEqual(['turn:a.example:3478', 'turns:b.example:5349', 'turn:c.example']);
    expect(m.ttl).toBe(600);
    const expiry = Number(m.username.split(':')[0]);
    expect(expiry).toBeGreaterThanOrEqual(Math.floor(before / 1000) + 600);
    expect(expiry).toBeLessThanOrEqual(Math.floor(Date.now() / 1000) + 600);
    expect(m.credential).toBe(createHmac('sha1', SECRET).update(m.username).digest('base64'));
    client.close();
    run.release();
    expect(await run.done).toBe(0);
    expect([...run.out, ...run.err].join('\n')).not.toContain(SECRET);
    expect(run.err).toContain('relay turn urls=3 ttl=600');
  });

  it('refuses a --per-address that is not a whole number from 1 to 10000', async () => {
    expect(await usage(['--per-address', '0'])).toBe('--per-address must be between 1 and 10000, got 0');
    expect(await usage(['--per-address', 'many'])).toMatch(/^--per-address /);
  });

  it('refuses a certificate without its key (and the reverse), unreadable files, and files that are not PEM', async () => {
    expect(await usage(['--tls-cert', pem.certFile])).toBe('--tls-cert and --tls-key go together: give both or neither');
    expect(await usage(['--tls-key', pem.keyFile])).toBe('--tls-cert and --tls-key go together: give both or neither');
    expect(await usage(['--tls-cert', path.join(dir, 'missing.pem'), '--tls-key', pem.keyFile])).toMatch(/^cannot read --tls-cert .*missing\.pem: ENOENT$/);
    expect(await usage(['--tls-cert', pem.keyFile, '--tls-key', pem.keyFile])).toMatch(/^--tls-cert .* is not a PEM certificate$/);
    expect(await usage(['--tls-cert', pem.certFile, '--tls-key', pem.certFile])).toMatch(/^--tls-key .* is not a PEM private key$/);
  });

  it('refuses TURN URLs without a secret file (and the reverse), other URL schemes, an empty secret file, and a ttl out of bounds', async () => {
    const both = '--turn-url and --turn-secret-file go together: give both or neither';
    expect(await usage(['--turn-url', 'turn:a.example'])).toBe(both);
    expect(await usage(['--turn-secret-file', secretFile])).toBe(both);
    expect(await usage(['--turn-ttl', '600'])).toBe('--turn-ttl needs --turn-url and --turn-secret-file');
    expect(await usage(['--turn-url', 'turn:a.example,stun:b.example', '--turn-secret-file', secretFile])).toBe(
      '--turn-url must start with turn: or turns:, got "stun:b.example"',
    );
    expect(await usage(['--turn-url', 'https://a.example', '--turn-secret-file', secretFile])).toMatch(/^--turn-url must start with turn: or turns:/);
    expect(await usage(['--turn-url', 'turn:a.example', '--turn-secret-file', file('empty', '')])).toMatch(/^--turn-secret-file .*empty is empty/);
    expect(await usage(['--turn-url', 'turn:a.example', '--turn-secret-file', file('blank', '  \n')])).toMatch(/is empty/);
    expect(await usage(['--turn-url', 'turn:a.example', '--turn-secret-file', path.join(dir, 'nope')])).toMatch(/^cannot read --turn-secret-file .*: ENOENT$/);
    expect(await usage(['--turn-url', 'turn:a.example', '--turn-secret-file', secretFile, '--turn-ttl', '59'])).toBe(
      '--turn-ttl must be between 60 and 604800, got 59',
    );
  });
});

describe('medchain relay --trust-proxy', () => {
  /** Opens `n` clients that a proxy on this machine says come from n different addresses; how many got in. */
  async function admitted(argv: string[], n: number): Promise<number> {
    const run = running(argv);
    const url = (await run.url).slice('medchain relay: '.length);
    const clients = await Promise.all(Array.from({ length: n }, (_, i) => TestClient.attempt(url, { headers: { 'X-Forwarded-For': `203.0.113.${i + 1}` } })));
    const ok = clients.filter((c): c is TestClient => typeof c !== 'number');
    ok.forEach((c) => c.close());
    run.release();
    expect(await run.done).toBe(0);
    return ok.length;
  }

  it('counts clients behind a reverse proxy on this machine by their forwarded address; without it they share one address', async () => {
    expect(await admitted(['--trust-proxy'], 20)).toBe(20);
    expect(await admitted([], 20)).toBe(16);
  });

  it('--per-address sets how many connections one address may hold (a large site behind one NAT address)', async () => {
    expect(await admitted(['--per-address', '18'], 20)).toBe(18);
    expect(await admitted(['--per-address', '2'], 5)).toBe(2);
  });
});
