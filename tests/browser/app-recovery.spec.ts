/**
 * Recovery through people on the built app (issue 15, SPEC §2): on a demo
 * network founded in one click (one hospital, real relay) a registered
 * patient finds Settings → Recovery through people not set up, is told why
 * their own id cannot hold a share, and sets it up with the hospital and a
 * printed share (2 of 2): the share is shown once, then the setting is on.
 * Signed out, "Forgot your passphrase?" asks with a new passphrase; the
 * progress shows 0 of 2, and the printed share alone does not recover (the
 * hospital has not released). Both screens have no serious axe finding and
 * read in Hindi. Then the whole path with a friend as holder: the friend's
 * Family section shows the ask and releases after a confirmation; the
 * recovering person comes back with the same details (nothing was kept),
 * types the printed share, finishes (the passphrase change completes), and
 * the new passphrase opens the profile. Real keys throughout; the rules are
 * tests/unit/core/recovery.test.ts's.
 */
import { en } from '../../src/lib/i18n/en';
import { hi } from '../../src/lib/i18n/hi';
import { verhoeffDigit } from '../../src/lib/core/verhoeff';
import { expect, failOnPageErrors, screenshot, test } from './setup/app';
import { startRelayProcess, type RelayProcess } from '../../src/bench/relay-process';
import { axeSerious, foundDemoNetwork, registerPatient } from './setup/patient-flow';
import { nav, patientLogIn, patientShortId, section } from './setup/story-steps';

const BODY = '78901234567';
const AADHAAR = BODY + String(verhoeffDigit(BODY));
const PASS = 'monsoon copper lotus meadow';
const m = en.recovery;

let relay: RelayProcess;
test.beforeAll(async () => {
  relay = await startRelayProcess();
});
test.afterAll(async () => {
  await relay?.stop();
});

test('a patient sets up recovery with a hospital and a printed share, then asks to recover with a new passphrase', async ({ page, appUrl }, testInfo) => {
  test.setTimeout(600_000);
  const problems = failOnPageErrors(page);
  await foundDemoNetwork(page, appUrl, relay.url);
  await registerPatient(page, appUrl, { aadhaar: AADHAAR, name: 'Anita Das', passphrase: PASS });
  await page.getByRole('button', { name: en.patient.sections.card, exact: true }).click();
  const shortId = (await page.getByTestId('short-id').textContent())!.trim();

  await page.getByRole('button', { name: en.patient.sections.settings }).click();
  const section = page.getByTestId('recovery-settings');
  await expect(section.getByRole('heading', { name: m.title })).toBeVisible();
  await expect(section.getByRole('status').first()).toHaveText(m.none);
  // Her own id cannot hold a share: said by the field, nothing sent.
  await section.getByLabel(m.person(1)).fill(shortId);
  await section.locator('#rc-aadhaar').fill(AADHAAR);
  await section.locator('#rc-passphrase').fill(PASS);
  await section.getByRole('button', { name: m.setUp }).click();
  await expect(section.locator('#rc-person-0-error')).toHaveText(m.personProblem.SELF, { timeout: 60_000 });
  // The hospital and her printed share, both needed.
  await section.getByLabel(m.person(1)).fill('');
  await section.getByRole('checkbox').first().check();
  await section.locator('#rc-aadhaar').fill(AADHAAR);
  await section.locator('#rc-passphrase').fill(PASS);
  await section.getByRole('button', { name: m.setUp }).click();
  const sheet = page.getByTestId('paper-share');
  await expect(sheet).toBeVisible({ timeout: 60_000 });
  const paper = (await sheet.getByTestId('paper-share-code').textContent())!.trim();
  expect(paper).toMatch(/^([0-9A-Z]{4} ){14}[0-9A-Z]{2,4}$/);
  expect(await axeSerious(page)).toEqual([]);
  await screenshot(page, testInfo, 'recovery-paper-share');
  await section.getByRole('button', { name: m.closePaper }).click();
  await expect(section.getByText(m.live(2, 1, true))).toBeVisible({ timeout: 180_000 });
  expect(await axeSerious(page)).toEqual([]);

  // Forgotten: from the log-in page, with a new passphrase.
  await page.getByRole('button', { name: en.patient.signOut }).click();
  await page.locator('a.button', { hasText: en.patient.logIn }).click();
  await page.getByTestId('recover-link').click();
  await expect(page.getByRole('heading', { name: m.heading })).toBeVisible();
  await page.locator('#rc-id').fill(shortId);
  await page.locator('#rc-aadhaar').fill(AADHAAR);
  await page.locator('#rc-passphrase').fill('tamarind glacier pepper violin');
  await page.locator('#rc-confirm').fill('tamarind glacier pepper violin');
  await page.getByRole('button', { name: m.ask }).click();
  const progress = page.getByTestId('recovery-progress');
  await expect(progress.getByText(m.progress(0, 2))).toBeVisible({ timeout: 180_000 });
  expect(await axeSerious(page)).toEqual([]);
  await screenshot(page, testInfo, 'recovery-progress');
  // The printed share alone is one of two: it does not recover.
  await progress.locator('#rc-paper').fill(paper.toLowerCase());
  await progress.getByRole('button', { name: m.finish }).click();
  await expect(page.getByTestId('recover-failure')).toHaveText(m.notEnough, { timeout: 60_000 });

  await page.getByRole('combobox', { name: en.shell.language }).selectOption('hi');
  await expect(page.getByRole('heading', { name: hi.recovery.waitingTitle })).toBeVisible();
  expect(problems).toEqual([]);
});

/** Signs out and opens the log-in page's "Forgot your passphrase?" form, filled for `who` with `newPass`; sends it. */
async function askToRecover(page: import('@playwright/test').Page, shortId: string, aadhaar: string, newPass: string): Promise<void> {
  await nav(page, 'Patient');
  const out = page.getByRole('button', { name: en.patient.signOut });
  if (await out.isVisible()) await out.click();
  await page.locator('a.button', { hasText: en.patient.logIn }).click();
  await page.getByTestId('recover-link').click();
  await page.locator('#rc-id').fill(shortId);
  await page.locator('#rc-aadhaar').fill(aadhaar);
  await page.locator('#rc-passphrase').fill(newPass);
  await page.locator('#rc-confirm').fill(newPass);
  await page.getByRole('button', { name: m.ask }).click();
}

test('a friend releases by hand, the printed share completes it, and the new passphrase opens the profile', async ({ page, appUrl }) => {
  test.setTimeout(600_000);
  const problems = failOnPageErrors(page);
  const anita = { aadhaar: AADHAAR, pass: PASS };
  const FRIEND_BODY = '89012345678';
  const bimal = { aadhaar: FRIEND_BODY + String(verhoeffDigit(FRIEND_BODY)), pass: 'quiver saffron mantle orbit' };
  const NEW_PASS = 'tamarind glacier pepper violin';
  await foundDemoNetwork(page, appUrl, relay.url);
  await registerPatient(page, appUrl, { aadhaar: bimal.aadhaar, name: 'Bimal Sen', passphrase: bimal.pass });
  const bimalId = await patientShortId(page);
  await page.getByRole('button', { name: en.patient.signOut }).click();
  await registerPatient(page, appUrl, { aadhaar: anita.aadhaar, name: 'Anita Das', passphrase: anita.pass });
  const anitaId = await patientShortId(page);

  // Anita: her friend Bimal and a printed share, both needed.
  await section(page, en.patient.sections.settings);
  const settings = page.getByTestId('recovery-settings');
  await settings.getByLabel(m.person(1)).fill(bimalId);
  await settings.locator('#rc-aadhaar').fill(anita.aadhaar);
  await settings.locator('#rc-passphrase').fill(anita.pass);
  await settings.getByRole('button', { name: m.setUp }).click();
  const paper = (await page.getByTestId('paper-share-code').textContent({ timeout: 60_000 }))!.trim();
  await settings.getByRole('button', { name: m.closePaper }).click();
  await expect(settings.getByText(m.live(2, 1, true))).toBeVisible({ timeout: 180_000 });

  // She forgets her passphrase and asks with a new one.
  await askToRecover(page, anitaId, anita.aadhaar, NEW_PASS);
  await expect(page.getByTestId('recovery-progress').getByText(m.progress(0, 2))).toBeVisible({ timeout: 180_000 });

  // Bimal, after speaking to her, releases his share (a confirmation first).
  await patientLogIn(page, bimal);
  await section(page, en.patient.sections.caregivers);
  const asks = page.getByTestId('recovery-asks');
  await expect(asks.getByText(m.asksFor(anitaId))).toBeVisible({ timeout: 60_000 });
  await asks.getByRole('button', { name: m.release }).click();
  await expect(asks.getByText(m.confirm)).toBeVisible();
  await asks.getByRole('button', { name: m.yes }).click();
  await expect(asks.getByText(m.released)).toBeVisible({ timeout: 60_000 });

  // Anita comes back with the same details: her ask is found, one of two released; her printed share completes it.
  await askToRecover(page, anitaId, anita.aadhaar, NEW_PASS);
  const progress = page.getByTestId('recovery-progress');
  await expect(progress.getByText(m.progress(1, 2))).toBeVisible({ timeout: 180_000 });
  await progress.locator('#rc-paper').fill(paper);
  await progress.getByRole('button', { name: m.finish }).click();
  await expect(page.getByRole('navigation', { name: 'Your records' })).toBeVisible({ timeout: 60_000 });
  await section(page, en.patient.sections.settings);
  await expect(page.getByTestId('change-done')).toBeVisible({ timeout: 180_000 });

  // The new passphrase opens her profile.
  await page.getByRole('button', { name: en.patient.signOut }).click();
  await patientLogIn(page, { aadhaar: anita.aadhaar, pass: NEW_PASS });
  expect(await patientShortId(page)).toBe(anitaId);
  expect(problems).toEqual([]);
});
