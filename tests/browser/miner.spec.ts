/**
 * The miner in a real Web Worker in Chromium (SPEC §5: proof of work never on
 * the UI thread, restarted on a new tip): the shared miner suite (the same
 * cases the twin and the worker protocol pass in Node), the controller driving
 * the worker, and the page's main thread staying live while it mines.
 */
import { expect, test, type Page } from '@playwright/test';
import type { EngineCheck, EngineRates } from './harness/lib/engine-probe';
import { minerCases } from '../shared/miner-suite';
import { harnessOf, openHarness } from './setup/fixtures';

type MinerHarness = {
  caseNames(): string[];
  runMinerCase(name: string): Promise<void>;
  responsiveWhileMining(reports: number): Promise<{ frames: number; timers: number; state: string; tried: number; rate: number }>;
  hashRates(ms: number): Promise<{ worker: number; steady: number; page: number }>;
  brokenWorker(): Promise<{ before: boolean; failed: boolean; state: string; mining: boolean }>;
  controllerMines(): Promise<{ miningBefore: boolean; status: string; txs: number; height: number; miningAfter: boolean }>;
  engineCheck(runs: number): Promise<EngineCheck>;
  engineRates(ms: number): Promise<EngineRates>;
};
const call = (page: Page) => harnessOf<MinerHarness>(page);

test.describe('miner (Web Worker): shared suite', () => {
  test('the page runs exactly the shared cases', async ({ page }) => {
    await openHarness(page, 'miner');
    expect(await call(page)('caseNames')).toEqual(minerCases.map((c) => c.name));
  });
  for (const c of minerCases)
    test(c.name, async ({ page }) => {
      await openHarness(page, 'miner');
      await call(page)('runMinerCase', c.name);
    });
});

test('the controller mines a pending transaction into a block the chain accepts', async ({ page }) => {
  await openHarness(page, 'miner');
  expect(await call(page)('controllerMines')).toEqual({ miningBefore: true, status: 'accepted', txs: 1, height: 1, miningAfter: false });
});

test('a worker that fails to load leaves the miner failed and idle, and the controller not mining', async ({ page }) => {
  await openHarness(page, 'miner');
  expect(await call(page)('brokenWorker')).toEqual({ before: true, failed: true, state: 'idle', mining: false });
});

test('the main thread keeps running while the worker mines', async ({ page }) => {
  await openHarness(page, 'miner');
  const r = await call(page)('responsiveWhileMining', 20);
  // Twenty worker batches went by; the page's frames and timers advanced meanwhile.
  expect(r.state).toBe('mining');
  expect(r.tried).toBeGreaterThan(0);
  expect(r.frames).toBeGreaterThan(2);
  expect(r.timers).toBeGreaterThan(10);
  console.log(`main thread while mining: ${r.frames} frames, ${r.timers} timer turns over 20 worker batches`);
});

test('worker hash rate (printed, not asserted)', async ({ page }) => {
  await openHarness(page, 'miner');
  const r = await call(page)('hashRates', 3000);
  expect(r.worker).toBeGreaterThan(0);
  const f = (n: number) => Math.round(n).toLocaleString('en');
  console.log(`miner nonces/s in Chromium: worker ${f(r.worker)} over the job, ${f(r.steady)} after its first second; page thread mineStep ${f(r.page)}`);
});

test('a worker hashes with the WebAssembly SIMD kernel, answering exactly as the plain loop and @noble/hashes (property, in the worker)', async ({ page }) => {
  await openHarness(page, 'miner');
  expect(await call(page)('engineCheck', 200)).toEqual({ engine: 'wasm-simd', failure: null });
});

test('engine hash rates in a worker (printed, not asserted)', async ({ page }) => {
  test.setTimeout(90_000);
  await openHarness(page, 'miner');
  const r = await call(page)('engineRates', 5000);
  expect(r.engine).toBe('wasm-simd');
  const f = (n: number) => Math.round(n).toLocaleString('en');
  console.log(`worker nonces/s: wasm-simd ${f(r.wasm.overall)} (best 200 ms ${f(r.wasm.best)}), plain js ${f(r.js.overall)} (best ${f(r.js.best)})`);
});
