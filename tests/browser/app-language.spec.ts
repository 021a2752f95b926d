/**
 * The language switch on the built app (issue 14): English by default for an
 * English browser; the switch in the header is reached with the keyboard,
 * turns the main screens into Hindi at once (with no serious axe finding),
 * sets `<html lang>`, and the choice survives a reload; a browser that prefers Hindi starts in Hindi.
 * The first screen in English carries neither the Hindi messages nor the
 * records' cryptography (they are loaded when needed: the bundle figure).
 * Expected words come from the catalogue itself, so a changed sentence does
 * not break this test but a screen still in English does.
 */
import { en } from '../../src/lib/i18n/en';
import { hi } from '../../src/lib/i18n/hi';
import { LANG_STORAGE_KEY } from '../../src/lib/i18n/lang';
import { expect, failOnPageErrors, screenshot, test } from './setup/app';
import { axeSerious } from './setup/patient-flow';

const SCREENS = [
  ['', hi.home.title],
  ['patient', hi.patient.title],
  ['patient/login', hi.identity.loginTitle],
  ['patient/register', hi.identity.registerTitle],
  ['clinician', hi.clinician.title],
  ['explorer', hi.explorer.title],
] as const;

test('the language switch turns the main screens into Hindi, by keyboard, and the choice survives a reload', async ({ page, appUrl }, testInfo) => {
  const problems = failOnPageErrors(page);
  await page.goto(appUrl);
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(en.home.title);

  // Reached with Tab from the top of the page (after the skip link, the brand and the modes), changed with the keyboard.
  const select = page.getByRole('combobox', { name: en.shell.language });
  let reached = false;
  for (let i = 0; i < 8 && !reached; i++) {
    await page.keyboard.press('Tab');
    reached = await select.evaluate((el) => el === document.activeElement);
  }
  expect(reached, 'the language switch is reached with Tab').toBe(true);
  await page.keyboard.press('ArrowDown');
  await expect(page.locator('html')).toHaveAttribute('lang', 'hi');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(hi.home.title);
  await expect(page.getByRole('navigation', { name: hi.shell.modes }).getByRole('link', { name: hi.shell.patient })).toBeVisible();
  await expect(page.getByRole('region', { name: hi.status.label })).toBeVisible();
  expect(await page.evaluate((key) => localStorage.getItem(key), LANG_STORAGE_KEY)).toBe('hi');
  await screenshot(page, testInfo, 'home-hindi');

  await page.reload();
  await expect(page.locator('html')).toHaveAttribute('lang', 'hi');
  for (const [path, heading] of SCREENS) {
    await page.goto(`${appUrl}${path}`);
    await expect(page.getByRole('heading', { level: 1 }), path || 'home').toHaveText(heading);
    await expect(page.getByRole('combobox', { name: hi.shell.language })).toHaveValue('hi');
    expect(await axeSerious(page), path || 'home').toEqual([]);
  }
  await page.goto(`${appUrl}patient/register`);
  await expect(page.getByLabel(hi.identity.aadhaar)).toBeVisible();
  await expect(page.getByRole('button', { name: hi.identity.register })).toBeVisible();
  await screenshot(page, testInfo, 'register-hindi');

  // And back to English, kept too.
  await page.getByRole('combobox', { name: hi.shell.language }).selectOption('en');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(en.identity.registerTitle);
  await page.reload();
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(en.identity.registerTitle);
  expect(problems).toEqual([]);
});

test('a browser that prefers Hindi starts in Hindi', async ({ browser, appUrl }) => {
  const context = await browser.newContext({ locale: 'hi-IN' });
  const page = await context.newPage();
  await page.goto(appUrl);
  await expect(page.locator('html')).toHaveAttribute('lang', 'hi');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(hi.home.title);
  await context.close();
});

/** Devanagari letters in a text (the language switch's own option name has a few). */
const devanagari = (text: string) => (text.match(/[\u0900-\u097F]/g) ?? []).length;
/** The field prime of Curve25519 as noble writes it: present in any chunk that carries Ed25519 or X25519. */
const CURVE25519_PRIME = '7fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffed';
/** SHA-256's first round constant as noble's table holds it (0x428a2f98): present in any chunk that hashes blocks. */
const SHA256_K0 = /\b(1116352408|0x428a2f98)\b/i;

test('the first screen in English loads no Hindi messages, no screen of a mode, no cryptography and no chain code; Hindi is loaded when chosen', async ({
  page,
  appUrl,
}) => {
  const scripts = new Map<string, string>();
  page.on('response', async (r) => {
    if (r.url().endsWith('.js') && r.ok()) scripts.set(r.url(), await r.text().catch(() => ''));
  });
  await page.goto(appUrl, { waitUntil: 'networkidle' });
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(en.home.title);
  const first = [...scripts.values()];
  expect(first.length).toBeGreaterThan(0);
  expect(devanagari(first.join('')), 'Devanagari on the English first screen').toBeLessThan(40);
  expect(first.filter((s) => s.includes(CURVE25519_PRIME) || SHA256_K0.test(s))).toEqual([]);
  // Nor the words of the modes' screens: they load with a mode's first screen (i18n/catalogue.ts).
  expect(first.filter((s) => s.includes(en.care.unreachable) || s.includes(en.identity.registerTitle))).toEqual([]);
  await page.getByRole('combobox', { name: en.shell.language }).selectOption('hi');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(hi.home.title);
  await expect.poll(() => devanagari([...scripts.values()].join('')), { message: 'the Hindi messages arrive as a script of their own' }).toBeGreaterThan(1000);
});
