/**
 * The deployment configuration (issue 12, scripts/deploy-config.mjs):
 * medchain.config.json, environment overrides, the zero configuration, and
 * strict checking with one-sentence errors naming the field and the value.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CONFIG_FILE, DEFAULT_TURN_TTL, connectSources, loadDeploymentConfig, publicDeployment, relayOrigin } from '../../scripts/deploy-config.mjs';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

/** A fresh project root, with medchain.config.json holding `text` when given. */
function rootWith(text?: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'medchain-deploy-'));
  dirs.push(dir);
  if (text !== undefined) writeFileSync(path.join(dir, CONFIG_FILE), text);
  return dir;
}

/** Loads with a file holding `json` (any value, stringified) and `env`, nothing from the real environment. */
function load(json?: unknown, env: Record<string, string> = {}) {
  return loadDeploymentConfig({ root: rootWith(json === undefined ? undefined : JSON.stringify(json)), env });
}

/** The error message of loading, which must be thrown. */
function failure(json?: unknown, env: Record<string, string> = {}): string {
  try {
    load(json, env);
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('expected the configuration to be refused');
}

describe('loadDeploymentConfig', () => {
  it('is the zero configuration with no file and no environment', () => {
    const c = load();
    expect(c).toMatchObject({ relays: ['ws://127.0.0.1:4444'], stun: [], turn: null, loopbackRelays: true, warnings: [], file: null });
    expect(connectSources(c)).toEqual(["'self'", 'ws://127.0.0.1:*', 'ws://localhost:*']);
  });

  it('reads medchain.config.json at the root', () => {
    const root = rootWith(
      JSON.stringify({
        relays: ['wss://relay.example:8443', 'wss://relay2.example/signal'],
        stun: ['stun:stun.example:3478', 'stuns:stun.example'],
        turn: { urls: ['turns:turn.example:5349', 'turn:turn.example?transport=udp'], secretFile: 'secrets/turn', ttl: 600 },
      }),
    );
    const c = loadDeploymentConfig({ root, env: {} });
    expect(c).toEqual({
      relays: ['wss://relay.example:8443', 'wss://relay2.example/signal'],
      stun: ['stun:stun.example:3478', 'stuns:stun.example'],
      turn: { urls: ['turns:turn.example:5349', 'turn:turn.example?transport=udp'], secretFile: path.join(root, 'secrets/turn'), ttl: 600 },
      loopbackRelays: false,
      warnings: [],
      file: path.join(root, CONFIG_FILE),
    });
  });

  it('keeps loopback relays allowed beside configured ones when the file says so', () => {
    const c = load({ relays: ['wss://relay.example'], loopbackRelays: true });
    expect(c.loopbackRelays).toBe(true);
    expect(connectSources(c)).toEqual(["'self'", 'wss://relay.example', 'ws://127.0.0.1:*', 'ws://localhost:*']);
  });

  it('lets the environment override the file', () => {
    const c = load(
      { relays: ['wss://file.example'], stun: ['stun:file.example'], turn: { urls: ['turns:file.example'], secretFile: '/etc/a', ttl: 120 } },
      {
        MEDCHAIN_RELAYS: ' wss://env.example:8443 , wss://env2.example ,',
        MEDCHAIN_STUN: 'stun:env.example:3478',
        MEDCHAIN_TURN_URLS: 'turns:env.example:5349',
        MEDCHAIN_TURN_SECRET_FILE: '/run/secrets/turn',
        MEDCHAIN_TURN_TTL: '3600',
      },
    );
    expect(c.relays).toEqual(['wss://env.example:8443', 'wss://env2.example']);
    expect(c.stun).toEqual(['stun:env.example:3478']);
    expect(c.turn).toEqual({ urls: ['turns:env.example:5349'], secretFile: '/run/secrets/turn', ttl: 3600 });
    expect(c.loopbackRelays).toBe(false);
  });

  it('configures everything from the environment alone', () => {
    const c = load(undefined, { MEDCHAIN_RELAYS: 'wss://relay.example', MEDCHAIN_TURN_URLS: 'turn:turn.example', MEDCHAIN_TURN_SECRET_FILE: '/s' });
    expect(c.relays).toEqual(['wss://relay.example']);
    expect(c.loopbackRelays).toBe(false);
    expect(c.turn).toEqual({ urls: ['turn:turn.example'], secretFile: '/s', ttl: DEFAULT_TURN_TTL });
  });

  it('treats blank variables as unset', () => {
    expect(load(undefined, { MEDCHAIN_RELAYS: '', MEDCHAIN_STUN: '  ', MEDCHAIN_TURN_TTL: '' })).toMatchObject({
      relays: ['ws://127.0.0.1:4444'],
      loopbackRelays: true,
    });
  });

  it.each([
    ['http://relay.example', 'is not a ws:// or wss:// URL'],
    ['https://relay.example', 'is not a ws:// or wss:// URL'],
    ['relay.example', 'is not a URL'],
    ['wss://user:pw@relay.example', 'must not carry a user name or password'],
    ['wss://relay.example/?room=1', 'must not have a query'],
    ['wss://relay.example/#x', 'must not have a fragment'],
    ['wss://relay .example', 'must not contain spaces'],
  ])('refuses the relay %s, naming the field and the value', (bad, problem) => {
    const fromFile = failure({ relays: ['wss://ok.example', bad] });
    expect(fromFile).toContain(CONFIG_FILE);
    expect(fromFile).toContain(`relays[1] ${JSON.stringify(bad)}`);
    expect(fromFile).toContain(problem);
    const fromEnv = failure(undefined, { MEDCHAIN_RELAYS: bad });
    expect(fromEnv).toContain(`MEDCHAIN_RELAYS: ${JSON.stringify(bad)}`);
    expect(fromEnv).toContain(problem);
  });

  it.each([
    [{ relays: 'wss://relay.example' }, 'relays "wss://relay.example" must be a list'],
    [{ relays: [] }, 'relays [] must list at least one relay URL'],
    [{ relays: [42] }, 'relays[0] 42 must be a relay URL string'],
    [{ stun: ['turn:x.example'] }, 'stun[0] "turn:x.example" is not a stun:/stuns: URL'],
    [{ stun: ['stun:x.example:70000'] }, 'stun[0] "stun:x.example:70000" has a port outside 1–65535'],
    [{ turn: { urls: ['stun:x.example'] } }, 'turn.urls[0] "stun:x.example" is not a turn:/turns: URL'],
    [{ turn: { urls: [] } }, 'turn.urls [] must list at least one'],
    [{ turn: { secretFile: '/s' } }, 'turn.urls is required'],
    [{ turn: 'turns:x.example' }, 'turn "turns:x.example" must be an object'],
    [{ turn: { urls: ['turns:x.example'], ttl: 5 } }, 'turn.ttl 5 must be a whole number of seconds from 60 to 86400'],
    [{ turn: { urls: ['turns:x.example'], ttl: '600' } }, 'turn.ttl "600" must be a whole number'],
    [{ turn: { urls: ['turns:x.example'], secretFile: '' } }, 'turn.secretFile "" must be the path'],
    [{ loopbackRelays: 'yes' }, 'loopbackRelays "yes" must be true or false'],
  ])('refuses the file %j', (json, message) => {
    expect(failure(json)).toContain(message);
  });

  it.each([
    [{ MEDCHAIN_STUN: 'stun:ok.example,https://x.example' }, 'MEDCHAIN_STUN: "https://x.example" is not a stun:/stuns: URL'],
    [{ MEDCHAIN_TURN_URLS: 'turn:x.example?transport=sctp' }, 'MEDCHAIN_TURN_URLS: "turn:x.example?transport=sctp" is not a turn:/turns: URL'],
    [{ MEDCHAIN_TURN_URLS: 'turn:x.example', MEDCHAIN_TURN_TTL: '1h' }, 'MEDCHAIN_TURN_TTL: "1h" must be a whole number'],
    [{ MEDCHAIN_TURN_URLS: 'turn:x.example', MEDCHAIN_TURN_TTL: '999999' }, 'MEDCHAIN_TURN_TTL: 999999 must be a whole number of seconds from 60 to 86400'],
    [{ MEDCHAIN_TURN_SECRET_FILE: '/s' }, 'MEDCHAIN_TURN_SECRET_FILE is set but no TURN server is configured'],
    [{ MEDCHAIN_TURN_TTL: '600' }, 'MEDCHAIN_TURN_TTL is set but no TURN server is configured'],
  ])('refuses the environment %j', (env, message) => {
    expect(failure(undefined, env)).toContain(message);
  });

  it('refuses unknown keys, so a typo is never silently ignored', () => {
    expect(failure({ relay: ['wss://relay.example'] })).toContain('unknown key "relay" (allowed: relays, stun, turn, loopbackRelays)');
    expect(failure({ turn: { urls: ['turns:x.example'], secret: 'x' } })).toContain('unknown key "turn.secret"');
  });

  it('names the file when it is not JSON, or not an object', () => {
    const root = rootWith('{ "relays": ["wss://relay.example"], }');
    expect(() => loadDeploymentConfig({ root, env: {} })).toThrow(`${path.join(root, CONFIG_FILE)} is not valid JSON`);
    expect(failure(['wss://relay.example'])).toContain('the top level must be a JSON object');
  });

  it('warns about unencrypted relays that are not on this computer, and TURN without a secret', () => {
    const c = load({ relays: ['ws://relay.example:4444', 'ws://127.0.0.1:4444', 'ws://localhost:1', 'wss://ok.example'], turn: { urls: ['turns:t.example'] } });
    expect(c.warnings).toHaveLength(2);
    expect(c.warnings[0]).toContain('relay ws://relay.example:4444 is unencrypted (ws://)');
    expect(c.warnings[0]).toContain('wss://');
    expect(c.warnings[1]).toContain('without a secretFile');
  });
});

describe('connectSources, relayOrigin, publicDeployment', () => {
  it('lists each relay origin once, default ports omitted', () => {
    expect(relayOrigin('wss://relay.example:8443/signal')).toBe('wss://relay.example:8443');
    expect(relayOrigin('wss://Relay.Example:443/')).toBe('wss://relay.example');
    const c = load({ relays: ['wss://relay.example:8443/a', 'wss://relay.example:8443/b', 'wss://relay.example:443', 'ws://[::1]:4444'] });
    expect(connectSources(c)).toEqual(["'self'", 'wss://relay.example:8443', 'wss://relay.example', 'ws://[::1]:4444']);
  });

  it('names a loopback relay itself when loopback relays are not allowed wholesale', () => {
    expect(connectSources(load({ relays: ['ws://127.0.0.1:9000'] }))).toEqual(["'self'", 'ws://127.0.0.1:9000']);
  });

  it('tells the app the relays and STUN servers, never the TURN secret file', () => {
    const c = load({ relays: ['wss://relay.example'], stun: ['stun:s.example'], turn: { urls: ['turns:t.example'], secretFile: '/etc/turn-secret' } });
    const pub = publicDeployment(c);
    expect(pub).toEqual({ relays: ['wss://relay.example'], stun: ['stun:s.example'], loopbackRelays: false });
    expect(JSON.stringify(pub)).not.toContain('turn-secret');
    expect(JSON.stringify(pub)).not.toContain('turns:');
  });
});
