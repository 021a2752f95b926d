/**
 * The signalling relay's server (SPEC §6, §8 `medchain relay`): an HTTP
 * server whose WebSocket upgrades join the {@link Hub}. It adds what needs
 * sockets and timers: the client cap (refused at the upgrade with 503), the
 * hard frame cap (the WebSocket layer closes with 1009), heartbeat pings and
 * the idle timeout, and a graceful close.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { CLOSE_GOING_AWAY, CLOSE_POLICY, Hub, type Client, type RelayLog, type RelayStats } from './hub';
import { DEFAULT_LIMITS, type RelayLimits } from './limits';

export interface RelayOptions {
  readonly host: string;
  /** 0 = any free port (read it back from {@link Relay.port}). */
  readonly port: number;
  readonly limits?: Partial<RelayLimits>;
  readonly log?: RelayLog;
  /** Milliseconds; injected so the meters can be driven by a test clock. */
  readonly now?: () => number;
}

export interface Relay {
  readonly host: string;
  readonly port: number;
  /** `ws://host:port` */
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

export async function startRelay(options: RelayOptions): Promise<Relay> {
  const limits: RelayLimits = { ...DEFAULT_LIMITS, ...options.limits };
  const log: RelayLog = options.log ?? (() => {});
  const now = options.now ?? Date.now;
  const hub = new Hub(limits, log);
  const sockets = new Map<Client, WebSocket>();
  const wss = new WebSocketServer({ noServer: true, maxPayload: limits.hardMaxFrameBytes, perMessageDeflate: false });
  const http = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain' }).end('medchain relay\n');
  });
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
  const url = `ws://${host.includes(':') ? `[${host}]` : host}:${address.port}`;
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
