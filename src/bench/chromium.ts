/**
 * The Chromium every browser run of this project uses: the browser tests
 * (playwright.config.ts, the multi-site suite's per-site wrappers) and
 * `medchain bench`. One place, so the bench measures in the browser the
 * tests ran in, with the same flags.
 */
import { existsSync } from 'node:fs';
import type { LaunchOptions } from '@playwright/test';

/** The system browser (Debian package `chromium`). */
export const CHROMIUM = '/usr/bin/chromium';

/** Flags for a quiet root Chromium on a closed network, with plain-address ICE candidates. */
export const CHROMIUM_ARGS: readonly string[] = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-features=WebRtcHideLocalIpsWithMdns',
];

/**
 * Launch options for the system Chromium with {@link CHROMIUM_ARGS}; a
 * developer machine without it falls back to Playwright's own browser.
 */
export function chromiumLaunchOptions(): LaunchOptions {
  return { ...(existsSync(CHROMIUM) ? { executablePath: CHROMIUM } : {}), args: [...CHROMIUM_ARGS] };
}
