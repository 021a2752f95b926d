/**
 * The relay over TLS (SPEC §6: relays are reached over `wss://`): with a
 * certificate it serves `wss://` — clients that trust it signal through it,
 * plain `ws://` gets nowhere — and a certificate or key that cannot work is
 * refused before it listens.
 */
import { rmSync } from 'node:fs';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { startRelay, type Relay } from '../../../src/relay/server';
import { TestClient, relay, selfSignedCert } from './helpers';

const pem = selfSignedCert();
const other = selfSignedCert();
afterAll(() => [pem.dir, other.dir].forEach((d) => rmSync(d, { recursive: true, force: true })));

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function tlsRelay(): Promise<Relay> {
  const { relay: r } = await relay({}, undefined, { tls: { cert: pem.cert, key: pem.key } });
  cleanups.push(() => r.close());
  return r;
}

describe('relay: wss://', () => {
  it('serves wss:// with its certificate: a client that trusts it subscribes and receives another client’s publish', async () => {
    const r = await tlsRelay();
    expect(r.url).toBe(`wss://127.0.0.1:${r.port}`);
    const [a, b] = await Promise.all([TestClient.open(r.url, { ca: pem.cert }), TestClient.open(r.url, { ca: pem.cert })]);
    cleanups.push(
      () => a.close(),
      () => b.close(),
    );
    a.subscribe('room');
    b.subscribe('room');
    await Promise.all([a.sync(), b.sync()]);
    const frame = '{"type":"publish","topic":"room","data":"over tls"}';
    a.send(frame);
    expect(await b.until(1)).toEqual([frame]);
  });

  it('refuses plain ws:// and clients that do not trust its certificate', async () => {
    const r = await tlsRelay();
    await expect(TestClient.open(`ws://127.0.0.1:${r.port}`)).rejects.toThrow();
    await expect(TestClient.open(r.url)).rejects.toThrow(/self.signed/i);
    await expect(TestClient.open(r.url, { ca: other.cert })).rejects.toThrow();
    expect(r.stats().clients).toBe(0);
  });

  it('refuses, before listening, a certificate or key that is not PEM, or a key that is not the certificate’s', async () => {
    const start = (cert: Buffer | string, key: Buffer | string) => startRelay({ host: '127.0.0.1', port: 0, tls: { cert, key } });
    await expect(start('not a cert', pem.key)).rejects.toThrow('TLS certificate is not a PEM certificate');
    await expect(start(pem.cert, 'not a key')).rejects.toThrow('TLS key is not a PEM private key');
    await expect(start(pem.cert, other.key)).rejects.toThrow('TLS key does not match the certificate');
  });
});
