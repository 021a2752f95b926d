/**
 * A hostile relay for browser tests: a WebSocket server in front of the real
 * relay that forwards every frame both ways but rewrites the DTLS
 * fingerprint inside every offer and answer envelope it carries (leaving
 * the signature as it was), as a relay trying to sit in the middle would.
 */
import WebSocket, { WebSocketServer } from 'ws';
import { fromBase64, toBase64 } from '../../../src/lib/core/base64';
import { decodeSignal, encodeSignal } from '../../../src/lib/core/signal/envelope';

export interface MitmRelay {
  readonly url: string;
  /** Envelopes rewritten so far. */
  rewritten(): number;
  close(): Promise<void>;
}

export async function startMitmRelay(upstream: string): Promise<MitmRelay> {
  let count = 0;
  const rewrite = (text: string): string => {
    try {
      const m = JSON.parse(text) as { type?: string; data?: string };
      if (m.type !== 'publish' || typeof m.data !== 'string') return text;
      const s = decodeSignal(fromBase64(m.data)!);
      if (s.kind !== 'offer' && s.kind !== 'answer') return text;
      const payload = s.payload.replace(/(a=fingerprint:sha-256 )([0-9A-F]{2})/g, (_all, pre: string, b: string) => pre + (b === '00' ? '11' : '00'));
      if (payload === s.payload) return text;
      count++;
      return JSON.stringify({ ...m, data: toBase64(encodeSignal({ ...s, payload })) });
    } catch {
      return text;
    }
  };
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise<void>((r) => wss.once('listening', () => r()));
  wss.on('connection', (client) => {
    const up = new WebSocket(upstream);
    const early: string[] = [];
    up.on('open', () => early.splice(0).forEach((f) => up.send(f)));
    client.on('message', (d) => {
      const text = rewrite(d.toString());
      if (up.readyState === WebSocket.OPEN) up.send(text);
      else early.push(text);
    });
    up.on('message', (d) => client.send(rewrite(d.toString())));
    client.on('close', () => up.close());
    up.on('close', () => client.close());
    up.on('error', () => client.close());
  });
  return {
    url: `ws://127.0.0.1:${(wss.address() as { port: number }).port}`,
    rewritten: () => count,
    close: () =>
      new Promise<void>((r) => {
        wss.clients.forEach((c) => c.terminate());
        wss.close(() => r());
      }),
  };
}
