/**
 * Accessibility of the screens built so far (issue 6 story 6, SPEC §7):
 * axe-core finds no serious or critical violation (WCAG 2.1 A/AA rules) on
 * each screen, at phone and desktop sizes, in light and dark schemes;
 * keyboard use starts with the skip link and reaches the form in order.
 * Screenshots of every screen at both sizes are attached to the report.
 */
import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { verhoeffDigit } from '../../src/lib/core/verhoeff';
import { expect, screenshot, test } from './setup/app';

const SIZES = { phone: { width: 390, height: 844 }, desktop: { width: 1280, height: 860 } } as const;

async function seriousViolations(page: Page): Promise<string[]> {
  const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']).analyze();
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

for (const [sizeName, viewport] of Object.entries(SIZES)) {
  for (const scheme of ['light', 'dark'] as const) {
    test(`no serious or critical axe violations on every screen (${sizeName}, ${scheme})`, async ({ page, appUrl }, testInfo) => {
      await page.setViewportSize(viewport);
      await page.emulateMedia({ colorScheme: scheme });
      const check = async (name: string) => {
        expect(await seriousViolations(page), name).toEqual([]);
        if (scheme === 'light') await screenshot(page, testInfo, `${name}-${sizeName}`);
      };
      for (const [name, path, heading] of [
        ['home', '', 'Your medical records, on your device'],
        ['patient', 'patient', 'Patient'],
        ['login', 'patient/login', 'Log in'],
        ['clinician', 'clinician', 'Clinician'],
        ['explorer', 'explorer', 'Explorer'],
      ] as const) {
        await page.goto(`${appUrl}${path}`);
        await expect(page.getByRole('heading', { level: 1 })).toHaveText(heading);
        await check(name);
      }
      // Register with every error showing, then with the meter, then the signed-in card.
      await page.goto(`${appUrl}patient/register`);
      await page.locator('#reg-aadhaar').fill('2345 6789 0121');
      await page.locator('#reg-aadhaar').press('Tab');
      await page.getByRole('button', { name: 'Register' }).click();
      await expect(page.locator('#reg-name-error')).toBeVisible();
      await check('register-errors');
      const body = '56789012345';
      await page.locator('#reg-aadhaar').fill(body + String(verhoeffDigit(body)));
      await page.locator('#reg-aadhaar').press('Tab');
      await page.locator('#reg-name').fill('Meera Iyer');
      await page.locator('#reg-passphrase').fill('quiet');
      await expect(page.getByTestId('strength')).toBeVisible();
      await check('register-meter');
      await page.locator('#reg-passphrase').fill('copper lagoon whistle ember');
      await page.locator('#reg-confirm').fill('copper lagoon whistle ember');
      await page.getByRole('button', { name: 'Register' }).click();
      await expect(page.getByTestId('short-id')).toBeVisible({ timeout: 60_000 });
      await check('patient-card');
    });
  }
}

test('keyboard: the skip link comes first, then the modes, and the form fields follow in reading order', async ({ page, appUrl }) => {
  await page.goto(`${appUrl}patient/register`);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Register as a patient');
  await page.keyboard.press('Tab');
  await expect(page.getByRole('link', { name: 'Skip to content' })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.locator('#main')).toBeFocused();
  const order: string[] = [];
  for (let i = 0; i < 9; i++) {
    await page.keyboard.press('Tab');
    order.push(await page.evaluate(() => document.activeElement?.id || document.activeElement?.textContent?.trim() || ''));
  }
  expect(order).toEqual(['reg-child', 'reg-aadhaar', 'reg-name', 'reg-label', 'reg-passphrase', 'Show', 'Suggest a passphrase', 'reg-confirm', 'Show']);
  // Mode navigation marks the current page for assistive technology.
  await page.goto(`${appUrl}explorer`);
  await expect(page.getByRole('link', { name: 'Explorer' })).toHaveAttribute('aria-current', 'page');
});
