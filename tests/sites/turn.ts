/**
 * coturn on the world's TURN address (turn.medchain.test, UDP and TCP 3478),
 * with TURN REST API credentials (a shared secret; RFC 8489 long-term
 * credentials derived from it). It may relay only to the simulated internet
 * (100.64.0.0/24): everything else is denied, so a relay can never be asked
 * to send anywhere outside the world.
 */
import { createHmac } from 'node:crypto';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { NsProcess } from './process';
import type { World } from './world';

/** Options for {@link startTurn}. */
export interface TurnOptions {
  /** The TURN REST API shared secret. */
  readonly secret: string;
  /** Default `medchain.test`. */
  readonly realm?: string;
  /** Default 3478. */
  readonly port?: number;
  /** More turnserver flags. */
  readonly extraArgs?: readonly string[];
  /** Copy turnserver's log lines here. */
  readonly onLine?: (line: string) => void;
}

/** ICE server entries as RTCPeerConnection takes them. */
export interface IceServerEntry {
  readonly urls: string | string[];
  readonly username?: string;
  readonly credential?: string;
}

/** A (re)startable coturn in the internet namespace. */
export interface TurnServer {
  readonly ip: string;
  readonly port: number;
  readonly realm: string;
  readonly secret: string;
  /** `stun:turn.medchain.test:3478`. */
  readonly stunUrl: string;
  /** `turn:turn.medchain.test:3478?transport=udp` and `…?transport=tcp`. */
  readonly turnUrls: readonly string[];
  /** TURN REST credentials: username `<expiry>:<user>`, credential base64(HMAC-SHA1(secret, username)). */
  credentials(user?: string, ttlSeconds?: number): { username: string; credential: string };
  /** `[{ urls: stun }, { urls: turn…, username, credential }]`. */
  iceServers(user?: string): IceServerEntry[];
  /** The turnserver command line (without `ip netns exec`). */
  readonly args: readonly string[];
  /** The running process, if any. */
  process(): NsProcess | undefined;
  running(): boolean;
  /** Starts it (if stopped) and waits until it answers a STUN Binding request on UDP. */
  start(): Promise<void>;
  /** Stops it (SIGTERM, then SIGKILL) and waits for it to exit. */
  stop(): Promise<void>;
}

const PROBE = fileURLToPath(new URL('./probe.mjs', import.meta.url));

/** The turnserver command line used (why each flag is there: the comment beside it). */
export function turnserverArgs(ip: string, port: number, secret: string, realm: string, stateDir: string): string[] {
  return [
    '-n', // no configuration file (Debian's /etc/turnserver.conf would log to syslog)
    '--no-cli',
    '--no-tls',
    '--no-dtls',
    '--log-file=stdout',
    '--simple-log',
    `--listening-ip=${ip}`,
    `--relay-ip=${ip}`,
    `--listening-port=${port}`,
    '--use-auth-secret',
    `--static-auth-secret=${secret}`,
    `--realm=${realm}`,
    `--pidfile=${join(stateDir, 'turnserver.pid')}`, // default /var/run/turnserver.pid would be shared between runs
    `--userdb=${join(stateDir, 'turndb')}`, // default /var/lib/turn/turndb likewise
    '--no-multicast-peers',
    '--denied-peer-ip=0.0.0.0-255.255.255.255', // relay nowhere …
    '--allowed-peer-ip=100.64.0.0-100.64.0.255', // … except the simulated internet (allowed wins over denied)
  ];
}

/** Starts coturn in `world`'s internet namespace; stop() and start() again as often as needed. */
export async function startTurn(world: World, opts: TurnOptions): Promise<TurnServer> {
  const ip = world.ips.turn;
  const name = world.names.turn;
  const port = opts.port ?? 3478;
  const realm = opts.realm ?? 'medchain.test';
  const args = [...turnserverArgs(ip, port, opts.secret, realm, world.dir), ...(opts.extraArgs ?? [])];
  let proc: NsProcess | undefined;

  const ready = async (p: NsProcess): Promise<void> => {
    const deadline = Date.now() + 15_000;
    for (;;) {
      if (p.exitCode() !== undefined) throw new Error(`turnserver exited (${p.exitCode()}):\n${p.output().slice(-4000)}`);
      const r = await world.exec(world.internet.ns, process.execPath, [PROBE, 'stun', ip, String(port)], { allowFailure: true });
      try {
        if ((JSON.parse(r.stdout) as { ok?: boolean }).ok) return;
      } catch {
        // not JSON: try again
      }
      if (Date.now() > deadline) throw new Error(`turnserver does not answer STUN on ${ip}:${port}:\n${p.output().slice(-4000)}`);
      await new Promise((r2) => setTimeout(r2, 100));
    }
  };

  const server: TurnServer = {
    ip,
    port,
    realm,
    secret: opts.secret,
    stunUrl: `stun:${name}:${port}`,
    turnUrls: [`turn:${name}:${port}?transport=udp`, `turn:${name}:${port}?transport=tcp`],
    credentials(user = 'medchain', ttlSeconds = 3600) {
      const username = `${Math.floor(Date.now() / 1000) + ttlSeconds}:${user}`;
      return { username, credential: createHmac('sha1', opts.secret).update(username).digest('base64') };
    },
    iceServers(user) {
      return [{ urls: server.stunUrl }, { urls: [...server.turnUrls], ...server.credentials(user) }];
    },
    args,
    process: () => proc,
    running: () => proc !== undefined && proc.exitCode() === undefined,
    async start() {
      if (server.running()) return;
      const p = world.spawnIn(world.internet.ns, 'turnserver', args, { name: 'turnserver', ...(opts.onLine ? { onLine: opts.onLine } : {}) });
      proc = p;
      try {
        await ready(p);
      } catch (e) {
        await p.stop('SIGKILL');
        throw e;
      }
    },
    async stop() {
      await proc?.stop();
    },
  };
  await server.start();
  return server;
}
