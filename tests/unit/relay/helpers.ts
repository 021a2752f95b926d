/** Real relays on 127.0.0.1, real ws clients, and signed TURN requests for the relay tests. */
import WebSocket from 'ws';
import { startRelay, type Relay, type RelayOptions } from '../../../src/relay/server';
import type { RelayLimits } from '../../../src/relay/limits';
import { turnRequestFrame, turnRequestMessage } from '../../../src/lib/core/signal/turn-request';
import { publicKeyOf, sign } from '../../../src/lib/core/signature';

export { selfSignedCert } from '../tls-fixture';

export interface LogLine {
  event: string;
  fields: Readonly<Record<string, number | string>>;
}

/** A relay on an ephemeral loopback port with its log captured; `clock.t` drives its meters when given. */
export async function relay(limits: Partial<RelayLimits> = {}, clock?: { t: number }, extra: Pick<RelayOptions, 'tls' | 'turn' | 'trustProxy'> = {}) {
  const logs: LogLine[] = [];
  const r: Relay = await startRelay({
    host: '127.0.0.1',
    port: 0,
    limits,
    log: (event, fields) => logs.push({ event, fields }),
    ...(clock ? { now: () => clock.t } : {}),
    ...extra,
  });
  return { relay: r, logs };
}

/** A ws client that queues the text frames it receives. */
export class TestClient {
  readonly received: string[] = [];
  private waiters: (() => void)[] = [];
  readonly closed: Promise<{ code: number }>;

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data, isBinary) => {
      this.received.push(isBinary ? '<binary>' : data.toString());
      this.waiters.splice(0).forEach((w) => w());
    });
    this.closed = new Promise((resolve) => ws.on('close', (code) => resolve({ code })));
  }

  static open(url: string, options: WebSocket.ClientOptions = {}): Promise<TestClient> {
    const ws = new WebSocket(url, options);
    return new Promise((resolve, reject) => {
      ws.once('open', () => resolve(new TestClient(ws)));
      ws.once('error', reject);
    });
  }

  /** Opens a client, or resolves with the HTTP status the relay refused the upgrade with (-1: another error). */
  static attempt(url: string, options: WebSocket.ClientOptions = {}): Promise<TestClient | number> {
    const ws = new WebSocket(url, options);
    return new Promise((resolve) => {
      ws.once('open', () => resolve(new TestClient(ws)));
      ws.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
      ws.on('error', () => resolve(-1));
    });
  }

  /** The close code the relay sent, or 'open' if the client is still open after `ms` (so a test fails rather than hangs). */
  closeCode(ms = 2000): Promise<number | 'open'> {
    return Promise.race([this.closed.then((c) => c.code), new Promise<'open'>((r) => setTimeout(() => r('open'), ms))]);
  }

  send(frame: object | string | Buffer): void {
    this.ws.send(typeof frame === 'object' && !Buffer.isBuffer(frame) ? JSON.stringify(frame) : frame);
  }

  subscribe(...topics: string[]): void {
    this.send({ type: 'subscribe', topics });
  }

  /** Resolves once `n` frames have been received in all (then returns them all). */
  async until(n: number): Promise<string[]> {
    while (this.received.length < n) await new Promise<void>((r) => this.waiters.push(r));
    return this.received;
  }

  /**
   * Pings and waits for the pong: the relay handles one client's frames in
   * order, so everything sent before has been acted on. Returns the frames
   * received before the pong (and removes them with it).
   */
  async sync(): Promise<string[]> {
    const start = this.received.length;
    this.send({ type: 'ping' });
    for (;;) {
      const at = this.received.indexOf('{"type":"pong"}', start);
      if (at >= 0) return this.received.splice(0, at + 1).slice(0, at);
      await this.until(this.received.length + 1);
    }
  }

  close(): void {
    this.ws.close();
  }
}

/** A node identity for TURN requests: an Ed25519 seed and its public key. */
export function nodeKey(seedByte: number) {
  const secret = new Uint8Array(32).fill(seedByte);
  return { secret, key: publicKeyOf(secret) };
}

/** A TURN request frame signed by `node` for relay `host` (as the relay sees it in `Host`). */
export function turnRequest(node: { secret: Uint8Array; key: Uint8Array }, host: string, topic: string, time: number): string {
  const request = { key: node.key, topic, time, nonce: crypto.getRandomValues(new Uint8Array(16)) };
  return turnRequestFrame(request, sign(turnRequestMessage(host, request), node.secret));
}
