/**
 * The patient's caregiver screens on the built app (issue 15, SPEC §2
 * "Family"): on a demo network founded in one click (real relay) a
 * registered patient opens Family, is told plainly why an id that is too
 * short, one no one has, or their own cannot be a caregiver (nothing is
 * sent, the list stays empty), and opens "Shared with me", which says no
 * one shares records with them; neither section has a serious axe finding,
 * and in Hindi they read in Hindi. Words come from the catalogue. Sharing
 * with a second patient, the re-wrap, opening, expiry and revocation are
 * shown by tests/unit/app/patient/caregivers.test.ts.
 */
import { en } from '../../src/lib/i18n/en';
import { hi } from '../../src/lib/i18n/hi';
import { verhoeffDigit } from '../../src/lib/core/verhoeff';
import { shortId } from '../../src/lib/core/ids';
import { expect, failOnPageErrors, screenshot, test } from './setup/app';
import { startRelayProcess, type RelayProcess } from '../../src/bench/relay-process';
import { axeSerious, foundDemoNetwork, registerPatient } from './setup/patient-flow';

const BODY = '56789012345';
const AADHAAR = BODY + String(verhoeffDigit(BODY));
const w = en.consent.caregivers;

let relay: RelayProcess;
test.beforeAll(async () => {
  relay = await startRelayProcess();
});
test.afterAll(async () => {
  await relay?.stop();
});

test('a patient is told why an id cannot be a caregiver, and sees nothing shared with them yet', async ({ page, appUrl }, testInfo) => {
  test.setTimeout(600_000);
  const problems = failOnPageErrors(page);
  await foundDemoNetwork(page, appUrl, relay.url);
  await registerPatient(page, appUrl, { aadhaar: AADHAAR, name: 'Kavita Rao', passphrase: 'saffron ledger willow quartz' });

  const nav = page.getByRole('navigation', { name: en.patient.sectionsLabel });
  await nav.getByRole('button', { name: en.patient.sections.caregivers, exact: true }).click();
  await expect(page.getByRole('heading', { name: w.title })).toBeVisible();
  await expect(page.getByText(w.none)).toBeVisible();

  const id = page.getByLabel(w.caregiverId);
  const share = page.getByRole('button', { name: w.share });
  await id.fill('ABCDE');
  await share.click();
  await expect(page.locator('#cg-id-error')).toHaveText(w.problem.ID_LENGTH);
  await expect(id).toHaveAttribute('aria-invalid', 'true');
  await id.fill(shortId(new Uint8Array(32).fill(7)));
  await share.click();
  await expect(page.locator('#cg-id-error')).toHaveText(w.problem.NOT_FOUND);
  expect(await axeSerious(page)).toEqual([]);
  await screenshot(page, testInfo, 'caregivers-form');
  await expect(page.getByText(w.none)).toBeVisible();

  await nav.getByRole('button', { name: en.patient.sections.shared, exact: true }).click();
  await expect(page.getByRole('heading', { name: w.sharedTitle })).toBeVisible();
  await expect(page.getByText(w.noneShared)).toBeVisible();
  expect(await axeSerious(page)).toEqual([]);

  await page.getByRole('combobox', { name: en.shell.language }).selectOption('hi');
  await expect(page.getByRole('heading', { name: hi.consent.caregivers.sharedTitle })).toBeVisible();
  await page.getByRole('navigation', { name: hi.patient.sectionsLabel }).getByRole('button', { name: hi.patient.sections.caregivers, exact: true }).click();
  await expect(page.getByRole('heading', { name: hi.consent.caregivers.title })).toBeVisible();
  expect(problems).toEqual([]);
});
