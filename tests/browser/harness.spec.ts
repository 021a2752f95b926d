/** The harness itself: bundled core code runs in Chromium from 127.0.0.1, in a secure context. */
import { createHash } from 'node:crypto';
import { networkInterfaces } from 'node:os';
import { expect, test } from '@playwright/test';
import { openHarness } from './setup/fixtures';

type Smoke = { sha256Hex(t: string): string; secure(): boolean; ed25519(): Promise<boolean> };

test('core code runs in the page and agrees with Node', async ({ page }) => {
  await openHarness(page, 'smoke');
  const hex = await page.evaluate((t) => (window as unknown as { harness: Smoke }).harness.sha256Hex(t), 'medchain');
  expect(hex).toBe(createHash('sha256').update('medchain').digest('hex'));
});

test('pages are a secure context with WebCrypto Ed25519', async ({ page }) => {
  await openHarness(page, 'smoke');
  expect(await page.evaluate(() => (window as unknown as { harness: Smoke }).harness.secure())).toBe(true);
  expect(await page.evaluate(() => (window as unknown as { harness: Smoke }).harness.ed25519())).toBe(true);
});

test('the suite runs inside a private network namespace', () => {
  // scripts/netns-run.sh: loopback and one veth pair, nothing that leads off the machine.
  const addresses = Object.entries(networkInterfaces())
    .flatMap(([name, list]) => (list ?? []).filter((a) => a.family === 'IPv4').map((a) => `${name}=${a.address}`))
    .sort();
  expect(addresses, 'run the browser tests through scripts/netns-run.sh').toEqual(['lo=127.0.0.1', 'mc-a=10.213.0.1', 'mc-b=10.213.0.2']);
});
