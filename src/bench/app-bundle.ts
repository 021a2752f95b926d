/**
 * The bundle figure (issue 7): the JavaScript the built app's first screen
 * loads, gzipped. The app is built when stale (scripts/build-app.mjs, as
 * `npm start` does), served from 127.0.0.1 and opened in Chromium; every
 * script the page fetches until the network is idle counts (the entry
 * HTML's modulepreload links and whatever they import, including the first
 * route's chunk). Sizes are of the files on disk, gzip level 9.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Browser } from '@playwright/test';
import { buildDir, buildIfStale } from '../../scripts/build-app.mjs';
import { startStaticServer } from '../../scripts/serve.mjs';

export interface BundleFigure {
  readonly files: readonly string[];
  readonly gzipBytes: number;
  readonly rawBytes: number;
  /** The same for the modulepreload links of index.html alone. */
  readonly preloadGzipBytes: number;
  readonly built: string | null;
}

const gz = (path: string) => gzipSync(readFileSync(join(buildDir, path)), { level: 9 }).length;

/** Paths of `<link rel="modulepreload">` in an HTML page. */
export function modulePreloads(html: string): string[] {
  return [...html.matchAll(/<link\b[^>]*>/g)]
    .map((m) => m[0])
    .filter((tag) => /rel="modulepreload"/.test(tag))
    .map((tag) => /href="([^"]+)"/.exec(tag)?.[1])
    .filter((h): h is string => h !== undefined);
}

export async function measureBundle(browser: Browser): Promise<BundleFigure> {
  const built = await buildIfStale({ quiet: true });
  const { server, url } = await startStaticServer({ root: buildDir, host: '127.0.0.1', port: 0 });
  const context = await browser.newContext({ serviceWorkers: 'block' });
  try {
    const page = await context.newPage();
    const scripts = new Set<string>();
    page.on('response', (r) => {
      const u = new URL(r.url());
      if (u.origin === new URL(url).origin && u.pathname.endsWith('.js') && r.ok()) scripts.add(u.pathname);
    });
    await page.goto(url, { waitUntil: 'networkidle' });
    const files = [...scripts].sort();
    if (files.length === 0) throw new Error('the first screen loaded no script');
    const preloads = modulePreloads(readFileSync(join(buildDir, 'index.html'), 'utf8'));
    return {
      files,
      gzipBytes: files.reduce((n, f) => n + gz(f), 0),
      rawBytes: files.reduce((n, f) => n + readFileSync(join(buildDir, f)).length, 0),
      preloadGzipBytes: preloads.reduce((n, f) => n + gz(f), 0),
      built,
    };
  } finally {
    await context.close();
    server.closeAllConnections();
    server.close();
  }
}
