/**
 * Helpers for browser tests: open a harness page (tests/browser/harness/<name>.ts)
 * and wait until its module has run and set `window.harnessReady`.
 */
import type { Page } from '@playwright/test';

/** The static server's address (set by global setup). */
export function harnessUrl(): string {
  const url = process.env.MEDCHAIN_HARNESS_URL;
  if (!url) throw new Error('MEDCHAIN_HARNESS_URL is not set: run through playwright.config.ts (global setup)');
  return url;
}

/** Navigates `page` to a harness page and waits for it to be ready; page errors fail loudly. */
export async function openHarness(page: Page, name: string): Promise<void> {
  await page.goto(`${harnessUrl()}${name}.html`);
  await page.waitForFunction(() => (window as unknown as { harnessReady?: boolean }).harnessReady === true, null, { timeout: 20_000 });
}

type HarnessFn = (...args: never[]) => unknown;

/**
 * A typed caller for a harness page's API: `const call = harnessOf<Api>(page);
 * await call('name', arg)` runs `window.harness.name(arg)` in the page.
 */
export function harnessOf<Api extends Record<string, HarnessFn>>(page: Page) {
  return <K extends keyof Api & string>(name: K, ...args: Parameters<Api[K]>): Promise<Awaited<ReturnType<Api[K]>>> =>
    page.evaluate(([n, a]) => (window as unknown as { harness: Record<string, (...x: unknown[]) => unknown> }).harness[n]!(...a), [
      name,
      args as unknown[],
    ] as const) as Promise<Awaited<ReturnType<Api[K]>>>;
}
