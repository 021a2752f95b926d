/**
 * Figures for the mesh over WebRTC in Chromium (printed, never asserted):
 * channel setup time, block download rate of a late node through one data
 * channel, and the time a ~600 KiB block takes to cross. Run inside the
 * network namespace:
 *   scripts/netns-run.sh npx tsx tests/browser/bench/mesh-figures.ts [blocks]
 */
import { chromium, type Page } from '@playwright/test';
import { toHex } from '../../../src/lib/core/bytes';
import { startStaticServer } from '../../../scripts/serve.mjs';
import { chromiumLaunchOptions } from '../../../src/bench/chromium';
import { bundleHarness, HARNESS_OUT } from '../../../src/bench/harness-bundle';
import { startRelayProcess } from '../../../src/bench/relay-process';
import { HARNESS_SRC } from '../setup/global-setup';

const blocks = Number(process.argv[2] ?? 500);
await bundleHarness(HARNESS_SRC);
const { server, url } = await startStaticServer({ root: HARNESS_OUT, host: '127.0.0.1', port: 0 });
const relay = await startRelayProcess();
const browser = await chromium.launch({ headless: true, ...chromiumLaunchOptions() });
/** What the mesh harness page (tests/browser/harness/mesh.ts) answers to `state` and to `mine`, as far as used here. */
type MeshState = { height: number; tip: string; setupMs: number[] };
type Mined = { key: string; bytes: number };
const call = <T = unknown>(p: Page, name: string, ...args: unknown[]) =>
  p.evaluate(([n, a]) => (window as unknown as { harness: Record<string, (...x: unknown[]) => unknown> }).harness[n as string]!(...(a as unknown[])), [
    name,
    args,
  ] as const) as Promise<T>;

async function node(name: string, n: number): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await page.goto(`${url}mesh.html`);
  await page.waitForFunction(() => (window as unknown as { harnessReady?: boolean }).harnessReady === true);
  const secretHex = toHex(crypto.getRandomValues(new Uint8Array(32)));
  await call(page, 'start', { relayUrl: relay.url, networkId: 'mesh-figures', secretHex, blocks: n });
  return page;
}

async function until(cond: () => Promise<boolean>): Promise<number> {
  const t = performance.now();
  while (!(await cond())) await new Promise((r) => setTimeout(r, 10));
  return performance.now() - t;
}

try {
  const a = await node('a', blocks);
  const b = await node('b', 0);
  const sync = await until(async () => (await call<MeshState>(b, 'state')).height === blocks);
  const sb = await call<MeshState>(b, 'state');
  console.log(`channel setup (link started → verified open): ${sb.setupMs.map((x) => x.toFixed(0)).join(', ')} ms`);
  console.log(
    `late node fetched ${blocks} empty blocks through one channel in ${(sync / 1000).toFixed(2)} s (${((blocks * 1000) / sync).toFixed(0)} blocks/s, incl. connection setup)`,
  );
  for (const [txs, bytes] of [
    [10, 60 * 1024],
    [20, 200],
  ] as const) {
    const mined = await call<Mined>(a, 'mine', txs, bytes);
    const t = await until(async () => (await call<MeshState>(b, 'state')).tip === mined.key);
    console.log(
      `block of ${(mined.bytes / 1024).toFixed(0)} KiB (${txs} txs) mined on A, accepted on B after ${t.toFixed(0)} ms (${(mined.bytes / 1024 / 1024 / (t / 1000)).toFixed(1)} MiB/s end to end, incl. signature checks)`,
    );
  }
} finally {
  await browser.close();
  await relay.stop();
  server.closeAllConnections();
  server.close();
}
