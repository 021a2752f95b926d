/**
 * The sample files under deploy/ are ones an operator can copy: the example
 * configuration passes the checks `npm run build` applies, and coturn.conf
 * keeps the lines that matter for safety (shared-secret credentials, no
 * relaying into private networks). That they run, and that Caddy validates
 * the Caddyfile, is tests/unit/deploy/caddy.test.ts.
 */
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { connectSources, loadDeploymentConfig } from '../../../scripts/deploy-config.mjs';

const ROOT = path.resolve(__dirname, '../../..');
const dir = mkdtempSync(path.join(tmpdir(), 'medchain-deploy-files-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('deploy/ samples', () => {
  it('medchain.config.example.json is a valid configuration without warnings', () => {
    copyFileSync(path.join(ROOT, 'deploy/medchain.config.example.json'), path.join(dir, 'medchain.config.json'));
    const config = loadDeploymentConfig({ root: dir, env: {} });
    expect(config.warnings).toEqual([]);
    expect(connectSources(config)).toEqual(["'self'", 'wss://relay1.hospital.example']);
    expect(config.turn).toEqual({
      urls: [
        'turn:turn.hospital.example:3478?transport=udp',
        'turn:turn.hospital.example:3478?transport=tcp',
        'turns:turn.hospital.example:5349?transport=tcp',
      ],
      secretFile: '/etc/medchain/turn-secret',
      ttl: 86400,
    });
  });

  it('coturn.conf uses shared-secret credentials and denies private, loopback and link-local peers', () => {
    const settings = readFileSync(path.join(ROOT, 'deploy/coturn.conf'), 'utf8')
      .split('\n')
      .filter((l) => l.trim() !== '' && !l.startsWith('#'));
    for (const line of [
      'use-auth-secret',
      'static-auth-secret=REPLACE-WITH-THE-SHARED-SECRET',
      'listening-port=3478',
      'tls-listening-port=5349',
      'fingerprint',
      'no-cli',
      'no-multicast-peers',
      'denied-peer-ip=10.0.0.0-10.255.255.255',
      'denied-peer-ip=172.16.0.0-172.31.255.255',
      'denied-peer-ip=192.168.0.0-192.168.255.255',
      'denied-peer-ip=127.0.0.0-127.255.255.255',
      'denied-peer-ip=169.254.0.0-169.254.255.255',
      'denied-peer-ip=100.64.0.0-100.127.255.255',
      'denied-peer-ip=::1',
      'denied-peer-ip=fc00::-fdff:ffff:ffff:ffff:ffff:ffff:ffff:ffff',
      'denied-peer-ip=fe80::-febf:ffff:ffff:ffff:ffff:ffff:ffff:ffff',
    ])
      expect(settings).toContain(line);
    expect(settings.some((l) => l.startsWith('user-quota='))).toBe(true);
    expect(settings.some((l) => l.startsWith('total-quota='))).toBe(true);
    expect(settings.some((l) => /^(allow-loopback-peers|allowed-peer-ip)/.test(l))).toBe(false);
  });
});
