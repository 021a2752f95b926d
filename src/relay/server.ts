/**
 * The signalling relay's server (SPEC §6, §8 `medchain relay`): an HTTP
 * server — HTTPS, for `wss://`, when given a certificate — whose WebSocket
 * upgrades join the {@link Hub}. It adds what needs sockets and timers: the
 * caps on clients, in all and per address (refused at the upgrade with 503
 * and 429), the hard frame cap (the WebSocket layer closes with 1009),
 * heartbeat pings, the sweep that closes idle and unsubscribed clients
 * (keepalive.ts), and a graceful close. It hands the hub each client's
 * address (address.ts), its `Host` header, which TURN credentials requests
 * are signed for, and the TURN configuration.
 */
import { createServer, type IncomingMessage, type RequestListener, type Server } from 'node:http';
import { createServer as createSecureServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { addressKey, clientAddress, isLoopback } from './address';
import { CLOSE_GOING_AWAY, Hub, type Client, type RefuseCode, type RelayLog, type RelayStats } from './hub';
import { expiry, sweepEveryMs } from './keepalive';
import { DEFAULT_LIMITS, type RelayLimits } from './limits';
import { type RelayTls, tlsProblem } from './tls';
import { type TurnConfig, turnConfigProblem } from './turn';

export interface RelayOptions {
  readonly host: string;
  /** 0 = any free port (read it back from {@link Relay.port}). */
  readonly port: number;
  readonly limits?: Partial<RelayLimits>;
  readonly log?: RelayLog;
  /** Milliseconds; injected so the meters can be driven by a test clock. */
  readonly now?: () => number;
  /** Serve `wss://` with this certificate and key (checked first: a bad pair throws before listening). */
  readonly tls?: RelayTls;
  /** Hand out credentials for these TURN servers; without it, TURN requests are answered with none. */
  readonly turn?: TurnConfig;
  /**
   * Count a client under the last `X-Forwarded-For` address when its TCP
   * peer is loopback: for a relay behind a reverse proxy on the same machine
   * (deploy/Caddyfile), where every client's TCP peer is the proxy and would
   * otherwise share one address's slots. Off by default, because without
   * such a proxy the header is whatever the client wrote (address.ts).
   */
  readonly trustProxy?: boolean;
}

export interface Relay {
  readonly host: string;
  readonly port: number;
  /** `ws://host:port`, or `wss://host:port` with TLS. */
  readonly url: string;
  stats(): RelayStats;
  /** Closes every client (1001) and stops listening. */
  close(): Promise<void>;
}

function listen(server: Server, host: string, port: number): Promise<AddressInfo> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve(server.address() as AddressInfo);
    });
  });
}

/** An HTTP or (with `tls`) HTTPS server; both emit the same `upgrade` events. */
function createWebServer(tls: RelayTls | undefined, onRequest: RequestListener): Server {
  if (!tls) return createServer(onRequest);
  const problem = tlsProblem(tls);
  if (problem) throw new Error(`TLS ${problem.part === 'cert' ? 'certificate' : 'key'} ${problem.message}`);
  return createSecureServer({ cert: tls.cert, key: tls.key }, onRequest);
}

/** The HTTP refusal for each code: the relay is full, or the address holds its share. */
const REFUSALS: Readonly<Record<RefuseCode, string>> = {
  FULL: 'HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\n\r\n',
  PER_ADDRESS: 'HTTP/1.1 429 Too Many Requests\r\nConnection: close\r\n\r\n',
};

/** The upgrade request's `Host` header, or null when it has none. */
function hostOf(req: IncomingMessage): string | null {
  return typeof req.headers.host === 'string' && req.headers.host !== '' ? req.headers.host : null;
}

/**
 * Starts the relay's two timers; returns what stops them. Pings find dead
 * connections — a pong proves only that the socket is up, which any
 * WebSocket library answers by itself — and the sweep frees the slots of
 * clients that are up but do not use them (keepalive.ts).
 */
function keepAlive(hub: Hub, sockets: ReadonlyMap<Client, WebSocket>, limits: RelayLimits, now: () => number): () => void {
  const heartbeat = setInterval(() => {
    for (const client of [...hub.clients]) {
      const ws = sockets.get(client);
      if (!ws) continue;
      if (!client.alive) {
        ws.terminate();
        hub.expel(client, 'NO_PONG');
        continue;
      }
      client.alive = false;
      ws.ping();
    }
  }, limits.heartbeatMs);
  heartbeat.unref();
  const sweep = setInterval(() => {
    const t = now();
    for (const client of [...hub.clients]) {
      const code = expiry(client, t, limits);
      if (code) hub.expel(client, code);
    }
  }, sweepEveryMs(limits));
  sweep.unref();
  return () => {
    clearInterval(heartbeat);
    clearInterval(sweep);
  };
}

/**
 * Starts a relay and resolves once it listens. Throws, before listening, on
 * a TLS pair or TURN configuration that cannot work — so a misconfigured
 * deployment fails at start, not at the first client.
 */
export async function startRelay(options: RelayOptions): Promise<Relay> {
  const limits: RelayLimits = { ...DEFAULT_LIMITS, ...options.limits };
  const log: RelayLog = options.log ?? (() => {});
  const now = options.now ?? Date.now;
  if (options.turn) {
    const problem = turnConfigProblem(options.turn);
    if (problem) throw new Error(problem);
  }
  const http = createWebServer(options.tls, (_req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain' }).end('medchain relay\n');
  });
  const hub = new Hub(limits, log, options.turn ?? null);
  const sockets = new Map<Client, WebSocket>();
  const wss = new WebSocketServer({ noServer: true, maxPayload: limits.hardMaxFrameBytes, perMessageDeflate: false });
  const trustProxy = options.trustProxy ?? false;
  let warnedProxy = false;
  http.on('clientError', (_err, socket) => socket.destroy());
  http.on('upgrade', (req, socket, head) => {
    socket.on('error', () => socket.destroy());
    const forwardedFor = req.headers['x-forwarded-for'];
    const peer = clientAddress(req.socket.remoteAddress, undefined, false);
    if (!trustProxy && !warnedProxy && forwardedFor !== undefined && isLoopback(peer)) {
      // Behind a proxy without trustProxy, every client shares the proxy's slots: say so, once.
      warnedProxy = true;
      log('warning', { code: 'PROXY_NOT_TRUSTED' });
    }
    const key = addressKey(clientAddress(req.socket.remoteAddress, forwardedFor, trustProxy));
    const admission = hub.admit(key, now());
    if (!admission.ok) {
      socket.end(REFUSALS[admission.code]);
      return;
    }
    // ws completes the handshake synchronously here (no verifyClient), so
    // the join below follows the admission in the same turn.
    wss.handleUpgrade(req, socket, head, (ws) => {
      if (admission.evict) hub.expel(admission.evict, 'PRESSURE');
      const client = hub.join(
        {
          sendText: (text) => ws.send(text, { binary: false }),
          close: (c, r) => ws.close(c, r),
          get bufferedAmount() {
            return ws.bufferedAmount;
          },
        },
        now(),
        hostOf(req),
        key,
      );
      sockets.set(client, ws);
      ws.on('message', (data: Buffer, isBinary) => hub.receive(client, data, isBinary, now()));
      ws.on('pong', () => (client.alive = true));
      ws.on('error', () => ws.terminate()); // e.g. a frame above the hard cap (ws closes with 1009)
      ws.on('close', () => {
        sockets.delete(client);
        hub.leave(client);
      });
    });
  });

  const stopTimers = keepAlive(hub, sockets, limits, now);

  let address: AddressInfo;
  try {
    address = await listen(http, options.host, options.port);
  } catch (e) {
    stopTimers();
    throw e;
  }
  const host = options.host;
  const url = `${options.tls ? 'wss' : 'ws'}://${host.includes(':') ? `[${host}]` : host}:${address.port}`;
  log('listening', { port: address.port });

  let closing: Promise<void> | null = null;
  return {
    host,
    port: address.port,
    url,
    stats: () => hub.stats(),
    close: () =>
      (closing ??= new Promise<void>((resolve) => {
        stopTimers();
        for (const ws of sockets.values()) ws.close(CLOSE_GOING_AWAY, 'relay shutting down');
        wss.close();
        http.close(() => {
          log('closed', { clients: hub.clients.size });
          resolve();
        });
        // Clients that do not finish the closing handshake promptly are cut off.
        setTimeout(() => {
          for (const ws of sockets.values()) ws.terminate();
          http.closeAllConnections();
        }, 1000).unref();
      })),
  };
}
