/**
 * Identity screens of the built app (issue 6, SPEC §2/§7) in Chromium:
 * register shows the masked Aadhaar number, the QR code and the short id;
 * a wrong check digit gets a clear error; logging in on a second, fresh
 * profile with the same Aadhaar number and passphrase gives the same patient
 * id — the same one the core computes in Node. Prints the login KDF time.
 */
import { deriveKeys, deriveMasterSeed } from '../../src/lib/core/keys';
import { longId, patientIdOf, patientQrPayload, shortId } from '../../src/lib/core/ids';
import { verhoeffDigit } from '../../src/lib/core/verhoeff';
import { readQr } from '../unit/core/qr/qr-reader';
import { expect, failOnPageErrors, test } from './setup/app';
import type { Page } from '@playwright/test';

const BODY = '34567890123';
const AADHAAR = BODY + String(verhoeffDigit(BODY));
const WRONG = BODY + String((verhoeffDigit(BODY) + 3) % 10);
const PASS = 'harbour tulip granite meadow';
const NETWORK = 'medchain-v1';

async function fillAadhaar(page: Page, id: string, digits: string): Promise<void> {
  await page.locator(`#${id}`).fill(`${digits.slice(0, 4)} ${digits.slice(4, 8)} ${digits.slice(8)}`);
  await page.locator(`#${id}`).press('Tab');
}

/** Reads the QR code back from the SVG path (unit squares at module coordinates + 4). */
async function qrPayloadOnPage(page: Page): Promise<string> {
  const svg = page.getByTestId('patient-qr');
  const d = (await svg.locator('path').getAttribute('d')) ?? '';
  const side = Number(((await svg.getAttribute('viewBox')) ?? '').split(' ')[2]);
  const size = side - 8;
  const dark = new Uint8Array(size * size);
  for (const m of d.matchAll(/M(\d+) (\d+)h1v1h-1z/g)) dark[(Number(m[2]) - 4) * size + (Number(m[1]) - 4)] = 1;
  return new TextDecoder().decode(readQr(size, dark).payload);
}

test('register: the Aadhaar number is masked once entered, then the card shows the QR code and the short id', async ({ page, appUrl }) => {
  const problems = failOnPageErrors(page);
  await page.goto(`${appUrl}patient/register`);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Register as a patient');
  await expect(page.getByText('format only')).toBeVisible();
  await fillAadhaar(page, 'reg-aadhaar', AADHAAR);
  await expect(page.getByTestId('aadhaar-masked')).toHaveText(`XXXX XXXX ${AADHAAR.slice(-4)}`);
  await expect(page.locator('input#reg-aadhaar')).toHaveCount(0); // the digits are no longer in any field
  await page.locator('#reg-name').fill('Asha Rao');
  await page.locator('#reg-passphrase').fill('password1234');
  await expect(page.getByTestId('strength')).toContainText('not accepted');
  await page.locator('#reg-passphrase').fill(PASS);
  await page.locator('#reg-confirm').fill(PASS);
  await page.getByRole('button', { name: 'Register' }).click();
  await expect(page.getByTestId('kdf-progress')).toBeVisible();
  await expect(page.getByTestId('short-id')).toBeVisible({ timeout: 60_000 });

  const expected = patientIdOf(deriveKeys(deriveMasterSeed(NETWORK, AADHAAR, PASS)).signPublic);
  expect(page.url()).toBe(`${appUrl}patient`);
  await expect(page.getByRole('heading', { name: 'Asha Rao' })).toBeVisible();
  await expect(page.getByTestId('card-aadhaar')).toHaveText(`XXXX XXXX ${AADHAAR.slice(-4)}`);
  await expect(page.getByTestId('short-id')).toHaveText(shortId(expected));
  await expect(page.getByTestId('long-id')).toHaveText(longId(expected), { useInnerText: false });
  expect(await qrPayloadOnPage(page)).toBe(patientQrPayload(NETWORK, expected));

  // The number itself is nowhere: not on screen, not in the URL, not in storage.
  const leaks = await page.evaluate(async (digits) => {
    const dbs = (await indexedDB.databases()).map((d) => d.name);
    return {
      text: document.documentElement.outerHTML.includes(digits),
      url: location.href.includes(digits),
      local: localStorage.length,
      session: sessionStorage.length,
      dbs,
    };
  }, AADHAAR);
  expect(leaks).toEqual({ text: false, url: false, local: 0, session: 0, dbs: [] });
  expect(problems).toEqual([]);
});

test('a wrong check digit gets a clear error and no keys are made', async ({ page, appUrl }) => {
  await page.goto(`${appUrl}patient/register`);
  await fillAadhaar(page, 'reg-aadhaar', WRONG);
  const error = page.locator('#reg-aadhaar-error');
  await expect(error).toHaveText(/check digit does not match/);
  await expect(error).toHaveAttribute('role', 'alert');
  await expect(page.locator('#reg-aadhaar')).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByTestId('aadhaar-masked')).toHaveCount(0);
  // Submitting anyway names every problem and puts focus on the first.
  await page.getByRole('button', { name: 'Register' }).click();
  await expect(page.locator('#reg-aadhaar')).toBeFocused();
  await expect(page.locator('#reg-name-error')).toBeVisible();
  await expect(page.getByTestId('kdf-progress')).toHaveCount(0);
  expect(page.url()).toBe(`${appUrl}patient/register`);
});

test('log in on a second, fresh profile with the same Aadhaar number and passphrase: the same patient id', async ({ page, browser, appUrl }) => {
  await page.goto(`${appUrl}patient/register`);
  await fillAadhaar(page, 'reg-aadhaar', AADHAAR);
  await page.locator('#reg-name').fill('Asha Rao');
  await page.locator('#reg-passphrase').fill(PASS);
  await page.locator('#reg-confirm').fill(PASS);
  await page.getByRole('button', { name: 'Register' }).click();
  const first = await page.getByTestId('long-id').textContent({ timeout: 60_000 });

  const other = await browser.newContext();
  try {
    const second = await other.newPage();
    await second.goto(`${appUrl}patient/login`);
    await fillAadhaar(second, 'login-aadhaar', AADHAAR);
    await second.locator('#login-passphrase').fill(PASS);
    const started = Date.now();
    await second.getByRole('button', { name: 'Log in' }).click();
    // The page keeps answering while the worker derives (it would time out if the KDF ran on the page).
    await expect(second.getByTestId('kdf-progress')).toBeVisible();
    await second.evaluate(() => new Promise((r) => requestAnimationFrame(r)));
    await expect(second.getByTestId('short-id')).toBeVisible({ timeout: 60_000 });
    const seconds = (Date.now() - started) / 1000;
    expect(await second.getByTestId('long-id').textContent()).toBe(first);
    await expect(second.getByTestId('card-aadhaar')).toHaveText(`XXXX XXXX ${AADHAAR.slice(-4)}`);

    // A different passphrase gives a different id (the KDF really uses it).
    await second.getByRole('button', { name: 'Sign out' }).click();
    await second.goto(`${appUrl}patient/login`);
    await fillAadhaar(second, 'login-aadhaar', AADHAAR);
    await second.locator('#login-passphrase').fill(PASS + '!');
    await second.getByRole('button', { name: 'Log in' }).click();
    await expect(second.getByTestId('short-id')).toBeVisible({ timeout: 60_000 });
    expect(await second.getByTestId('long-id').textContent()).not.toBe(first);
    console.log(`login (argon2id m=46 MiB t=1 in a worker, Chromium): ${seconds.toFixed(2)} s from click to card`);
  } finally {
    await other.close();
  }
});
