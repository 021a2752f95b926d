/**
 * Chromium inside a site: Playwright launches a small wrapper script as the
 * browser "executable"; it runs `ip netns exec <site host> env HOME=<site
 * home> /usr/bin/chromium "$@"`. Playwright talks to the browser over a pipe
 * (file descriptors 3 and 4, kept across both execs), so the browser needs
 * no network path back to the test process. HOME points at a folder whose
 * NSS database trusts the run's test CA, so the site's HTTPS pages are
 * secure contexts with no certificate flags.
 */
import { chmod, writeFile } from 'node:fs/promises';
import type { LaunchOptions } from '@playwright/test';
import { CHROMIUM, CHROMIUM_ARGS } from '../../src/bench/chromium';
import { IP } from './netns';

export { CHROMIUM, CHROMIUM_ARGS };

/** What {@link chromiumFor} needs to know about a site. */
export interface ChromiumSite {
  /** The namespace the browser runs in (the site's host). */
  readonly hostNs: string;
  /** HOME for the browser: `$HOME/.pki/nssdb` trusts the test CA. */
  readonly home: string;
  /** The wrapper script ({@link writeChromiumWrapper}). */
  readonly chromiumWrapper: string;
}

/**
 * Writes the wrapper script at `path`. The namespace and HOME are baked in
 * as defaults; MEDCHAIN_NETNS and MEDCHAIN_HOME in its environment override them.
 */
export async function writeChromiumWrapper(path: string, ns: string, home: string, label: string): Promise<void> {
  const q = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;
  const script = `#!/bin/sh
# Chromium inside ${label} of a medchain test world (tests/sites/chromium.ts).
NETNS="\${MEDCHAIN_NETNS:-${ns}}"
HOME_DIR="\${MEDCHAIN_HOME:-${home}}"
exec ${q(IP)} netns exec "$NETNS" /usr/bin/env HOME="$HOME_DIR" ${q(CHROMIUM)} "$@"
`;
  await writeFile(path, script);
  await chmod(path, 0o755);
}

/** Extra launch settings for {@link chromiumFor}. */
export interface ChromiumForOptions {
  /** Flags added after {@link CHROMIUM_ARGS}. */
  readonly args?: readonly string[];
  /** Default true. */
  readonly headless?: boolean;
}

/**
 * Playwright launch options that start Chromium inside `site`:
 * `chromium.launch(chromiumFor(site))`, or `use: { launchOptions: chromiumFor(site) }`.
 */
export function chromiumFor(site: ChromiumSite, opts: ChromiumForOptions = {}): LaunchOptions {
  return {
    executablePath: site.chromiumWrapper,
    headless: opts.headless ?? true,
    args: [...CHROMIUM_ARGS, ...(opts.args ?? [])],
    env: { ...process.env, MEDCHAIN_NETNS: site.hostNs, MEDCHAIN_HOME: site.home } as Record<string, string>,
  };
}
