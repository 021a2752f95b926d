/**
 * Issue 15's consent stories on the built app, a browser context per person
 * (its own IndexedDB and node), the real relay, inside the private network
 * namespace:
 * 1. A narrowed grant: hospital A asks for every kind of record dated from
 *    2024 on, view only; the patient gives lab reports only. A sees what was
 *    granted beside what it asked, reads the 2024 lab report, and never the
 *    consultation note nor the 2023 lab report.
 * 2. A refusal: A asks again; the patient refuses; A's screen says
 *    "Refused" (the refusal is a transaction: no device-local note).
 * Screenshots of both sides at phone and desktop sizes, in English and Hindi.
 */
import type { Page } from '@playwright/test';
import { expect, test } from './setup/app';
import { A, CHAIN, cast, hospitalAndPatient, shots, useStoryRelay } from './setup/story-cast';
import { history, openPatient, section } from './setup/story-steps';

test.use({ actionTimeout: 60_000 });
const relayUrl = useStoryRelay();

/** The patient adds a record of `kind` dated `date`. */
async function addRecord(page: Page, kind: string, title: string, date: string): Promise<void> {
  await section(page, 'Add a record');
  await page.getByLabel('Kind of record').selectOption({ label: kind });
  await page.getByLabel('Title').fill(title);
  await page.locator('#up-date').fill(date);
  await page.getByRole('button', { name: 'Save record' }).click();
  await expect(page.getByTestId('timeline').getByRole('button', { name: title })).toBeVisible({ timeout: CHAIN });
}

test('a narrowed grant and a refusal, seen by both sides', async ({ browser, appUrl }, info) => {
  test.setTimeout(480_000);
  const people = cast(browser, info);
  const a = await people.open();
  const p = await people.open();
  try {
    let shortId = '';
    await test.step('A founds the network; the patient registers and adds three records of different kinds and dates', async () => {
      shortId = await hospitalAndPatient(a.page, p.page, appUrl, relayUrl(), 'Consent Network');
      await addRecord(p.page, 'Lab report', 'Thyroid panel 2023', '2023-11-20');
      await addRecord(p.page, 'Lab report', 'HbA1c 2024', '2024-03-01');
      await addRecord(p.page, 'Consultation note', 'Knee pain visit', '2024-05-10');
    });

    await test.step('A asks for every kind of record from 2024 on, view only', async () => {
      await openPatient(a.page, shortId);
      await a.page.getByLabel('Only records dated').check();
      await a.page.locator('#req-from').fill('2024-01-01');
      await a.page.getByLabel('View only').check();
      await a.page.getByRole('button', { name: 'Send request' }).click();
      await expect(a.page.getByText(/saved on this device/i).first()).toBeVisible({ timeout: 30_000 });
    });

    await test.step('the patient sees what is asked and gives lab reports only', async () => {
      await section(p.page, 'Requests');
      const ask = p.page.locator('li.item').filter({ hasText: A.hospital }).first();
      await expect(ask).toContainText('2024', { timeout: CHAIN });
      await shots(p.page, info, 'patient-request');
      await ask.getByRole('button', { name: 'Answer…' }).click();
      await p.page.getByLabel('Only these kinds:').check();
      for (const box of await p.page.locator('.kinds input[type="checkbox"]').all()) await box.setChecked(false);
      await p.page.locator('.kinds').getByLabel('Lab report').check();
      await p.page.getByRole('button', { name: 'Give consent' }).click();
      await expect(p.page.getByText('Consent saved on this device')).toBeVisible();
    });

    await test.step('A sees the grant beside its request, reads the 2024 lab report only', async () => {
      const h = history(a.page);
      await expect(h).toContainText('HbA1c 2024', { timeout: CHAIN });
      await expect(h).not.toContainText('Thyroid panel 2023');
      await expect(h).not.toContainText('Knee pain visit');
      await expect(a.page.getByText(/less than asked/i).first()).toBeVisible({ timeout: CHAIN });
      await shots(a.page, info, 'clinician-granted');
    });

    await test.step('A asks again; the patient refuses; A sees “refused”', async () => {
      await a.page.getByRole('button', { name: 'Send request' }).click();
      await expect(a.page.getByText(/saved on this device/i).first()).toBeVisible({ timeout: 30_000 });
      await section(p.page, 'Requests');
      const ask = p.page
        .locator('li.item')
        .filter({ has: p.page.getByRole('button', { name: 'Refuse…' }) })
        .first();
      await ask.getByRole('button', { name: 'Refuse…' }).click({ timeout: CHAIN });
      await p.page.getByRole('button', { name: 'Refuse', exact: true }).click();
      await expect(p.page.getByText(/Refusal saved on this device/)).toBeVisible();
      await expect(a.page.getByText(/Refused by the patient on/).first()).toBeVisible({ timeout: CHAIN });
      await shots(a.page, info, 'clinician-refused');
      await expect(p.page.getByText(/Refused on/).first()).toBeVisible({ timeout: CHAIN });
      await shots(p.page, info, 'patient-answers');
    });
    expect(a.problems).toEqual([]);
    expect(p.problems).toEqual([]);
  } catch (e) {
    await people.dump();
    throw e;
  } finally {
    await people.close();
  }
});
