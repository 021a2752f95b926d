/**
 * The IndexedDB store in Chromium: the shared suite (the same cases the
 * memory twin passes in Node), a tab killed during writes, a byte changed
 * on disk between two visits, and the persistent-storage answer.
 */
import { expect, test, type Page } from '@playwright/test';
import { storeCases } from '../shared/store-suite';
import { harnessOf, openHarness } from './setup/fixtures';

type LoadSummary = {
  ok: boolean;
  height: number | null;
  tipKey: string | null;
  storedTip: { key: string; height: number } | null;
  bad: { key: string; height: number | null; code: string }[];
  detached: number;
  persisted: boolean | null;
};
type StoreHarness = {
  caseNames(): string[];
  runStoreCase(name: string): Promise<void>;
  writeLoop(db: string, limit: number): Promise<number>;
  progress(): { written: number; persisted: boolean | null };
  openAndLoad(db: string, mode?: 'fast' | 'full'): Promise<LoadSummary>;
  flipStoredByte(db: string, height: number, offset: number): Promise<string>;
  repairFromDemo(db: string, height: number): Promise<{ ok: boolean; code?: string } | null>;
  measure(n: number): Promise<{ strictPerTx: number; inOneTx: number }>;
};
const h = (page: Page) => ({ call: harnessOf<StoreHarness>(page) });

test.describe('store (IndexedDB): shared suite', () => {
  test('the page runs exactly the shared cases', async ({ page }) => {
    await openHarness(page, 'store');
    expect(await h(page).call('caseNames')).toEqual(storeCases.map((c) => c.name));
  });
  for (const c of storeCases)
    test(c.name, async ({ page }) => {
      await openHarness(page, 'store');
      await h(page).call('runStoreCase', c.name);
    });
});

test('a tab killed during writes reopens to a valid chain', async ({ context }) => {
  const writer = await context.newPage();
  await openHarness(writer, 'store');
  // The loop never reaches this limit: the tab is killed first.
  void h(writer)
    .call('writeLoop', 'crash', 1_000_000)
    .catch(() => {});
  await expect.poll(async () => (await h(writer).call('progress')).written, { timeout: 30_000 }).toBeGreaterThanOrEqual(40);
  const before = (await h(writer).call('progress')).written;
  const cdp = await context.newCDPSession(writer);
  const crashed = new Promise((resolve) => writer.once('crash', resolve));
  void cdp.send('Page.crash').catch(() => {});
  await crashed;

  const reader = await context.newPage();
  await openHarness(reader, 'store');
  const fast = await h(reader).call('openAndLoad', 'crash', 'fast');
  expect(fast.bad).toEqual([]);
  expect(fast.ok).toBe(true);
  // Every block the page saw committed is there, and the stored tip is the loaded tip.
  expect(fast.height!).toBeGreaterThanOrEqual(before);
  expect(fast.storedTip).toEqual({ key: fast.tipKey, height: fast.height });
  const full = await h(reader).call('openAndLoad', 'crash', 'full');
  expect([full.ok, full.tipKey]).toEqual([true, fast.tipKey]);
});

test('a byte changed in IndexedDB between visits is named on the next open, and repaired', async ({ context }) => {
  const first = await context.newPage();
  await openHarness(first, 'store');
  expect(await h(first).call('writeLoop', 'tamper', 12)).toBe(12);
  await first.close();

  const second = await context.newPage();
  await openHarness(second, 'store');
  const key = await h(second).call('flipStoredByte', 'tamper', 6, 125);
  await second.close();

  const third = await context.newPage();
  await openHarness(third, 'store');
  const seen = await h(third).call('openAndLoad', 'tamper');
  expect(seen.ok).toBe(false);
  expect(seen.bad).toEqual([{ key, height: 6, code: 'BAD_TX_ROOT' }]);
  expect([seen.height, seen.detached]).toEqual([5, 6]);
  expect(await h(third).call('repairFromDemo', 'tamper', 6)).toEqual({ ok: true });
  const healed = await h(third).call('openAndLoad', 'tamper');
  expect([healed.ok, healed.height, healed.bad]).toEqual([true, 12, []]);
});

test('persistent storage is asked for and the answer reported', async ({ page }) => {
  await openHarness(page, 'store');
  const r = await h(page).call('openAndLoad', 'persist');
  expect(typeof r.persisted).toBe('boolean');
  const m = await h(page).call('measure', 200);
  test.info().annotations.push({
    type: 'figure',
    description: `IndexedDB strict puts: ${m.strictPerTx}/s one tx each, ${m.inOneTx}/s in one tx; persist() = ${r.persisted}`,
  });
  console.log(`figure: IndexedDB strict puts ${m.strictPerTx}/s one tx each, ${m.inOneTx}/s in one tx; persist() = ${r.persisted}`);
});
