// Builds the app when build/ is missing or older than its inputs. Shared by
// `npm start` (scripts/start.mjs) and the browser tests of the built app
// (tests/browser/setup/app.ts).
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const buildDir = path.join(projectRoot, 'build');
const buildIndex = path.join(buildDir, 'index.html');

/** Inputs whose change makes the build stale. */
const BUILD_INPUTS = ['src', 'static', 'svelte.config.js', 'scripts/csp.mjs', 'vite.config.ts', 'package.json'];

/**
 * Newest modification time (ms) of a file, or of any file below a directory.
 * Missing paths count as 0.
 * @param {string} p
 * @returns {Promise<number>}
 */
async function newestMtime(p) {
  let info;
  try {
    info = await stat(p);
  } catch {
    return 0;
  }
  if (!info.isDirectory()) return info.mtimeMs;
  let newest = info.mtimeMs; // catches deleted files too
  const entries = await readdir(p, { withFileTypes: true });
  for (const entry of entries) {
    newest = Math.max(newest, await newestMtime(path.join(p, entry.name)));
  }
  return newest;
}

/**
 * Why the build must be (re)made, or null if it is up to date.
 * @returns {Promise<string | null>}
 */
export async function buildReason() {
  let built;
  try {
    built = (await stat(buildIndex)).mtimeMs;
  } catch {
    return 'build/index.html is missing';
  }
  if (!existsSync(path.join(buildDir, 'service-worker.js'))) return 'build/service-worker.js is missing';
  for (const input of BUILD_INPUTS) {
    if ((await newestMtime(path.join(projectRoot, input))) > built) {
      return `${input} changed since the last build`;
    }
  }
  return null;
}

/**
 * Run `vite build` with the current node (Vite's own bin script, no shell
 * shim, so it also works on Windows). `env` adds to the environment: a
 * deployment's MEDCHAIN_* settings, and MEDCHAIN_BUILD_OUT for another
 * output folder than build/.
 * @param {{ onChild?: (child: import('node:child_process').ChildProcess | null) => void, quiet?: boolean, env?: Record<string, string> }} [options]
 * @returns {Promise<void>}
 */
export function viteBuild({ onChild, quiet = false, env = {} } = {}) {
  const viteBin = path.join(projectRoot, 'node_modules', 'vite', 'bin', 'vite.js');
  if (!existsSync(viteBin)) {
    return Promise.reject(new Error('vite is not installed; run `npm ci` first'));
  }
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [viteBin, 'build'], {
      cwd: projectRoot,
      env: { ...process.env, ...env },
      stdio: quiet ? ['ignore', 'ignore', 'inherit'] : 'inherit',
    });
    onChild?.(child);
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      onChild?.(null);
      if (code === 0) resolve();
      else reject(new Error(`vite build failed (${signal ?? `exit code ${code}`})`));
    });
  });
}

/**
 * Builds if needed; returns the reason it built, or null.
 * @param {{ onChild?: (child: import('node:child_process').ChildProcess | null) => void, quiet?: boolean }} [options]
 */
export async function buildIfStale(options) {
  const reason = await buildReason();
  if (!reason) return null;
  await viteBuild(options);
  if (!existsSync(buildIndex)) throw new Error('vite build did not write build/index.html');
  return reason;
}
