/**
 * The signalling relay's server (SPEC §6, §8 `medchain relay`): an HTTP
 * server — HTTPS, for `wss://`, when given a certificate — whose WebSocket
 * upgrades join the {@link Hub}. It adds what needs sockets and timers: the
 * client cap (refused at the upgrade with 503), the hard frame cap (the
 * WebSocket layer closes with 1009), heartbeat pings and the idle timeout,
 * and a graceful close. It hands the hub each client's `Host` header, which
 * TURN credentials requests are signed for, and the TURN configuration.
 */
import { createServer, type IncomingMessage, type RequestListener, type Server } from 'node:http';
import { createServer as createSecureServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { CLOSE_GOING_AWAY, CLOSE_POLICY, Hub, type Client, type RelayLog, type RelayStats } from './hub';
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

/** The upgrade request's `Host` header, or null when it has none. */
function hostOf(req: IncomingMessage): string | null {
  return typeof req.headers.host === 'string' && req.headers.host !== '' ? req.headers.host : null;
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
  http.on('clientError', (_err, socket) => socket.destroy());
  http.on('upgrade', (req, socket, head) => {
    socket.on('error', () => socket.destroy());
    if (hub.full) {
      log('refused', { code: 'FULL', clients: hub.clients.size });
      socket.end('HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\n\r\n');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      const client = hub.join(
        { sendText: (text) => ws.send(text, { binary: false }), close: (c, r) => ws.close(c, r), get bufferedAmount() { return ws.bufferedAmount; } },
        now(),
        hostOf(req),
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

  const heartbeat = setInterval(() => {
    const t = now();
    for (const client of [...hub.clients]) {
      const ws = sockets.get(client);
      if (!ws) continue;
      const idle = t - client.lastFrameAt > limits.idleMs;
      if (!client.alive || idle) {
        log('close', { client: client.id, code: idle ? 'IDLE' : 'NO_PONG' });
        if (idle) ws.close(CLOSE_POLICY, 'idle');
        else ws.terminate();
        hub.leave(client);
        continue;
      }
      client.alive = false;
      ws.ping();
    }
  }, limits.heartbeatMs);
  heartbeat.unref();

  let address: AddressInfo;
  try {
    address = await listen(http, options.host, options.port);
  } catch (e) {
    clearInterval(heartbeat);
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
        clearInterval(heartbeat);
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
