/**
 * The installable, offline PWA (issue 6, SPEC §7/§9) in Chromium: the
 * service worker installs and precaches the shell, the app reloads offline
 * (and makes keys offline: the KDF worker and the passphrase estimator are
 * in the shell); a new build brings
 * the "new version" prompt and takes over on reload; a foreign app at the
 * same address is never hidden behind our cached shell; the manifest names
 * real PNG icons. All under the strict CSP sent by scripts/serve.mjs.
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { verhoeffDigit } from '../../src/lib/core/verhoeff';
import { expect, failOnPageErrors, test } from './setup/app';

/** Waits until a service worker controls the page. */
async function controlled(page: Page): Promise<void> {
  await page.evaluate(() => navigator.serviceWorker.ready);
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 20_000 });
}

const shellCaches = (page: Page) => page.evaluate(async () => (await caches.keys()).filter((n) => n.startsWith('medchain-shell-')));

test('the service worker installs, precaches the shell, and the app reloads and makes keys offline', async ({ page, context, appUrl }) => {
  const problems = failOnPageErrors(page);
  const failed: string[] = [];
  page.on('requestfailed', (r) => failed.push(new URL(r.url()).pathname));
  await page.goto(appUrl);
  await controlled(page);
  await expect(page.getByTestId('offline-ready')).toBeVisible();
  const names = await shellCaches(page);
  expect(names).toHaveLength(1);
  const cachedUrls = await page.evaluate(async (name) => (await (await caches.open(name)).keys()).map((r) => new URL(r.url).pathname), names[0]!);
  expect(cachedUrls).toEqual(expect.arrayContaining(['/index.html', '/manifest.webmanifest', '/icons/icon-192.png']));
  expect(cachedUrls.some((u) => /\/_app\/immutable\/workers\/kdf\.worker-.*\.js$/.test(u))).toBe(true);

  await context.setOffline(true);
  await page.reload();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Your medical records, on your device');
  await page.goto(`${appUrl}patient/login`); // a deep link, answered from the cached shell
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Log in');
  await expect(page.getByTestId('status-connection')).toContainText('device offline');

  // Keys are made offline (the KDF worker is in the shell): log in on a device with no network says so, never opens a made-up patient…
  const body = '45678901234';
  const aadhaar = body + String(verhoeffDigit(body));
  await page.locator('#login-aadhaar').fill(aadhaar);
  await page.locator('#login-aadhaar').press('Tab');
  await page.locator('#login-passphrase').fill('offline river candle saffron');
  await page.getByRole('button', { name: 'Log in', exact: true }).click();
  await expect(page.getByTestId('login-refused')).toHaveAttribute('data-code', 'NO_NETWORK');
  // …and registering derives them offline, with the estimator's lazy chunk from the cache too.
  await page.getByRole('link', { name: 'Register' }).click();
  await page.locator('#reg-aadhaar').fill(aadhaar);
  await page.locator('#reg-aadhaar').press('Tab');
  await page.locator('#reg-name').fill('Offline Person');
  await page.locator('#reg-passphrase').fill('offline river candle saffron');
  await page.locator('#reg-confirm').fill('offline river candle saffron');
  await page.getByRole('button', { name: 'Register' }).click();
  await expect(page.getByTestId('short-id')).toBeVisible({ timeout: 60_000 });
  // Offline, only the freshness check (which must bypass every cache) fails to load; nothing else was missing.
  expect([...new Set(failed)]).toEqual(['/_app/version.json']);
  expect(problems.filter((p) => !p.includes('net::ERR_INTERNET_DISCONNECTED'))).toEqual([]);
});

test('a new build brings the update prompt; accepting it reloads into the new build and drops the old cache', async ({ page, servedCopy }) => {
  await page.goto(servedCopy.url);
  await controlled(page);
  const [oldCache] = await shellCaches(page);
  expect(oldCache).toBeDefined();

  // "Deploy" a new build: a new version in the worker and in version.json.
  const versionFile = join(servedCopy.root, '_app/version.json');
  const oldVersion = (JSON.parse(readFileSync(versionFile, 'utf8')) as { version: string }).version;
  const newVersion = String(Number(oldVersion) + 1);
  const swFile = join(servedCopy.root, 'service-worker.js');
  const sw = readFileSync(swFile, 'utf8');
  expect(sw).toContain(`"${oldVersion}"`);
  writeFileSync(swFile, sw.replaceAll(`"${oldVersion}"`, `"${newVersion}"`));
  writeFileSync(versionFile, JSON.stringify({ version: newVersion }));
  servedCopy.reload();

  await page.reload();
  const prompt = page.getByTestId('update-prompt');
  await expect(prompt).toContainText('A new version of medchain is ready.', { timeout: 20_000 });
  await prompt.getByRole('button', { name: 'Reload to update' }).click();
  await page.waitForFunction(
    async () => {
      const reg = await navigator.serviceWorker.getRegistration();
      return reg !== undefined && reg.waiting === null && reg.installing === null && navigator.serviceWorker.controller !== null;
    },
    null,
    { timeout: 20_000 },
  );
  await expect(page.getByTestId('update-prompt')).toHaveCount(0);
  await expect.poll(() => shellCaches(page)).toEqual([`medchain-shell-${newVersion}`]);
});

test('a half-deployed server (worker and version.json disagree) never installs as the shell', async ({ page, servedCopy }) => {
  writeFileSync(join(servedCopy.root, '_app/version.json'), JSON.stringify({ version: 'some-other-build' }));
  servedCopy.reload();
  await page.goto(servedCopy.url);
  const outcome = await page.evaluate(async () => {
    const reg = await navigator.serviceWorker.getRegistration();
    const worker = reg?.installing ?? reg?.waiting ?? reg?.active;
    if (!worker) return 'none';
    if (worker.state === 'redundant') return 'redundant';
    return await new Promise<string>((resolve) =>
      worker.addEventListener('statechange', () => (worker.state === 'redundant' || worker.state === 'activated' ? resolve(worker.state) : undefined)),
    );
  });
  expect(['none', 'redundant']).toContain(outcome);
  expect(await shellCaches(page)).toEqual([]);
});

test('a foreign app at the same address is not hidden behind the cached shell', async ({ page, servedCopy }) => {
  await page.goto(servedCopy.url);
  await controlled(page);
  // The address now serves something else entirely.
  rmSync(servedCopy.root, { recursive: true, force: true });
  const { mkdirSync } = await import('node:fs');
  mkdirSync(servedCopy.root, { recursive: true });
  writeFileSync(join(servedCopy.root, 'index.html'), '<!doctype html><html lang="en"><title>Other</title><h1>Another app</h1></html>');
  servedCopy.reload();
  await page.reload(); // our worker still answers with the cached medchain shell…
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Another app', { timeout: 20_000 }); // …which notices and steps aside
  expect(await page.evaluate(async () => (await navigator.serviceWorker.getRegistrations()).length)).toBe(0);
  expect(await page.evaluate(() => caches.keys())).toEqual([]);
});

test('the manifest names the app and real PNG icons of the stated sizes', async ({ page, appUrl }) => {
  await page.goto(appUrl);
  const href = await page.locator('link[rel="manifest"]').getAttribute('href');
  const manifest = (await (await page.request.get(new URL(href!, appUrl).href)).json()) as {
    name: string;
    short_name: string;
    start_url: string;
    display: string;
    icons: { src: string; sizes: string; type: string; purpose: string }[];
  };
  expect(manifest).toMatchObject({ short_name: 'medchain', start_url: '/', display: 'standalone' });
  expect(manifest.icons.map((i) => `${i.sizes} ${i.purpose}`)).toEqual(['192x192 any', '512x512 any', '512x512 maskable']);
  for (const icon of manifest.icons) {
    const bytes = await (await page.request.get(new URL(icon.src, appUrl).href)).body();
    expect(bytes.subarray(1, 4).toString('ascii')).toBe('PNG');
    expect(`${bytes.readUInt32BE(16)}x${bytes.readUInt32BE(20)}`).toBe(icon.sizes);
  }
});
