/**
 * The bench command's browser (issue 7): the bench's pages (src/bench/pages)
 * bundled and served from 127.0.0.1 (harness-bundle.ts, scripts/serve.mjs),
 * extra files copied beside them, and one headless Chromium launched as the
 * browser tests launch it (chromium.ts: the system Chromium and its flags).
 * Every page is its own browser context (own storage, own workers).
 */
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, type BrowserContext, type CDPSession, chromium, type Page } from '@playwright/test';
import { startStaticServer } from '../../scripts/serve.mjs';
import { chromiumLaunchOptions } from './chromium';
import { bundleHarness, HARNESS_OUT, ROOT } from './harness-bundle';

/** The bench's pages: each `<name>.ts` here is served as `<name>.html`. */
export const BENCH_PAGES = join(ROOT, 'src/bench/pages');

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
   * Opens a bench page (src/bench/pages/<name>.ts) and waits until it
   * is ready: in `context` (pages of one context share IndexedDB), else in a fresh one.
   */
  open(name: string, context?: BrowserContext): Promise<BenchPage>;
  close(): Promise<void>;
}

/** `files` maps a served name (e.g. bench-chain.bin) to a file on disk. */
export async function startBenchBrowser(files: Record<string, string> = {}): Promise<BenchBrowser> {
  await bundleHarness(BENCH_PAGES);
  for (const [name, path] of Object.entries(files)) copyFileSync(path, join(HARNESS_OUT, name));
  const { server, url } = await startStaticServer({ root: HARNESS_OUT, host: '127.0.0.1', port: 0 });
  const browser = await chromium.launch({ headless: true, ...chromiumLaunchOptions() });
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
        throw new Error(`${name}: ${(e as Error).message}${errors.length ? ` (page errors: ${errors.join('; ')})` : ''}`, { cause: e });
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
