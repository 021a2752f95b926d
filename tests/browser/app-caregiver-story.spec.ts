/**
 * Issue 15's caregiver story on the built app, a browser context per person
 * (its own IndexedDB and node), the real relay, inside the private network
 * namespace: hospital A (whose node makes blocks final), a patient with a
 * record of her own, and her son, another registered patient. She shares her
 * records with him for one day (the shortest the Family form gives); he sees
 * the record under "Shared with me" and opens it. Then the day passes: every
 * context's clock (Playwright's clock, installed before the app loads, so
 * each node's `Date.now` and timers move together and no block is dated
 * ahead of anyone's clock) jumps a day forward, as a laptop's lid closed
 * overnight. With no new block, his open record closes, his screen says she
 * no longer shares records with him and shows none, and her Family list says
 * the sharing ended; the chain goes on (her next record is in a block) and
 * that record does not reach him. Screenshots at phone and desktop sizes in
 * English and Hindi at each of those moments.
 */
import type { Page } from '@playwright/test';
import { en } from '../../src/lib/i18n/en';
import { verhoeffDigit } from '../../src/lib/core/verhoeff';
import { expect, test } from './setup/app';
import { CHAIN, cast, hospitalAndPatient, shots, useStoryRelay } from './setup/story-cast';
import { joinByLink, nav, patientShortId, registerInApp, section, shareLink } from './setup/story-steps';

test.use({ actionTimeout: 60_000 });
const relayUrl = useStoryRelay();

const SON = { aadhaar: '67812345098'.concat(String(verhoeffDigit('67812345098'))), pass: 'copper meadow falcon ripple', name: 'Arjun Iyer' };
const RECORD = 'HbA1c March';
const LATER = 'Lipid panel';
const w = en.consent.caregivers;
/** A day and a few minutes: past the delegation's expiry, however long the steps before took. */
const A_DAY_LATER = '24:05:00';

/** The patient adds a lab report of her own; resolves once it is in a block (her timeline lists it). */
async function addRecord(page: Page, title: string, date: string): Promise<void> {
  await section(page, en.patient.sections.upload);
  await page.getByLabel('Kind of record').selectOption({ label: 'Lab report' });
  await page.getByLabel('Title').fill(title);
  await page.locator('#up-date').fill(date);
  await page.getByRole('button', { name: 'Save record' }).click();
  await expect(page.getByTestId('timeline').getByRole('button', { name: title })).toBeVisible({ timeout: CHAIN });
}

/** The patient's Family section: the delegation form and the list of who she shares with. */
async function family(page: Page): Promise<void> {
  await section(page, en.patient.sections.caregivers);
  await expect(page.getByRole('heading', { name: w.title })).toBeVisible();
}

test('a caregiver reads a shared record until the sharing expires a day later', async ({ browser, appUrl }, info) => {
  test.setTimeout(600_000);
  const people = cast(browser, info);
  const a = await people.open();
  const p = await people.open();
  const c = await people.open();
  // Before any page loads: every clock of the story is Playwright's, running at real speed until it jumps.
  for (const x of [a, p, c]) await x.page.context().clock.install();
  try {
    let sonId = '';
    await test.step('A founds; the patient registers and adds a record; her son joins and registers', async () => {
      await hospitalAndPatient(a.page, p.page, appUrl, relayUrl(), 'Family Network');
      await addRecord(p.page, RECORD, '2026-03-01');
      await joinByLink(c.page, await shareLink(a.page));
      await nav(a.page, 'Clinician');
      await registerInApp(c.page, SON, CHAIN);
      sonId = await patientShortId(c.page);
    });

    await test.step('the patient shares her records with her son for one day', async () => {
      await family(p.page);
      await p.page.getByLabel(w.caregiverId).fill(sonId);
      await p.page.locator('#cg-days').fill('1');
      await p.page.getByRole('button', { name: w.share }).click();
      await expect(p.page.getByText(w.saved)).toBeVisible();
      const given = p.page.getByTestId('delegations').locator('li[data-status="live"]');
      await expect(given).toContainText(sonId, { timeout: CHAIN });
      await expect(given).toContainText('Can read until');
      await shots(p.page, info, 'patient-family-live');
    });

    await test.step('the son sees her record under “Shared with me” and opens it', async () => {
      await section(c.page, en.patient.sections.shared);
      const shared = c.page.getByTestId('shared-patient');
      await expect(shared.locator('li[data-status="live"]')).toBeVisible({ timeout: CHAIN });
      await expect(shared.getByRole('button', { name: RECORD })).toBeVisible({ timeout: 2 * CHAIN });
      await shots(c.page, info, 'caregiver-shared-live');
      await shared.getByRole('button', { name: RECORD }).click();
      await expect(c.page.getByRole('heading', { name: RECORD })).toBeVisible({ timeout: CHAIN });
      await expect(c.page.getByRole('button', { name: w.back })).toBeVisible();
      await shots(c.page, info, 'caregiver-record-open');
    });

    await test.step('a day passes on every device: the son’s record closes and his screen says the sharing ended', async () => {
      await Promise.all([a, p, c].map((x) => x.page.context().clock.fastForward(A_DAY_LATER)));
      const shared = c.page.getByTestId('shared-patient');
      await expect(c.page.getByRole('heading', { name: RECORD })).toBeHidden({ timeout: 30_000 });
      await expect(shared.getByText(w.ended)).toBeVisible();
      await expect(shared.locator('li[data-status="expired"]')).toContainText('Ended on');
      await expect(shared.locator('li[data-status="live"]')).toHaveCount(0);
      await expect(c.page.getByRole('button', { name: RECORD })).toHaveCount(0);
      await shots(c.page, info, 'caregiver-shared-ended');
    });

    await test.step('her Family list says the sharing ended, with no Revoke left to press', async () => {
      const given = p.page.getByTestId('delegations').locator('li');
      await expect(given).toHaveAttribute('data-status', 'expired', { timeout: 30_000 });
      await expect(given).toContainText('Ended on');
      await expect(given.getByRole('button', { name: w.revokeAsk })).toHaveCount(0);
      await shots(p.page, info, 'patient-family-expired');
    });

    await test.step('the chain goes on a day later: her new record is in a block, and his screen, opened again, shows no record', async () => {
      await addRecord(p.page, LATER, '2026-12-08');
      await section(c.page, en.patient.sections.timeline);
      await section(c.page, en.patient.sections.shared);
      const shared = c.page.getByTestId('shared-patient');
      await expect(shared.getByText(w.ended)).toBeVisible({ timeout: 30_000 });
      await expect(shared.getByRole('button')).toHaveCount(0);
      await expect(shared).not.toContainText(LATER);
    });
    for (const x of [a, p, c]) expect(x.problems).toEqual([]);
  } catch (e) {
    await people.dump();
    throw e;
  } finally {
    await people.close();
  }
});
