/**
 * Playwright global setup: bundle the harness pages and serve them from
 * 127.0.0.1 on a free port with scripts/serve.mjs. Tests read the address
 * from MEDCHAIN_HARNESS_URL (set here, inherited by the workers).
 */
import { bundleHarness, HARNESS_OUT } from './bundle';
import { startStaticServer } from '../../../scripts/serve.mjs';

export default async function globalSetup(): Promise<() => Promise<void>> {
  await bundleHarness();
  const { server, url } = await startStaticServer({ root: HARNESS_OUT, host: '127.0.0.1', port: 0 });
  process.env.MEDCHAIN_HARNESS_URL = url;
  return async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
}
