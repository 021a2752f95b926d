/**
 * Several profiles on one device (issue 15, SPEC §2 "Family") on the built
 * app: on one browser context a parent registers, then registers a child in
 * their care (the guardian note shows, the label suggested is the child's);
 * the header's "Switch profile" signs one out and opens the log-in form for
 * the other, each showing its own short id. Typing the other profile's
 * Aadhaar number and passphrase into a chosen profile's form is refused with
 * the message and opens nothing. Forgetting a profile removes it from the
 * device's list only: it still logs in. No serious axe finding; screenshots
 * at phone and desktop sizes in English and Hindi.
 */
import type { Page } from '@playwright/test';
import { en } from '../../src/lib/i18n/en';
import { verhoeffDigit } from '../../src/lib/core/verhoeff';
import { expect, failOnPageErrors, test } from './setup/app';
import { startRelayProcess, type RelayProcess } from '../../src/bench/relay-process';
import { foundDemoNetwork, registerPatient } from './setup/patient-flow';
import { submitRegistration } from './setup/story-steps';
import { shots } from './setup/story-cast';

const aadhaar = (body: string) => body + String(verhoeffDigit(body));
const PARENT = { aadhaar: aadhaar('67890123456'), name: 'Kavita Rao', passphrase: 'saffron ledger willow quartz' };
const CHILD = { aadhaar: aadhaar('78901234567'), name: 'Asha', passphrase: 'marigold harbour copper lantern' };
const w = en.profiles;

let relay: RelayProcess;
test.beforeAll(async () => {
  relay = await startRelayProcess();
});
test.afterAll(async () => {
  await relay?.stop();
});

const records = (page: Page) => page.getByRole('navigation', { name: en.patient.sectionsLabel });

/** The header's name and short id of the profile open now. */
async function openProfile(page: Page): Promise<{ name: string; short: string }> {
  await expect(records(page)).toBeVisible({ timeout: 60_000 });
  return { name: (await page.getByTestId('profile-name').textContent()) ?? '', short: (await page.getByTestId('profile-short-id').textContent()) ?? '' };
}

/** Fills the log-in form (a number already typed shows masked: "Change" opens it again) and sends it. */
async function logIn(page: Page, who: { aadhaar: string; passphrase: string }): Promise<void> {
  const masked = page.getByTestId('aadhaar-masked');
  if (await masked.isVisible()) await page.getByRole('button', { name: en.identity.change, exact: true }).click();
  await page.locator('#login-aadhaar').fill(who.aadhaar);
  await page.locator('#login-aadhaar').press('Tab');
  await page.locator('#login-passphrase').fill(who.passphrase);
  await page.getByRole('button', { name: en.identity.logIn, exact: true }).click();
}

/** From the patient page: "Switch profile", then the named profile; lands on its log-in form. */
async function switchTo(page: Page, name: string): Promise<void> {
  await page.getByRole('button', { name: w.switchProfile }).click();
  await page.getByRole('button', { name: new RegExp(`^${w.logInAs(name).replace(/[()]/g, '\\$&')}`) }).click();
  await expect(page).toHaveURL(/\/patient\/login$/);
  await expect(records(page)).toHaveCount(0);
}

test('a family device holds two profiles, switched in the header, each opened only by its own keys', async ({ page, appUrl }, info) => {
  test.setTimeout(900_000);
  const problems = failOnPageErrors(page);
  await foundDemoNetwork(page, appUrl, relay.url);
  await registerPatient(page, appUrl, PARENT);
  const parent = await openProfile(page);
  expect(parent.name).toBe(PARENT.name);

  // The child's profile, registered by the parent: the guardian note, the child's label suggested and changed.
  await page.goto(`${appUrl}patient/register`);
  await page.getByLabel(w.forChild).check();
  await expect(page.getByTestId('guardian-note')).toHaveText(w.guardianNote);
  await page.locator('#reg-name').fill(CHILD.name);
  await expect(page.getByLabel(w.label)).toHaveValue(w.childLabel(CHILD.name));
  await shots(page, info, 'profiles-register-child');
  await page.getByLabel(w.label).fill('Asha (daughter)');
  await submitRegistration(page, { aadhaar: CHILD.aadhaar, name: CHILD.name, pass: CHILD.passphrase }, 90_000, 180_000);
  const child = await openProfile(page);
  expect(child.name).toBe('Asha (daughter)');
  expect(child.short).not.toBe(parent.short);
  await expect(page.getByText(w.guardianBadge)).toBeVisible();
  await page.getByRole('button', { name: w.switchProfile }).click();
  await expect(page.getByRole('button', { name: new RegExp(`^${w.logInAs(PARENT.name)}`) })).toBeVisible();
  await shots(page, info, 'profiles-switcher');

  // Switch to the parent: the child is signed out, the form is the parent's.
  await page.getByRole('button', { name: new RegExp(`^${w.logInAs(PARENT.name)}`) }).click();
  await expect(page).toHaveURL(/\/patient\/login$/);
  await expect(page.getByTestId('login-for')).toContainText(w.loggingInAs(PARENT.name, parent.short));
  await expect(page.getByTestId('device-profiles').getByRole('listitem')).toHaveCount(2);

  // The child's number and passphrase in the parent's form: refused with the message, nothing opened.
  await logIn(page, CHILD);
  await expect(page.getByTestId('other-profile')).toHaveText(w.otherProfile, { timeout: 60_000 });
  await expect(records(page)).toHaveCount(0);
  await shots(page, info, 'profiles-login-other-profile');

  // The parent's own keys open the parent, with the parent's short id.
  await logIn(page, PARENT);
  expect(await openProfile(page)).toEqual(parent);
  await page.getByRole('navigation', { name: en.patient.sectionsLabel }).getByRole('button', { name: en.patient.sections.card, exact: true }).click();
  await expect(page.getByTestId('short-id')).toHaveText(parent.short);

  // And back to the child, through the header again.
  await switchTo(page, 'Asha (daughter)');
  await expect(page.getByTestId('login-for')).toContainText(w.loggingInAs('Asha (daughter)', child.short));
  await logIn(page, CHILD);
  expect(await openProfile(page)).toEqual(child);

  // Forgetting the parent on this device removes it from the list only: the parent still logs in.
  await switchTo(page, PARENT.name);
  const list = page.getByTestId('device-profiles');
  await list.getByRole('listitem').filter({ hasText: parent.short }).getByRole('button', { name: w.forget }).click();
  await expect(list.getByRole('listitem')).toHaveCount(1);
  await expect(list).toContainText(child.short);
  await expect(page.getByTestId('login-for')).toHaveCount(0);
  await logIn(page, PARENT);
  expect((await openProfile(page)).short).toBe(parent.short);
  expect(problems).toEqual([]);
});
