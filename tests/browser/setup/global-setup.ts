/**
 * Playwright global setup: bundle the test harness pages (tests/browser/harness,
 * with the bundler the bench shares: src/bench/harness-bundle.ts) and serve
 * them from 127.0.0.1 on a free port with scripts/serve.mjs. Tests read the
 * address from MEDCHAIN_HARNESS_URL (set here, inherited by the workers).
 */
import { join } from 'node:path';
import { bundleHarness, HARNESS_OUT, ROOT } from '../../../src/bench/harness-bundle';
import { startStaticServer } from '../../../scripts/serve.mjs';

/** The browser tests' pages: each `<name>.ts` here is served as `<name>.html`. */
export const HARNESS_SRC = join(ROOT, 'tests/browser/harness');

export default async function globalSetup(): Promise<() => Promise<void>> {
  await bundleHarness(HARNESS_SRC);
  const { server, url } = await startStaticServer({ root: HARNESS_OUT, host: '127.0.0.1', port: 0 });
  process.env.MEDCHAIN_HARNESS_URL = url;
  return async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
}
