/**
 * A small simulated internet for multi-site browser tests, built from
 * network namespaces by the test process itself (as root; it normally runs
 * inside scripts/netns-run.sh's private namespace, but the namespaces made
 * here are new, named ones with no link to any other network).
 *
 *                      internet namespace  (<prefix>-inet)
 *   bridge br0 100.64.0.0/24: app .10, relay1 .11, relay2 .12, turn .13
 *        |                       |                       |
 *   router a .101 (NAT)     router b .102 (NAT)     router p .103 (NAT)
 *   LAN 192.168.1.0/24      LAN 192.168.2.0/24      LAN 192.168.3.0/24
 *        |                       |                       |
 *   host a 192.168.1.2      host b 192.168.2.2      host p 192.168.3.2
 *   (Chromium of site a)    …                       …
 *
 * Every namespace resolves app/relay1/relay2/turn.medchain.test through its
 * own /etc/netns/<ns>/hosts; a CA made for the run signs one server
 * certificate for all those names and addresses; each site has a HOME whose
 * NSS database trusts that CA, and a Chromium wrapper ({@link chromiumFor}).
 *
 * ```ts
 * const world = await buildWorld();              // sites a, b port-preserving; p symmetric
 * try {
 *   const app = world.spawnIn(world.internet.ns, process.execPath, ['server.mjs', '--host', world.ips.app]);
 *   const browser = await chromium.launch(chromiumFor(world.site('a')));
 *   await (await browser.newPage()).goto(world.url('app', 8443));
 * } finally {
 *   await world.teardown();
 * }
 * ```
 */
import { execFileSync } from 'node:child_process';
import { existsSync, rmdirSync, rmSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeNssDb, makeTestTls, type TestTls } from './ca';
import { chromiumFor as chromiumForSite, writeChromiumWrapper, type ChromiumForOptions } from './chromium';
import type { RunOptions, RunResult } from './exec';
import { configureRouter, type NatKind } from './nat';
import { addNetns, delNetns, execIn, hostsFile, IP, ipIn, NO_DNS_RESOLV_CONF, removeNetnsEtc, writeNetnsEtc } from './netns';
import { spawnIn, type NsProcess, type SpawnInOptions } from './process';
import type { LaunchOptions } from '@playwright/test';

export type { NatKind } from './nat';
export type { NsProcess, SpawnInOptions } from './process';
export type { TestTls } from './ca';
export { CHROMIUM_ARGS } from './chromium';
export { spawnIn } from './process';
export { startTurn, type TurnOptions, type TurnServer } from './turn';

/** The servers on the internet bridge. */
export type ServerRole = 'app' | 'relay1' | 'relay2' | 'turn';

/** Each server's address on the internet bridge (100.64.0.0/24, CGNAT space: no real host uses it here). */
export const SERVER_IPS: Readonly<Record<ServerRole, string>> = { app: '100.64.0.10', relay1: '100.64.0.11', relay2: '100.64.0.12', turn: '100.64.0.13' };
/** Each server's name, in every namespace's hosts file and in the server certificate. */
export const SERVER_NAMES: Readonly<Record<ServerRole, string>> = {
  app: 'app.medchain.test',
  relay1: 'relay1.medchain.test',
  relay2: 'relay2.medchain.test',
  turn: 'turn.medchain.test',
};
/** The internet's subnet, on bridge `br0` of the internet namespace. */
export const INTERNET_SUBNET = '100.64.0.0/24';

/** One site's settings. */
export interface SiteOptions {
  /** Default `port-preserving`. */
  readonly nat?: NatKind;
}

/** Options for {@link buildWorld}. */
export interface WorldOptions {
  /**
   * Sites by name (lower-case letters/digits, at most 8, first a letter), in
   * order: the N-th gets LAN 192.168.N.0/24 and WAN 100.64.0.(100+N).
   * Default {@link DEFAULT_SITES}.
   */
  readonly sites?: Readonly<Record<string, SiteOptions>>;
  /** Prefix of every namespace name; default `mcw<pid>` (then `mcw<pid>n<k>` for the k-th further world of this process). */
  readonly prefix?: string;
  /**
   * Extra names for the hosts files and the server certificate: name → an
   * address on the internet bridge, 100.64.0.2 to 100.64.0.99 (added to the
   * bridge; .101 and up are the routers' WAN addresses).
   */
  readonly extraNames?: Readonly<Record<string, string>>;
  /** Progress lines (default: none). */
  readonly log?: (line: string) => void;
}

/** Sites a and b behind port-preserving NAT, p behind symmetric (port-randomising) NAT. */
export const DEFAULT_SITES: Readonly<Record<string, SiteOptions>> = { a: { nat: 'port-preserving' }, b: { nat: 'port-preserving' }, p: { nat: 'symmetric' } };

/** A site: a NAT router and one host behind it. */
export interface Site {
  readonly name: string;
  /** N: LAN 192.168.N.0/24, WAN 100.64.0.(100+N). */
  readonly index: number;
  readonly nat: NatKind;
  /** The address the internet sees (the router's WAN address). */
  readonly publicIp: string;
  readonly lanSubnet: string;
  readonly router: { readonly ns: string; readonly wanIf: 'wan'; readonly wanIp: string; readonly lanIf: 'lan'; readonly lanIp: string };
  readonly host: { readonly ns: string; readonly if: 'eth0'; readonly ip: string };
  /** Same as `host.ns` (for {@link chromiumFor}). */
  readonly hostNs: string;
  /** HOME for programs of this site: `$HOME/.pki/nssdb` trusts the test CA. */
  readonly home: string;
  /** The NSS database folder. */
  readonly nssDb: string;
  /** The Chromium wrapper script for this site. */
  readonly chromiumWrapper: string;
}

/** A built world. Everything it made goes away with {@link World.teardown}. */
export interface World {
  /** Prefix of its namespace names. */
  readonly prefix: string;
  /** Its temporary folder (certificates, site homes, wrappers). */
  readonly dir: string;
  readonly internet: { readonly ns: string; readonly bridge: 'br0'; readonly subnet: string };
  /** Server addresses ({@link SERVER_IPS}). */
  readonly ips: Readonly<Record<ServerRole, string>>;
  /** Server names ({@link SERVER_NAMES}). */
  readonly names: Readonly<Record<ServerRole, string>>;
  /** Every hosts-file entry: name → address. */
  readonly hosts: Readonly<Record<string, string>>;
  /** The run's CA and the server certificate for all names and server addresses. */
  readonly tls: TestTls;
  readonly sites: Readonly<Record<string, Site>>;
  /** Every namespace it made, in the order made. */
  readonly namespaces: readonly string[];
  /** How long the build took, in ms. */
  readonly buildMs: number;
  /** A site by name; throws if there is none. */
  site(name: string): Site;
  /** `scheme://<name of role>:port/path` (default https and `/`). */
  url(role: ServerRole, port: number, path?: string, scheme?: string): string;
  /** {@link spawnIn}, and stopped by {@link World.teardown}. */
  spawnIn(ns: string, command: string, args: readonly string[], opts?: SpawnInOptions): NsProcess;
  /** Runs a command to completion inside a namespace. */
  exec(ns: string, command: string, args: readonly string[], opts?: RunOptions): Promise<RunResult & { code: number | null }>;
  /** Playwright launch options for Chromium inside site `name` ({@link chromiumFor}). */
  chromiumFor(name: string, opts?: ChromiumForOptions): LaunchOptions;
  /** Stops every process it started, deletes its namespaces, /etc/netns folders and temporary folder. Idempotent; never throws. */
  teardown(): Promise<void>;
}

/** Playwright launch options that start Chromium inside `site`'s host, trusting the run's CA. */
export function chromiumFor(site: Site, opts?: ChromiumForOptions): LaunchOptions {
  return chromiumForSite(site, opts);
}

let worldsMade = 0;

/**
 * Builds the world. On any failure it tears down whatever it had made and
 * rethrows. Also registers a last-chance synchronous cleanup on process
 * exit, in case {@link World.teardown} is never called.
 */
export async function buildWorld(options: WorldOptions = {}): Promise<World> {
  const started = Date.now();
  const log = options.log ?? ((): void => undefined);
  const k = options.prefix === undefined ? worldsMade++ : 0;
  const prefix = options.prefix ?? `mcw${process.pid}${k === 0 ? '' : `n${k}`}`;
  const siteOptions = options.sites ?? DEFAULT_SITES;
  const siteNames = Object.keys(siteOptions);
  for (const n of siteNames)
    if (!/^[a-z][a-z0-9]{0,7}$/.test(n)) throw new Error(`site name ${JSON.stringify(n)}: use 1-8 lower-case letters or digits, starting with a letter`);
  if (siteNames.length < 1 || siteNames.length > 99) throw new Error('between 1 and 99 sites');

  const hosts: Record<string, string> = {};
  for (const role of Object.keys(SERVER_IPS) as ServerRole[]) hosts[SERVER_NAMES[role]] = SERVER_IPS[role];
  for (const [name, ip] of Object.entries(options.extraNames ?? {})) {
    const last = /^100\.64\.0\.(\d{1,2})$/.exec(ip)?.[1];
    if (last === undefined || Number(last) < 2) throw new Error(`extra name ${name}: ${ip} is not an internet server address (100.64.0.2 to 100.64.0.99)`);
    hosts[name] = ip;
  }
  const internetIps = [...new Set(Object.values(hosts))];

  // What has been made so far, for teardown (also after a partial build).
  // Only namespaces this build created are listed: one that existed already is never deleted.
  const namespaces: string[] = [];
  const made = (ns: string): void => void namespaces.push(ns);
  const processes = new Set<NsProcess>();
  let dir: string | undefined;

  const syncCleanup = (): void => {
    // A second signal (a shell signals the whole process group; tsx relays it again) must not cut this short.
    // Under tsx, whose parent SIGKILLs a child that stays busy ~60 ms after a signal, a script should instead
    // call teardown() from its own signal handler (as world.check.ts does); Playwright runs fixture teardown itself.
    for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(sig, () => undefined);
    for (const p of processes)
      if (p.exitCode() === undefined)
        try {
          process.kill(p.pid, 'SIGKILL');
        } catch {
          /* gone */
        }
    for (const ns of namespaces) {
      try {
        if (existsSync(join('/run/netns', ns))) {
          const pids = execFileSync(IP, ['netns', 'pids', ns], { encoding: 'utf8' })
            .split('\n')
            .map(Number)
            .filter((n) => n > 0);
          for (const pid of pids)
            try {
              process.kill(pid, 'SIGKILL');
            } catch {
              /* gone */
            }
          execFileSync(IP, ['netns', 'del', ns], { stdio: 'ignore' });
        }
      } catch {
        /* at exit: a namespace that will not go must not keep the others (or the folders below) from going */
      }
      rmSync(join('/etc/netns', ns), { recursive: true, force: true });
    }
    try {
      rmdirSync('/etc/netns'); // only when empty: another run may be using it
    } catch {
      /* not empty, or gone */
    }
    if (dir) rmSync(dir, { recursive: true, force: true });
  };
  process.once('exit', syncCleanup);

  let tornDown: Promise<void> | undefined;
  const teardown = (): Promise<void> => {
    tornDown ??= (async () => {
      const t0 = Date.now();
      await Promise.allSettled([...processes].map((p) => p.stop()));
      await Promise.allSettled(namespaces.map((ns) => delNetns(ns)));
      await Promise.allSettled(namespaces.map((ns) => removeNetnsEtc(ns)));
      if (dir) await rm(dir, { recursive: true, force: true }).catch(() => undefined);
      process.removeListener('exit', syncCleanup);
      log(`world ${prefix}: torn down in ${Date.now() - t0} ms`);
    })();
    return tornDown;
  };

  // Runs every step; waits for all to settle before failing, so nothing is still being made while teardown runs.
  const all = async (steps: Promise<unknown>[]): Promise<void> => {
    const results = await Promise.allSettled(steps);
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;
  };

  try {
    dir = await mkdtemp(join(tmpdir(), `medchain-world-${prefix}-`));
    const tlsDir = join(dir, 'tls');
    const inet = `${prefix}-inet`;
    const etc = { hosts: hostsFile(hosts), 'resolv.conf': NO_DNS_RESOLV_CONF };

    const makeInternet = async (): Promise<void> => {
      await addNetns(inet, made);
      await writeNetnsEtc(inet, etc);
      await ipIn(inet, ['link', 'add', 'br0', 'type', 'bridge']);
      await ipIn(inet, ['link', 'set', 'br0', 'up']);
      for (const ip of internetIps) await ipIn(inet, ['addr', 'add', `${ip}/24`, 'dev', 'br0']);
    };

    const tlsPromise = makeTestTls(tlsDir, prefix, Object.keys(hosts), internetIps);
    const internetPromise = makeInternet();
    await all([tlsPromise, internetPromise]);
    const tls = await tlsPromise;

    const siteByName: Record<string, Site> = {};
    const makeSite = async (name: string, index: number): Promise<void> => {
      const nat = siteOptions[name]?.nat ?? 'port-preserving';
      const router = `${prefix}-${name}-router`;
      const host = `${prefix}-${name}-host`;
      const wanIp = `100.64.0.${100 + index}`;
      const lanIp = `192.168.${index}.1`;
      const hostIp = `192.168.${index}.2`;
      const home = join(dir!, 'sites', name, 'home');
      const wrapper = join(dir!, 'sites', name, 'chromium.sh');
      await all([addNetns(router, made), addNetns(host, made), mkdir(home, { recursive: true })]);
      await all([writeNetnsEtc(router, etc), writeNetnsEtc(host, etc)]);
      // WAN: router "wan" <-> "site-<name>" on the internet bridge.
      await ipIn(router, ['link', 'add', 'wan', 'type', 'veth', 'peer', 'name', `site-${name}`, 'netns', inet]);
      await ipIn(inet, ['link', 'set', `site-${name}`, 'master', 'br0', 'up']);
      await ipIn(router, ['addr', 'add', `${wanIp}/24`, 'dev', 'wan']);
      await ipIn(router, ['link', 'set', 'wan', 'up']);
      // LAN: router "lan" <-> host "eth0".
      await ipIn(router, ['link', 'add', 'lan', 'type', 'veth', 'peer', 'name', 'eth0', 'netns', host]);
      await ipIn(router, ['addr', 'add', `${lanIp}/24`, 'dev', 'lan']);
      await ipIn(router, ['link', 'set', 'lan', 'up']);
      await ipIn(host, ['addr', 'add', `${hostIp}/24`, 'dev', 'eth0']);
      await ipIn(host, ['link', 'set', 'eth0', 'up']);
      await ipIn(host, ['route', 'add', 'default', 'via', lanIp]);
      await configureRouter(router, nat, 'wan', 'lan');
      const nssDb = await makeNssDb(home, tls.caCert);
      await writeChromiumWrapper(wrapper, host, home, `site ${name}`);
      siteByName[name] = {
        name,
        index,
        nat,
        publicIp: wanIp,
        lanSubnet: `192.168.${index}.0/24`,
        router: { ns: router, wanIf: 'wan', wanIp, lanIf: 'lan', lanIp },
        host: { ns: host, if: 'eth0', ip: hostIp },
        hostNs: host,
        home,
        nssDb,
        chromiumWrapper: wrapper,
      };
    };
    await all(siteNames.map((n, i) => makeSite(n, i + 1)));
    const sites: Record<string, Site> = {};
    for (const n of siteNames) sites[n] = siteByName[n]!; // in the order given

    const world: World = {
      prefix,
      dir,
      internet: { ns: inet, bridge: 'br0', subnet: INTERNET_SUBNET },
      ips: SERVER_IPS,
      names: SERVER_NAMES,
      hosts,
      tls,
      sites,
      namespaces,
      buildMs: Date.now() - started,
      site(name) {
        const s = sites[name];
        if (!s) throw new Error(`no site ${name} (sites: ${Object.keys(sites).join(', ')})`);
        return s;
      },
      url: (role, port, path = '/', scheme = 'https') => `${scheme}://${SERVER_NAMES[role]}:${port}${path}`,
      spawnIn(ns, command, args, opts) {
        const p = spawnIn(ns, command, args, opts);
        processes.add(p);
        void p.exited.then(() => processes.delete(p));
        return p;
      },
      exec: (ns, command, args, opts) => execIn(ns, command, args, opts),
      chromiumFor: (name, opts) => chromiumForSite(world.site(name), opts),
      teardown,
    };
    log(`world ${prefix}: built in ${world.buildMs} ms (${namespaces.length} namespaces)`);
    return world;
  } catch (e) {
    log(`world ${prefix}: build failed, tearing down: ${String(e)}`);
    await teardown();
    throw e;
  }
}
