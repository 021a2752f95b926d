/**
 * Issue 15's emergency access from request to review, on the built app, a
 * browser context per person, the real relay, inside the private network
 * namespace: hospitals A and B (two thirds of two: both must release), a
 * clinician certified by A, and a patient. The patient turns emergency access
 * on; the clinician breaks the glass; once the access is final both
 * hospitals' authorities release their parts and the clinician reads the
 * allergy record; A's authority records its review; the patient's access log
 * shows the access and the review, and their inbox tells them.
 */
import { expect, test } from './setup/app';
import { A, B, CHAIN, P, cast, shots, useStoryRelay } from './setup/story-cast';
import { applyAndApprove, foundAsHospital, joinByLink, nav, openPatient, patientShortId, registerInApp, section, shareLink } from './setup/story-steps';
import { verhoeffDigit } from '../../src/lib/core/verhoeff';
import type { Page } from '@playwright/test';

test.use({ actionTimeout: 60_000 });
const relayUrl = useStoryRelay();
const DOCTOR = { aadhaar: '61234567893'.concat(String(verhoeffDigit('61234567893'))), pass: 'nurse quartz lagoon pepper', name: 'Dr Kavya Rao' };

async function clinicianLogIn(page: Page, who: { aadhaar: string; pass: string }): Promise<void> {
  await page.locator('#clin-aadhaar').fill(who.aadhaar);
  await page.locator('#clin-aadhaar').press('Tab');
  await page.locator('#clin-passphrase').fill(who.pass);
  await page.getByRole('button', { name: 'Log in' }).click();
  await expect(page.getByRole('button', { name: 'Sign out' })).toBeVisible({ timeout: 60_000 });
}

test('emergency access from request to review, the patient told', async ({ browser, appUrl }, info) => {
  test.setTimeout(600_000);
  const people = cast(browser, info);
  const a = await people.open();
  const b = await people.open();
  const d = await people.open();
  const p = await people.open();
  try {
    let shortId = '';
    let link = '';
    await test.step('A founds, B joins and is approved; A certifies a clinician', async () => {
      await foundAsHospital(a.page, appUrl, { network: 'Emergency Network', relays: relayUrl(), ...A });
      link = await shareLink(a.page);
      await nav(a.page, 'Clinician');
      await joinByLink(b.page, link);
      await applyAndApprove(b.page, a.page, B, CHAIN);
      await joinByLink(d.page, link);
      await nav(d.page, 'Clinician');
      await clinicianLogIn(d.page, DOCTOR);
      await d.page.locator('#enrol-hospital').selectOption({ label: A.hospital });
      const code = await d.page.locator('#enrol-code').inputValue();
      await a.page.locator('#staff-code').fill(code);
      await a.page.locator('#staff-name').fill(DOCTOR.name);
      await a.page.getByRole('button', { name: 'Certify' }).click();
      await expect(a.page.getByRole('button', { name: `Remove ${DOCTOR.name}` })).toBeVisible({ timeout: CHAIN });
      await d.page.getByRole('button', { name: 'Sign out' }).click();
      await clinicianLogIn(d.page, DOCTOR);
      await expect(d.page.getByText(`Signed in as ${DOCTOR.name}, staff of ${A.hospital}`)).toBeVisible({ timeout: CHAIN });
    });

    await test.step('the patient registers, records an allergy and turns emergency access on', async () => {
      await joinByLink(p.page, link);
      await registerInApp(p.page, P, CHAIN);
      shortId = await patientShortId(p.page);
      await section(p.page, 'Add a record');
      await p.page.getByLabel('Kind of record').selectOption({ label: 'Allergy' });
      await p.page.getByLabel('Title').fill('Penicillin allergy');
      await p.page.getByRole('button', { name: 'Save record' }).click();
      await expect(p.page.getByTestId('timeline').getByRole('button', { name: 'Penicillin allergy' })).toBeVisible({ timeout: CHAIN });
      await section(p.page, 'Settings');
      const settings = p.page.getByTestId('emergency-settings');
      await settings.getByRole('button', { name: 'Turn on…' }).click({ timeout: CHAIN });
      await expect(settings).toContainText('any 2 of the 2 hospitals');
      await settings.getByRole('button', { name: 'Turn on emergency access' }).click();
      await expect(p.page.getByTestId('emergency-state')).toContainText('Emergency access is on', { timeout: CHAIN });
    });

    await test.step('the clinician breaks the glass; both hospitals release once it is final; the allergy record opens', async () => {
      await openPatient(d.page, shortId);
      await d.page.getByLabel('The patient is unconscious').check({ timeout: CHAIN });
      await d.page.getByLabel(/I understand that this access is recorded/).check();
      await d.page.getByRole('button', { name: 'Open emergency access' }).click();
      await expect(d.page.getByText(/^Opened\./)).toBeVisible({ timeout: 2 * CHAIN });
      await expect(d.page.getByText('Penicillin allergy').first()).toBeVisible({ timeout: CHAIN });
      await shots(d.page, info, 'clinician-emergency-opened');
    });

    await test.step('A’s authority reviews; the patient’s log shows the access and the review, and the inbox tells them', async () => {
      const review = a.page.getByRole('radio', { name: 'Justified' }).first();
      await review.check({ timeout: CHAIN });
      await shots(a.page, info, 'authority-review');
      await a.page.getByRole('button', { name: 'Record review' }).first().click();
      await section(p.page, 'Access log');
      await expect(p.page.locator('tr[data-kind="emergency"]').first()).toContainText(/justified/i, { timeout: CHAIN });
      await shots(p.page, info, 'patient-emergency-log');
      await p.page.getByTestId('inbox-section').click();
      await expect(p.page.getByTestId('notices')).toContainText(/emergency/i, { timeout: CHAIN });
    });
    for (const x of [a, b, d, p]) expect(x.problems).toEqual([]);
  } catch (e) {
    await people.dump();
    throw e;
  } finally {
    await people.close();
  }
});
