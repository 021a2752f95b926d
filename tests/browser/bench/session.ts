/**
 * The bench command's browser (issue 7): the harness pages bundled and
 * served from 127.0.0.1 (tests/browser/setup/bundle.ts, scripts/serve.mjs),
 * extra files copied beside them, and one headless Chromium launched with
 * the browser tests' options (playwright.config.ts: the system Chromium).
 * Every page is its own browser context (own storage, own workers).
 */
import { copyFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, type BrowserContext, type CDPSession, chromium, type Page } from '@playwright/test';
import { startStaticServer } from '../../../scripts/serve.mjs';
import config from '../../../playwright.config';
import { bundleHarness, HARNESS_OUT } from '../setup/bundle';

export interface BenchPage {
  readonly page: Page;
  /** Runs `window.harness[name](...args)` in the page. */
  call<T>(name: string, ...args: unknown[]): Promise<T>;
  /** JS heap in use (bytes) after a full garbage collection, through the DevTools protocol. */
  heapUsed(): Promise<number>;
  close(): Promise<void>;
}

export interface BenchBrowser {
  readonly url: string;
  readonly browser: Browser;
  /**
   * Opens a harness page (tests/browser/harness/<name>.ts) and waits until it
   * is ready: in `context` (pages of one context share IndexedDB), else in a fresh one.
   */
  open(name: string, context?: BrowserContext): Promise<BenchPage>;
  close(): Promise<void>;
}

/** `files` maps a served name (e.g. bench-chain.bin) to a file on disk. */
export async function startBenchBrowser(files: Record<string, string> = {}): Promise<BenchBrowser> {
  await bundleHarness();
  for (const [name, path] of Object.entries(files)) copyFileSync(path, join(HARNESS_OUT, name));
  const { server, url } = await startStaticServer({ root: HARNESS_OUT, host: '127.0.0.1', port: 0 });
  const launch = config.use?.launchOptions ?? {};
  const browser = await chromium.launch({ ...launch, executablePath: existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined });
  return {
    url,
    browser,
    open: async (name, shared) => {
      const context = shared ?? (await browser.newContext());
      const page = await context.newPage();
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      await page.goto(`${url}${name}.html`);
      await page.waitForFunction(() => (window as unknown as { harnessReady?: boolean }).harnessReady === true, null, { timeout: 60_000 });
      return benchPage(context, page, errors, shared === undefined);
    },
    close: async () => {
      await browser.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function benchPage(context: BrowserContext, page: Page, errors: string[], ownContext: boolean): BenchPage {
  let cdp: CDPSession | null = null;
  return {
    page,
    call: async <T>(name: string, ...args: unknown[]) => {
      try {
        return (await page.evaluate(
          ([n, a]) => (window as unknown as { harness: Record<string, (...x: unknown[]) => unknown> }).harness[n as string]!(...(a as unknown[])),
          [name, args] as const,
        )) as T;
      } catch (e) {
        throw new Error(`${name}: ${(e as Error).message}${errors.length ? ` (page errors: ${errors.join('; ')})` : ''}`);
      }
    },
    heapUsed: async () => {
      cdp ??= await context.newCDPSession(page);
      await cdp.send('HeapProfiler.collectGarbage');
      const { usedSize } = await cdp.send('Runtime.getHeapUsage');
      return usedSize;
    },
    close: () => (ownContext ? context.close() : page.close()),
  };
}
