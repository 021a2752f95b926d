// What the browser suite needs beyond npm, in one place (`npm test` checks it
// before the browser suite; .ci/run is just the README's `npm ci && npm test`):
// Debian's Chromium (src/bench/chromium.ts; each site of the multi-site suite
// runs that binary itself),
// `unshare` and `ip` for the private network namespace (scripts/netns-run.sh),
// and for the multi-site suite (tests/browser/sites.spec.ts) nftables for its
// NAT routers, a real coturn, Caddy for the reverse-proxy test, certutil for
// its test CA's NSS database and openssl. On a fresh Debian or Ubuntu machine
// they are installed with apt-get when this process may (root, or sudo
// without a password); otherwise the person is told the exact command.
import { spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';

/** The Chromium the browser tests run (`CHROMIUM` in src/bench/chromium.ts). */
export const SYSTEM_CHROMIUM = '/usr/bin/chromium';

/**
 * Each tool: the command looked up on the PATH (or a path), and the Debian package that brings it.
 * @type {readonly { tool: string, pkg: string }[]}
 */
export const BROWSER_TOOLS = [
  { tool: 'chromium', pkg: 'chromium' },
  { tool: 'ip', pkg: 'iproute2' },
  { tool: 'unshare', pkg: 'util-linux' },
  { tool: 'nft', pkg: 'nftables' },
  { tool: 'turnserver', pkg: 'coturn' },
  { tool: 'caddy', pkg: 'caddy' },
  { tool: 'certutil', pkg: 'libnss3-tools' },
  { tool: 'openssl', pkg: 'openssl' },
];

/**
 * Whether `name` is an executable on the PATH; the sbin folders are searched
 * too, since `ip` and `nft` live there and a non-root PATH often lacks them.
 * @param {string} name
 * @param {string} [path]
 */
export function onPath(name, path = process.env.PATH ?? '') {
  const dirs = [...path.split(delimiter), '/usr/local/sbin', '/usr/sbin', '/sbin'].filter((d) => d !== '');
  return dirs.some((dir) => {
    try {
      accessSync(join(dir, name), constants.X_OK);
      return true;
    } catch {
      return false; // not in this folder (or not executable): look in the next
    }
  });
}

/**
 * The tools missing now.
 * @param {{ chromium: boolean, has: (tool: string) => boolean }} probe
 */
export function missingTools(probe) {
  return BROWSER_TOOLS.filter(({ tool }) => (tool === 'chromium' ? !probe.chromium : !probe.has(tool)));
}

/**
 * What to do about the missing tools: nothing; install them with apt-get
 * (as root, or through `sudo -n`); or tell the person the one command to run.
 * @param {{ missing: readonly { tool: string, pkg: string }[], root: boolean, sudo: boolean, apt: boolean }} o
 * @returns {{ kind: 'none' } | { kind: 'install', commands: string[][] } | { kind: 'manual', line: string }}
 */
export function installPlan({ missing, root, sudo, apt }) {
  if (missing.length === 0) return { kind: 'none' };
  const pkgs = [...new Set(missing.map((m) => m.pkg))];
  if (apt && (root || sudo)) {
    const as = root ? [] : ['sudo', '-n'];
    return {
      kind: 'install',
      commands: [
        [...as, 'apt-get', 'update'],
        [...as, 'env', 'DEBIAN_FRONTEND=noninteractive', 'apt-get', 'install', '-y', ...pkgs],
      ],
    };
  }
  return { kind: 'manual', line: manualLine(missing, apt) };
}

/**
 * The one line that tells the person what is missing and the exact command.
 * @param {readonly { tool: string, pkg: string }[]} missing
 * @param {boolean} apt
 */
export function manualLine(missing, apt) {
  const pkgs = [...new Set(missing.map((m) => m.pkg))].join(' ');
  const tools = missing.map((m) => m.tool).join(', ');
  const command = `sudo apt-get update && sudo apt-get install -y ${pkgs}`;
  return apt
    ? `npm test: the browser suite needs ${tools}; run: ${command}`
    : `npm test: the browser suite needs ${tools}; install them with your system's package manager (on Debian or Ubuntu: ${command})`;
}

/** Whether this process may install system packages without asking: root, or sudo that needs no password. */
function privileges() {
  const root = process.getuid?.() === 0;
  const sudo = !root && onPath('sudo') && spawnSync('sudo', ['-n', 'true'], { stdio: 'ignore' }).status === 0;
  return { root, sudo, apt: onPath('apt-get') };
}

function probeMissing() {
  return missingTools({ chromium: existsSync(SYSTEM_CHROMIUM), has: (tool) => onPath(tool) });
}

/**
 * Makes sure the browser suite's tools are here, installing them when this
 * process may. Returns null when all are present, else the one line to print
 * (the suite is then not run and counts as failed).
 * @param {(line: string) => void} log
 * @returns {string | null}
 */
export function ensureBrowserTools(log) {
  const missing = probeMissing();
  const plan = installPlan({ missing, ...privileges() });
  if (plan.kind === 'none') return null;
  if (plan.kind === 'manual') return plan.line;
  for (const [program, ...args] of plan.commands) {
    log(`== ${[program, ...args].join(' ')}`);
    const r = spawnSync(/** @type {string} */ (program), args, { stdio: 'inherit' });
    if (r.status !== 0) break;
  }
  const still = probeMissing();
  return still.length === 0 ? null : manualLine(still, true);
}
