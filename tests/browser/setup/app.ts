/**
 * Fixtures for tests of the built app (issue 6): `appUrl` builds the app if
 * build/ is stale (scripts/build-app.mjs, as `npm start` does) and serves it
 * with scripts/serve.mjs on a free port, once per worker; `servedCopy` serves
 * a private copy of the build that a test may change (a new version, a
 * foreign app at the same address), then `reload()`s, as the server reads
 * its folder when it starts. Each test's `page` is a fresh browser
 * context: its own storage and service workers.
 */
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test as base, type Page, type TestInfo } from '@playwright/test';
import { buildDir, buildIfStale } from '../../../scripts/build-app.mjs';
import { startStaticServer } from '../../../scripts/serve.mjs';

type Served = { url: string; root: string; reload: () => void };

async function serve(root: string): Promise<{ url: string; reload: () => void; close: () => Promise<void> }> {
  const { server, url, reload } = await startStaticServer({ root, host: '127.0.0.1', port: 0 });
  return {
    url,
    reload,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export const test = base.extend<{ servedCopy: Served }, { appUrl: string }>({
  appUrl: [
    async ({}, use) => {
      await buildIfStale({ quiet: true });
      const served = await serve(buildDir);
      await use(served.url);
      await served.close();
    },
    { scope: 'worker', timeout: 300_000 },
  ],
  servedCopy: async ({ appUrl }, use) => {
    void appUrl; // the build exists once appUrl is set up
    const root = mkdtempSync(join(tmpdir(), 'medchain-app-'));
    cpSync(buildDir, root, { recursive: true });
    const served = await serve(root);
    await use({ url: served.url, root, reload: served.reload });
    await served.close();
    rmSync(root, { recursive: true, force: true });
  },
});

export { expect } from '@playwright/test';

/** Fails the test on any page error or console error (CSP violations show up as console errors). */
export function failOnPageErrors(page: Page): string[] {
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console: ${m.text()}`);
  });
  return problems;
}

/** Saves a full-page screenshot with the test report (attached, and kept in the test's output folder). */
export async function screenshot(page: Page, testInfo: TestInfo, name: string): Promise<void> {
  const path = testInfo.outputPath(`${name}.png`);
  await page.screenshot({ path, fullPage: true });
  await testInfo.attach(name, { path, contentType: 'image/png' });
}
