/**
 * The app's view of its deployment (src/lib/app/deployment.ts): which relay
 * URLs the page's Content-Security-Policy lets it reach.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { connectSources, loadDeploymentConfig, publicDeployment } from '../../scripts/deploy-config.mjs';
import { type Deployment, ZERO_CONFIG_DEPLOYMENT, deployment, relayAllowed } from '../../src/lib/app/deployment';

const configured: Deployment = { relays: ['wss://relay.example:8443/signal', 'wss://relay2.example'], stun: [], loopbackRelays: false };

describe('relayAllowed', () => {
  it.each([
    'wss://relay.example:8443',
    'wss://relay.example:8443/other-path',
    'wss://RELAY.example:8443/',
    'wss://relay2.example',
    'wss://relay2.example:443/x',
  ])('allows %s, whose origin is a configured relay', (url) => {
    expect(relayAllowed(url, configured)).toBe(true);
  });

  it.each([
    'wss://relay.example',
    'wss://relay.example:8444',
    'ws://relay.example:8443',
    'wss://relay3.example',
    'wss://evil.example/relay.example:8443',
    'wss://user:pw@relay.example:8443',
    'https://relay.example:8443',
    'ws://127.0.0.1:4444',
    'ws://localhost:4444',
    'not a url',
    '',
  ])('refuses %s, which a configured deployment does not name', (url) => {
    expect(relayAllowed(url, configured)).toBe(false);
  });

  it.each(['ws://127.0.0.1:4444', 'ws://127.0.0.1:61234/', 'ws://localhost:9', 'ws://LOCALHOST:1/x'])(
    'allows %s on this computer with loopback relays on',
    (url) => {
      expect(relayAllowed(url, ZERO_CONFIG_DEPLOYMENT)).toBe(true);
      expect(relayAllowed(url, { ...configured, loopbackRelays: true })).toBe(true);
    },
  );

  it.each(['wss://127.0.0.1:4444', 'ws://127.0.0.2:4444', 'ws://[::1]:4444', 'ws://localhost.evil.example:1', 'wss://relay.example'])(
    'refuses %s, which the loopback sources do not cover',
    (url) => {
      expect(relayAllowed(url, ZERO_CONFIG_DEPLOYMENT)).toBe(false);
    },
  );

  it('agrees with the CSP sources made from the same configuration', () => {
    const config = loadDeploymentConfig({ root: '/nonexistent-medchain-root', env: { MEDCHAIN_RELAYS: 'wss://a.example:8443/x,ws://10.0.0.5:4444' } });
    const d = publicDeployment(config);
    const sources = connectSources(config);
    expect(sources).toEqual(["'self'", 'wss://a.example:8443', 'ws://10.0.0.5:4444']);
    for (const url of ['wss://a.example:8443/y', 'ws://10.0.0.5:4444/', 'wss://a.example', 'ws://127.0.0.1:4444']) {
      expect(relayAllowed(url, d)).toBe(sources.includes(new URL(url).origin));
    }
  });
});

describe('deployment', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('is what vite.config.ts compiles in: the public part of the configuration', () => {
    // Vitest defines `define` values on globalThis; a Vite build replaces them in the code.
    const compiled = (globalThis as { __MEDCHAIN_DEPLOYMENT__?: unknown }).__MEDCHAIN_DEPLOYMENT__;
    expect(compiled).toEqual(publicDeployment(loadDeploymentConfig()));
    expect(deployment()).toEqual(compiled);
  });

  it('reads the compiled value, and falls back to the zero configuration without one', () => {
    vi.stubGlobal('__MEDCHAIN_DEPLOYMENT__', configured);
    expect(deployment()).toBe(configured);
    vi.stubGlobal('__MEDCHAIN_DEPLOYMENT__', undefined);
    expect(deployment()).toBe(ZERO_CONFIG_DEPLOYMENT);
    expect(ZERO_CONFIG_DEPLOYMENT).toEqual(publicDeployment(loadDeploymentConfig({ root: '/nonexistent-medchain-root', env: {} })));
  });
});
