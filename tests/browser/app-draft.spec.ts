/**
 * Issue 15 on the hospital's screen.
 * (a) A clinician's typed record is never lost to a change of consent: a
 * hospital types in "Add a record" while the patient revokes; the form stays
 * with the text, says the patient revoked and when, and will not save; the
 * draft is kept on the device sealed (no text in clear in storage), survives
 * a reload and sign-in, and saves once consent returns, after which the
 * draft is gone.
 * (b) The grant's terms: under a view-only grant an attachment is shown in
 * the page and offered for no download; once the patient revokes, the
 * history says the record was removed from the hospital and when, and the
 * hospital's own record stays readable.
 */
import type { Browser, Page } from '@playwright/test';
import { expect, failOnPageErrors, test } from './setup/app';
import { axeSerious } from './setup/patient-flow';
import { A, CHAIN, P, useStoryRelay } from './setup/story-cast';
import { clinicianLogIn, foundAsHospital, joinByLink, nav, openPatient, patientShortId, registerInApp, section, shareLink } from './setup/story-steps';

/** The hospital's authority and the patient. */
const people = { hospital: A, patient: P };
/** Chain waits on a loaded 2-core machine. */
const BLOCK_WAIT = CHAIN;
const TITLE = 'Iron supplement';
const NOTES = 'Ferrous sulphate 200 mg once a day for 8 weeks.';

test.use({ actionTimeout: 60_000 });
const relayUrl = useStoryRelay();

/**
 * A network founded by the hospital, the patient joined and registered on a
 * second browser context, and the hospital on the patient's screen; `run`
 * gets both pages; no page error may happen on either.
 */
async function withHospitalAndPatient(browser: Browser, appUrl: string, network: string, run: (a: Page, p: Page) => Promise<void>): Promise<void> {
  const [hospitalContext, patientContext] = [await browser.newContext(), await browser.newContext()];
  try {
    const [a, p] = [await hospitalContext.newPage(), await patientContext.newPage()];
    const errors = [failOnPageErrors(a), failOnPageErrors(p)];
    await foundAsHospital(a, appUrl, { ...people.hospital, network, relays: relayUrl() });
    await joinByLink(p, await shareLink(a));
    await registerInApp(p, people.patient, BLOCK_WAIT);
    await run(a, p);
    expect(errors.flat()).toEqual([]);
  } finally {
    await hospitalContext.close();
    await patientContext.close();
  }
}

/** The founder is signed in already (in memory): back to the clinician's screen by the app's own navigation, on the patient. */
async function hospitalOpens(a: Page, p: Page): Promise<string> {
  const shortId = await patientShortId(p);
  await nav(a, 'Clinician');
  await openPatient(a, shortId);
  return shortId;
}

/** The clinician's "Add a record" form. */
const addForm = (page: Page) => page.locator('form', { has: page.locator('#rec-title') });

/** Everything this origin keeps in localStorage, as one string. */
const storage = (page: Page) => page.evaluate(() => Object.entries(localStorage).flat().join('\n'));

/** The hospital asks for access (default terms, or view only) and the patient gives it; resolves once the form may save. */
async function consent(a: Page, p: Page, viewOnly = false): Promise<void> {
  if (viewOnly) await a.getByLabel('View only').check();
  await a.getByRole('button', { name: 'Send request' }).click();
  await expect(a.getByText(/saved on this device/i).first()).toBeVisible({ timeout: 30_000 });
  await section(p, 'Requests');
  await p.getByRole('button', { name: 'Answer…' }).first().click({ timeout: BLOCK_WAIT });
  await p.getByRole('button', { name: 'Give consent' }).click();
  await expect(p.getByText('Consent saved on this device')).toBeVisible();
  await expect(a.getByRole('button', { name: 'Add record' })).toBeEnabled({ timeout: BLOCK_WAIT });
}

test('a typed record survives a revocation and a reload, and saves once consent returns', async ({ browser, appUrl }) => {
  test.setTimeout(600_000);
  await withHospitalAndPatient(browser, appUrl, 'Draft test', async (a, p) => {
    const shortId = await hospitalOpens(a, p);
    await consent(a, p);

    // The clinician types; the draft is kept, sealed: its text is nowhere in storage.
    await a.locator('#rec-category').selectOption({ label: 'Prescription' });
    await a.locator('#rec-title').fill(TITLE);
    await addForm(a).getByRole('button', { name: 'Add a value' }).click();
    await addForm(a).getByLabel('Name', { exact: true }).fill('Dose');
    await addForm(a).getByLabel('Value', { exact: true }).fill('200 mg');
    await a.locator('#rec-text').fill(NOTES);
    await expect(a.getByTestId('draft-status')).toContainText('Draft kept on this device');
    const kept = await storage(a);
    expect(kept).toContain('medchain/draft/');
    for (const clear of [TITLE, 'Ferrous', 'Dose', '200 mg']) expect(kept).not.toContain(clear);

    // The patient revokes while the form is open: it stays, with the text, says so and when, and will not save.
    await section(p, 'Consent');
    await p.getByRole('button', { name: 'Revoke…' }).first().click();
    await p.getByRole('button', { name: 'Revoke consent' }).click();
    await expect(a.getByTestId('write-scope')).toContainText('The patient revoked consent on', { timeout: BLOCK_WAIT });
    await expect(a.getByRole('button', { name: 'Add record' })).toBeDisabled();
    await expect(a.locator('#rec-title')).toHaveValue(TITLE);
    await expect(a.locator('#rec-text')).toHaveValue(NOTES);
    await expect(a.locator('#rec-category')).toHaveValue(String(1));
    expect(await axeSerious(a)).toEqual([]);

    // A reload loses the session, not the draft: signed in again, the form has it back.
    await a.reload();
    await clinicianLogIn(a, people.hospital);
    await openPatient(a, shortId);
    await expect(a.locator('#rec-title')).toHaveValue(TITLE, { timeout: 30_000 });
    await expect(a.locator('#rec-text')).toHaveValue(NOTES);
    await expect(addForm(a).getByLabel('Value', { exact: true })).toHaveValue('200 mg');
    await expect(a.getByText('Your unsaved draft from')).toBeVisible();
    await expect(a.getByRole('button', { name: 'Add record' })).toBeDisabled();

    // Consent returns: Save works; the record reaches the patient and the draft is gone.
    await consent(a, p);
    await a.getByRole('button', { name: 'Add record' }).click();
    await expect(a.locator('#rec-title')).toHaveValue('');
    await section(p, 'Records');
    await expect(p.getByTestId('timeline').getByRole('button', { name: TITLE })).toBeVisible({ timeout: BLOCK_WAIT });
    await expect(a.getByText('A record you saved is waiting for a block')).toHaveCount(0, { timeout: BLOCK_WAIT });
    expect(await storage(a)).not.toContain('medchain/draft/');
  });
});

test('view only: an attachment is shown, not offered for download; revoked: removed from the hospital, its own record stays', async ({ browser, appUrl }) => {
  test.setTimeout(600_000);
  await withHospitalAndPatient(browser, appUrl, 'Terms test', async (a, p) => {
    await section(p, 'Add a record');
    await p.getByLabel('Kind of record').selectOption({ label: 'Lab report' });
    await p.getByLabel('Title').fill('Blood count');
    await p.getByLabel(/^Attachments/).setInputFiles({ name: 'hb.txt', mimeType: 'text/plain', buffer: Buffer.from('Hb 13.1 g/dL\n') });
    await p.getByRole('button', { name: 'Save record' }).click();
    await expect(p.getByTestId('timeline').getByRole('button', { name: 'Blood count' })).toBeVisible({ timeout: BLOCK_WAIT });
    await hospitalOpens(a, p);
    await consent(a, p, true);

    const history = a.getByTestId('history');
    await expect(history).toContainText('Blood count', { timeout: BLOCK_WAIT });
    await expect(a.getByTestId('view-only')).toBeVisible();
    await expect(a.getByRole('button', { name: 'Open hb.txt' })).toHaveCount(0);
    await a.getByRole('button', { name: 'Show hb.txt' }).click();
    await expect(history.locator('pre')).toHaveText('Hb 13.1 g/dL');
    expect(await axeSerious(a)).toEqual([]);

    // The hospital's own record, then the revocation.
    await a.locator('#rec-category').selectOption({ label: 'Prescription' });
    await a.locator('#rec-title').fill(TITLE);
    await a.getByRole('button', { name: 'Add record' }).click();
    await expect(history).toContainText(TITLE, { timeout: BLOCK_WAIT });
    await section(p, 'Consent');
    await p.getByRole('button', { name: 'Revoke…' }).first().click();
    await p.getByRole('button', { name: 'Revoke consent' }).click();
    await expect(a.getByTestId('record-removed')).toContainText('Removed from this hospital on', { timeout: BLOCK_WAIT });
    await expect(history).not.toContainText('Blood count');
    await expect(history).not.toContainText('Hb 13.1');
    await expect(history).toContainText(TITLE);
  });
});
