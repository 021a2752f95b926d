/**
 * Named network namespaces (`ip netns`) and their per-namespace /etc files.
 *
 * `ip netns exec NS …` bind-mounts every file in /etc/netns/NS/ over the
 * file of the same name in /etc, so writing /etc/netns/NS/hosts gives the
 * programs run there their own name table. Namespaces made here have IPv6
 * off (only IPv4 addresses in ICE candidates, no duplicate-address waits).
 */
import { existsSync } from 'node:fs';
import { mkdir, rm, rmdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { run, type RunOptions, type RunResult } from './exec';

/** The `ip` binary (Debian: /usr/sbin/ip). */
export const IP = existsSync('/usr/sbin/ip') ? '/usr/sbin/ip' : 'ip';
/** The `nft` binary. */
export const NFT = existsSync('/usr/sbin/nft') ? '/usr/sbin/nft' : 'nft';

/** Runs `ip -n NS args…` (an `ip` command acting inside namespace NS). */
export function ipIn(ns: string, args: readonly string[]): Promise<RunResult> {
  return run(IP, ['-n', ns, ...args]);
}

/** Runs a command to completion inside namespace NS (`ip netns exec NS command args…`). */
export function execIn(ns: string, command: string, args: readonly string[], opts?: RunOptions): Promise<RunResult & { code: number | null }> {
  return run(IP, ['netns', 'exec', ns, command, ...args], opts);
}

/** Names of the named network namespaces that exist now. */
export async function listNetns(): Promise<string[]> {
  const { stdout } = await run(IP, ['netns', 'list']);
  return stdout
    .split('\n')
    .map((l) => l.trim().split(/\s+/)[0] ?? '')
    .filter((n) => n !== '');
}

/**
 * Creates namespace NS with loopback up and IPv6 off; `created(ns)` is called
 * as soon as it exists (so a caller can delete it even if a later step fails).
 * Fails if NS exists already. Its /etc/netns/NS/ files are written by {@link writeNetnsEtc}.
 */
export async function addNetns(ns: string, created: (ns: string) => void = () => undefined): Promise<void> {
  await run(IP, ['netns', 'add', ns]);
  created(ns);
  await ipIn(ns, ['link', 'set', 'lo', 'up']);
  await execIn(ns, 'sysctl', ['-q', '-w', 'net.ipv6.conf.all.disable_ipv6=1', 'net.ipv6.conf.default.disable_ipv6=1']);
}

/** Process ids of every process whose network namespace is NS. */
export async function netnsPids(ns: string): Promise<number[]> {
  const r = await run(IP, ['netns', 'pids', ns], { allowFailure: true });
  return r.stdout
    .split('\n')
    .map((l) => Number(l.trim()))
    .filter((n) => Number.isInteger(n) && n > 0);
}

/**
 * Deletes namespace NS: first SIGKILLs any process still inside it (only
 * processes this run put there can be in a namespace it made; without this
 * the namespace and its links would outlive `ip netns del`), then unmounts
 * it. A namespace that is already gone is fine.
 */
export async function delNetns(ns: string): Promise<void> {
  if (!existsSync(join('/run/netns', ns))) return;
  for (const pid of await netnsPids(ns)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  await run(IP, ['netns', 'del', ns], { allowFailure: true });
}

/** The folder whose files `ip netns exec NS` mounts over /etc. */
export function netnsEtcDir(ns: string): string {
  return join('/etc/netns', ns);
}

/** Writes /etc/netns/NS/<name> for each entry (for example `hosts`, `resolv.conf`). */
export async function writeNetnsEtc(ns: string, files: Readonly<Record<string, string>>): Promise<void> {
  const dir = netnsEtcDir(ns);
  for (let attempt = 0; ; attempt++) {
    try {
      await mkdir(dir, { recursive: true });
      for (const [name, text] of Object.entries(files)) await writeFile(join(dir, name), text);
      return;
    } catch (e) {
      // Another run's teardown may remove an empty /etc/netns between our mkdir and write: try again.
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT' || attempt >= 3) throw e;
    }
  }
}

/** Removes /etc/netns/NS/, and /etc/netns itself if that leaves it empty. */
export async function removeNetnsEtc(ns: string): Promise<void> {
  await rm(netnsEtcDir(ns), { recursive: true, force: true });
  try {
    await rmdir('/etc/netns'); // fails (and is left) while another run still has a folder there
  } catch {
    // not empty, or already gone
  }
}

/**
 * A hosts file mapping each name to its address, plus localhost. Each name
 * is also listed in its fully qualified form with a trailing dot: Chromium's
 * WebRTC looks up STUN/TURN server names as `turn.medchain.test.`, which
 * does not match a hosts entry without the dot (ERR_NAME_NOT_RESOLVED).
 */
export function hostsFile(names: Readonly<Record<string, string>>): string {
  const lines = ['127.0.0.1\tlocalhost', '::1\tlocalhost ip6-localhost ip6-loopback'];
  for (const [name, ip] of Object.entries(names)) lines.push(`${ip}\t${name} ${name}.`);
  return `# medchain test world (tests/sites/netns.ts)\n${lines.join('\n')}\n`;
}

/**
 * A resolv.conf whose only name server is this namespace's own loopback,
 * where nothing listens: a name missing from the hosts file fails at once
 * instead of a query leaving for the machine's real resolver.
 */
export const NO_DNS_RESOLV_CONF = '# medchain test world: no DNS, names come from /etc/hosts\nnameserver 127.0.0.1\noptions attempts:1 timeout:1\n';
