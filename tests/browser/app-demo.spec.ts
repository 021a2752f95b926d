/**
 * The demo network's sample logins (issue 6 first screen): after one click,
 * the start screen lists the demo hospital's authority and the sample
 * patients; a newcomer logs in as a sample patient and reads that patient's
 * sample record, decrypted on this device, and as the authority sees the
 * hospital's screens, with this device's node voting for the hospital;
 * the authority certifies a staff member from the enrolment code, who then
 * logs in as staff, and removes them again (SPEC §2: staff accounts are
 * certified by their hospital's authority).
 */
import { DEMO_AUTHORITY, DEMO_PATIENTS } from '../../src/lib/app/node/demo-logins';
import type { Page } from '@playwright/test';
import { verhoeffDigit } from '../../src/lib/core/verhoeff';
import { expect, failOnPageErrors, screenshot, test } from './setup/app';
import { startRelayProcess, type RelayProcess } from '../../src/bench/relay-process';
import { axeSerious } from './setup/patient-flow';

const STAFF = { aadhaar: '61234567893'.concat(String(verhoeffDigit('61234567893'))), passphrase: 'nurse quartz lagoon pepper', name: 'Nurse Kavya' };

async function clinicianLogIn(page: Page, who: { aadhaar: string; passphrase: string }): Promise<void> {
  await page.locator('#clin-aadhaar').fill(who.aadhaar);
  await page.locator('#clin-aadhaar').press('Tab');
  await page.locator('#clin-passphrase').fill(who.passphrase);
  await page.getByRole('button', { name: 'Log in' }).click();
  await expect(page.getByRole('button', { name: 'Sign out' })).toBeVisible({ timeout: 60_000 });
}

let relay: RelayProcess;
test.beforeAll(async () => {
  relay = await startRelayProcess();
});
test.afterAll(async () => {
  await relay?.stop();
});

test('the demo network lists its sample logins, and a sample patient and the authority can log in with them', async ({ page, appUrl }, testInfo) => {
  test.setTimeout(300_000);
  const problems = failOnPageErrors(page);
  await page.goto(appUrl);
  await page.getByLabel('Relay address').fill(relay.url);
  await page.getByRole('button', { name: 'Found a demo network' }).click();
  await expect(page.getByTestId('network-running')).toBeVisible({ timeout: 120_000 });
  const logins = page.getByTestId('demo-logins');
  await logins.locator('summary').click();
  await expect(logins.getByRole('table', { name: 'Sample logins' })).toContainText(DEMO_PATIENTS[0]!.name);
  expect(await axeSerious(page)).toEqual([]);
  await screenshot(page, testInfo, 'start-demo-logins');

  // Meera Iyer's sample record is a blood panel, sealed for her and readable only with her keys.
  const meera = DEMO_PATIENTS[0]!;
  await page.getByRole('navigation').getByRole('link', { name: 'Patient', exact: true }).click();
  await page.getByRole('link', { name: 'Log in' }).click();
  await page.locator('#login-aadhaar').fill(meera.aadhaar);
  await page.locator('#login-aadhaar').press('Tab');
  await page.locator('#login-passphrase').fill(meera.passphrase);
  await page.getByRole('button', { name: 'Log in' }).click();
  await expect(page.getByTestId('timeline').getByRole('button', { name: 'Blood panel' })).toBeVisible({ timeout: 180_000 });
  await page.getByRole('button', { name: 'Sign out' }).click();

  await page.getByRole('navigation').getByRole('link', { name: 'Clinician', exact: true }).click();
  await clinicianLogIn(page, DEMO_AUTHORITY);
  await expect(page.getByText('Signed in as the authority of Demo City Hospital')).toBeVisible({ timeout: 60_000 });
  expect(await page.evaluate(() => (window as unknown as { medchain: { status(): { role: string } } }).medchain.status().role)).toBe('validator');
  await page.getByRole('button', { name: 'Sign out' }).click();

  // A new staff member makes an enrolment code; the authority certifies it; the staff member then acts for the hospital.
  await clinicianLogIn(page, STAFF);
  await expect(page.getByText('Signed in; not yet part of a hospital.')).toBeVisible();
  await page.locator('#enrol-hospital').selectOption({ label: 'Demo City Hospital' });
  const code = await page.locator('#enrol-code').inputValue();
  expect(code.length).toBeGreaterThan(40);
  await screenshot(page, testInfo, 'clinician-enrol');
  await page.getByRole('button', { name: 'Sign out' }).click();
  await clinicianLogIn(page, DEMO_AUTHORITY);
  await page.locator('#staff-code').fill(code);
  await page.locator('#staff-name').fill(STAFF.name);
  await page.getByRole('button', { name: 'Certify' }).click();
  await expect(page.getByRole('button', { name: `Remove ${STAFF.name}` })).toBeVisible({ timeout: 120_000 });
  await page.getByRole('button', { name: 'Sign out' }).click();
  await clinicianLogIn(page, STAFF);
  await expect(page.getByText(`Signed in as ${STAFF.name}, staff of Demo City Hospital`)).toBeVisible({ timeout: 60_000 });
  await expect(page.getByRole('heading', { name: 'Find a patient' })).toBeVisible();
  await page.getByRole('button', { name: 'Sign out' }).click();

  // Removed, the staff member can no longer act for the hospital.
  await clinicianLogIn(page, DEMO_AUTHORITY);
  page.once('dialog', (d) => void d.accept());
  await page.getByRole('button', { name: `Remove ${STAFF.name}` }).click();
  await expect(page.getByRole('button', { name: `Remove ${STAFF.name}` })).toHaveCount(0, { timeout: 120_000 });
  await page.getByRole('button', { name: 'Sign out' }).click();
  await clinicianLogIn(page, STAFF);
  await expect(page.getByText('You were removed from your hospital')).toBeVisible({ timeout: 60_000 });
  expect(problems).toEqual([]);
});
