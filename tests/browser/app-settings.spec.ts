/**
 * Patient settings on the built app (issue 6, SPEC §2, §3, §7): on a demo
 * network founded in one click (real relay), a patient registers and adds a
 * record, changes the passphrase (rotation, then every record re-wrapped),
 * logs in with the NEW passphrase and reads the record, is refused with the
 * OLD one, makes a recovery kit and logs in with it, and erases the record,
 * which the timeline then shows as erased. Screenshots of the settings
 * screen at phone and desktop sizes.
 */
import type { Page } from '@playwright/test';
import { verhoeffDigit } from '../../src/lib/core/verhoeff';
import { expect, failOnPageErrors, screenshot, test } from './setup/app';
import { startRelayProcess, type RelayProcess } from '../../src/bench/relay-process';
import { axeSerious, foundDemoNetwork, registerPatient } from './setup/patient-flow';

const BODY = '56789012345';
const AADHAAR = BODY + String(verhoeffDigit(BODY));
const OLD_PASS = 'harbour saffron kettle willow';
const NEW_PASS = 'granite moonlit tamarind ferry';
const CHAIN = 180_000;

let relay: RelayProcess;
test.beforeAll(async () => {
  relay = await startRelayProcess();
});
test.afterAll(async () => {
  await relay?.stop();
});

async function logIn(page: Page, appUrl: string, passphrase: string): Promise<void> {
  await page.goto(`${appUrl}patient/login`);
  await page.locator('#login-aadhaar').fill(AADHAAR);
  await page.locator('#login-aadhaar').press('Tab');
  await page.locator('#login-passphrase').fill(passphrase);
  await page.getByRole('button', { name: 'Log in', exact: true }).click();
}

async function signOut(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page.getByRole('link', { name: 'Log in' })).toBeVisible();
}

test('a patient changes passphrase, logs in with the new one (not the old), uses a recovery kit, and erases a record', async ({ page, appUrl }, testInfo) => {
  test.setTimeout(900_000);
  const problems = failOnPageErrors(page);
  await foundDemoNetwork(page, appUrl, relay.url);

  // Register and add a record.
  await registerPatient(page, appUrl, { aadhaar: AADHAAR, name: 'Arjun Rao', passphrase: OLD_PASS }, CHAIN);
  await page.getByRole('button', { name: 'Add a record' }).click();
  await page.getByLabel('Kind of record').selectOption({ label: 'Lab report' });
  await page.getByLabel('Title').fill('Thyroid panel');
  await page.getByLabel('Notes').fill('TSH 2.1 mIU/L, within range.');
  await page.getByRole('button', { name: 'Save record' }).click();
  const timeline = page.getByTestId('timeline');
  await expect(timeline.getByRole('button', { name: 'Thyroid panel' })).toBeVisible({ timeout: CHAIN });
  const shortId = await (async () => {
    await page.getByRole('button', { name: 'My card' }).click();
    return (await page.getByTestId('short-id').textContent())!.trim();
  })();

  // Settings: screenshots at desktop and phone sizes, then change the passphrase.
  await page.getByRole('button', { name: 'Settings' }).click();
  await expect(page.getByRole('heading', { name: 'Change your passphrase' })).toBeVisible();
  await page.setViewportSize({ width: 1280, height: 900 });
  expect(await axeSerious(page)).toEqual([]);
  await screenshot(page, testInfo, 'settings-desktop');
  await page.setViewportSize({ width: 390, height: 844 });
  await screenshot(page, testInfo, 'settings-phone');
  await page.setViewportSize({ width: 1280, height: 900 });

  await page.locator('#chg-aadhaar').fill(AADHAAR);
  await page.locator('#chg-aadhaar').press('Tab');
  // A current passphrase that does not give this session's keys changes nothing.
  await page.locator('#chg-current').fill('not my passphrase at all');
  await page.locator('#chg-passphrase').fill(NEW_PASS);
  await page.locator('#chg-confirm').fill(NEW_PASS);
  await page.getByRole('button', { name: 'Change passphrase' }).click();
  await expect(page.getByText('do not give your keys. Nothing was changed')).toBeVisible({ timeout: 60_000 });
  await page.locator('#chg-aadhaar').fill(AADHAAR);
  await page.locator('#chg-aadhaar').press('Tab');
  await page.locator('#chg-current').fill(OLD_PASS);
  await page.locator('#chg-passphrase').fill('too short');
  await page.locator('#chg-confirm').fill('too short');
  await page.getByRole('button', { name: 'Change passphrase' }).click();
  await expect(page.locator('#chg-passphrase-error')).toContainText('Too weak');
  await page.locator('#chg-passphrase').fill(NEW_PASS);
  await page.locator('#chg-confirm').fill(NEW_PASS);
  await page.getByRole('button', { name: 'Change passphrase' }).click();
  await expect(page.getByTestId('change-progress')).toBeVisible({ timeout: 90_000 });
  await expect(page.getByTestId('change-done'))
    .toBeVisible({ timeout: CHAIN * 2 })
    .catch(async (e: Error) => {
      // What the node held when the change did not finish, with the report.
      const status = await page.evaluate(() => JSON.stringify((window as unknown as { medchain?: { status(): unknown } }).medchain?.status() ?? null));
      throw new Error(`${e.message}\nnode status: ${status}`);
    });
  await signOut(page);

  // The new passphrase finds the same patient and opens the record.
  await logIn(page, appUrl, NEW_PASS);
  await expect(page.getByRole('navigation', { name: 'Your records' })).toBeVisible({ timeout: 90_000 });
  await expect(timeline.getByRole('button', { name: 'Thyroid panel' })).toBeVisible({ timeout: 60_000 });
  await timeline.getByRole('button', { name: 'Thyroid panel' }).click();
  await expect(page.getByText('TSH 2.1 mIU/L, within range.')).toBeVisible();
  await page.getByRole('button', { name: 'My card' }).click();
  await expect(page.getByTestId('short-id')).toHaveText(shortId);
  await signOut(page);

  // The old passphrase no longer gives access.
  await logIn(page, appUrl, OLD_PASS);
  await expect(page.getByRole('alert')).toContainText('replaced by a passphrase change', { timeout: 90_000 });

  // A recovery kit, made on request with the current passphrase, then used to log in.
  await logIn(page, appUrl, NEW_PASS);
  await expect(page.getByRole('navigation', { name: 'Your records' })).toBeVisible({ timeout: 90_000 });
  await page.getByRole('button', { name: 'Settings' }).click();
  await page.locator('#kit-aadhaar').fill(AADHAAR);
  await page.locator('#kit-aadhaar').press('Tab');
  await page.locator('#kit-passphrase').fill(NEW_PASS);
  await page.getByRole('button', { name: 'Make a recovery kit' }).click();
  const sheet = page.getByTestId('kit-sheet');
  await expect(sheet).toBeVisible({ timeout: 90_000 });
  await expect(sheet).toContainText('Anyone holding this sheet can act as you');
  await expect(sheet).toContainText(shortId);
  await expect(sheet).toContainText(`XXXX XXXX ${AADHAAR.slice(8)}`);
  await expect(sheet.getByRole('img', { name: 'QR code of your recovery kit' })).toBeVisible();
  const code = (await page.getByTestId('kit-code').textContent())!.trim();
  expect(code).toMatch(/^M1[0-9A-Z]{2}( [0-9A-Z]{4}){14}$/);
  expect(await axeSerious(page)).toEqual([]);
  await screenshot(page, testInfo, 'settings-recovery-kit');
  // Printed, the sheet is all there is on the page.
  await page.emulateMedia({ media: 'print' });
  await expect(page.getByRole('heading', { name: 'Change your passphrase' })).toBeHidden();
  await expect(sheet).toBeVisible();
  await screenshot(page, testInfo, 'recovery-kit-print');
  await page.emulateMedia({ media: 'screen' });
  await page.getByRole('button', { name: 'Close the kit' }).click();
  await expect(sheet).toHaveCount(0);
  await signOut(page);

  await page.goto(`${appUrl}patient/login`);
  await page.getByText('Log in with a recovery kit').click();
  const typo = code.slice(0, 10) + (code[10] === 'A' ? 'B' : 'A') + code.slice(11);
  await page.locator('#kit-code').fill(typo);
  await page.getByRole('button', { name: 'Log in with the kit' }).click();
  await expect(page.locator('#kit-code-error')).toContainText('typo');
  await page.locator('#kit-code').fill(code.toLowerCase().replace(/ /g, '-'));
  await page.getByRole('button', { name: 'Log in with the kit' }).click();
  await expect(page.getByText('You logged in with your recovery kit')).toBeVisible({ timeout: 60_000 });
  await expect(timeline.getByRole('button', { name: 'Thyroid panel' })).toBeVisible({ timeout: 60_000 });

  // Erase the record: the confirm step says what it does and does not do; the timeline then shows it erased.
  await timeline.getByRole('button', { name: 'Thyroid panel' }).click();
  await page.getByRole('button', { name: 'Erase this record…' }).click();
  await expect(page.getByText('Hospitals that already opened the record may have kept a copy')).toBeVisible();
  expect(await axeSerious(page)).toEqual([]);
  await page.getByRole('button', { name: 'Erase for good' }).click();
  await expect(page.getByText('“Thyroid panel” is erased from this device')).toBeVisible({ timeout: 30_000 });
  await expect(page.getByTestId('erased-row')).toContainText('Erased on', { timeout: CHAIN });
  await expect(timeline.getByRole('button', { name: 'Thyroid panel' })).toHaveCount(0);
  expect(problems).toEqual([]);
});
