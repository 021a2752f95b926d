/**
 * Issue 15's guardian story on the built app, a browser context per person
 * (its own IndexedDB and node), the real relay, inside the private network
 * namespace: hospital A (whose node makes blocks final), a mother registered
 * as a patient, and her daughter's profile, which the mother registered on
 * the family's second phone with the daughter's Aadhaar number and a
 * passphrase the mother chose. A's clinician screen attests the mother as
 * guardian from the daughter's date of birth (the chain keeps only the month
 * she comes of age); both profiles' Family sections show it. Then time
 * passes to her 18th birthday month on every device at once (Playwright's
 * clock, installed before the app loads, as in app-caregiver-story.spec.ts):
 * with no new block, the daughter's page says the profile is hers and that
 * she must choose her own passphrase; she does, the change is in a block,
 * and her Family section, her mother's and the hospital's panel all say she
 * took control. The mother's passphrase then no longer opens the profile.
 * Screenshots at phone and desktop sizes in English and Hindi at each moment.
 */
import type { Page } from '@playwright/test';
import { en } from '../../src/lib/i18n/en';
import { verhoeffDigit } from '../../src/lib/core/verhoeff';
import { expect, test } from './setup/app';
import { CHAIN, cast, shots, useStoryRelay } from './setup/story-cast';
import { foundAsHospital, joinByLink, nav, openPatient, patientShortId, registerInApp, section, shareLink } from './setup/story-steps';
import { A } from './setup/story-cast';

test.use({ actionTimeout: 60_000 });
const relayUrl = useStoryRelay();

const aadhaar = (body: string) => body + String(verhoeffDigit(body));
const MOTHER = { aadhaar: aadhaar('52345678901'), pass: 'marigold canyon velvet tundra', name: 'Lakshmi Nair' };
/** The daughter's profile, registered by her mother with a passphrase the mother chose. */
const CHILD = { aadhaar: aadhaar('63456789012'), pass: 'pepper lagoon saddle ember', name: 'Diya Nair' };
const CHILD_OWN = 'harvest quiver nimbus tangerine';
const f = en.family;
const DAY_MS = 86_400_000;

/** The first day of a month strictly after `now` (UTC ms): the next day a profile can pass to its owner. */
function nextFirstOfMonth(now: number): Date {
  const d = new Date(now);
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1));
}

async function familySection(page: Page): Promise<void> {
  await section(page, en.patient.sections.caregivers);
  await expect(page.getByRole('heading', { name: en.consent.caregivers.title })).toBeVisible();
}

test('a guardian’s profile of a child passes to her at 18: she chooses her own passphrase and her mother’s no longer opens it', async ({
  browser,
  appUrl,
}, info) => {
  test.setTimeout(900_000);
  const people = cast(browser, info);
  const a = await people.open();
  const mother = await people.open();
  const child = await people.open();
  for (const x of [a, mother, child]) await x.page.context().clock.install();
  const comingOfAge = nextFirstOfMonth(Date.now());
  // Born 18 years before that first day of a month, so the app's rounding keeps it.
  const birth = `${comingOfAge.getUTCFullYear() - 18}-${String(comingOfAge.getUTCMonth() + 1).padStart(2, '0')}-01`;
  try {
    let motherId = '';
    let childId = '';
    await test.step('A founds; the mother registers, and registers her daughter’s profile on the family’s second phone', async () => {
      await foundAsHospital(a.page, appUrl, { network: 'Family Care', relays: relayUrl(), ...A });
      const link = await shareLink(a.page);
      await nav(a.page, 'Clinician');
      await joinByLink(mother.page, link);
      await registerInApp(mother.page, MOTHER, CHAIN);
      motherId = await patientShortId(mother.page);
      await joinByLink(child.page, link);
      await registerInApp(child.page, CHILD, CHAIN);
      childId = await patientShortId(child.page);
    });

    await test.step('the hospital attests the mother as guardian from the daughter’s date of birth, after seeing proof', async () => {
      await openPatient(a.page, childId);
      const form = a.page.getByTestId('guardian-attest');
      await form.getByLabel(f.attest.guardianId).fill(childId);
      await form.getByRole('button', { name: f.attest.submit }).click();
      await expect(form.getByText(f.attest.problem.GUARDIAN_SELF)).toBeVisible();
      await expect(form.getByText(f.attest.problem.BAD_DATE)).toBeVisible();
      await expect(form.getByText(f.attest.problem.NO_PROOF)).toBeVisible();
      await form.getByLabel(f.attest.guardianId).fill(motherId);
      await form.getByLabel(f.attest.birth).fill(birth);
      await form.getByLabel(f.attest.proof).check();
      await form.getByRole('button', { name: f.attest.submit }).click();
      // "Saved on this device" shows until the block confirms it; on a quiet network that can be at once.
      await expect(form.getByRole('status')).toContainText(`Guardian: ${motherId}`, { timeout: CHAIN });
      await shots(a.page, info, 'hospital-guardian-attested');
    });

    await test.step('both profiles show the guardianship in Family', async () => {
      await familySection(child.page);
      await expect(child.page.getByTestId('guardianship')).toContainText(motherId, { timeout: CHAIN });
      await shots(child.page, info, 'child-under-guardianship');
      await familySection(mother.page);
      await expect(mother.page.getByTestId('children')).toContainText(childId, { timeout: CHAIN });
      await expect(mother.page.getByTestId('children')).toContainText('in your care until');
      await shots(mother.page, info, 'guardian-children');
    });

    await test.step('her coming of age passes on every device: with no new block, her page says the profile is hers', async () => {
      const jump = comingOfAge.getTime() - Date.now() + 10 * 60_000;
      expect(jump).toBeLessThan(32 * DAY_MS);
      await Promise.all([a, mother, child].map((x) => x.page.context().clock.fastForward(jump)));
      const due = child.page.getByTestId('handover-due');
      await expect(due).toBeVisible({ timeout: 30_000 });
      await expect(child.page.getByTestId('guardianship').getByRole('button', { name: f.child.takeControl })).toBeVisible();
      // Until the handover the profile shares nothing: the caregiver form gives way to why.
      await expect(child.page.getByTestId('caregivers-locked')).toBeVisible();
      await shots(child.page, info, 'child-handover-due');
    });

    await test.step('she chooses her own passphrase: the handover is in a block and everyone sees it', async () => {
      await child.page.getByTestId('handover-due').getByRole('button', { name: f.child.takeControl }).click();
      await expect(child.page.getByRole('heading', { name: 'Change your passphrase' })).toBeVisible();
      await child.page.locator('#chg-aadhaar').fill(CHILD.aadhaar);
      await child.page.locator('#chg-aadhaar').press('Tab');
      await child.page.locator('#chg-current').fill(CHILD.pass);
      await child.page.locator('#chg-passphrase').fill(CHILD_OWN);
      await child.page.locator('#chg-confirm').fill(CHILD_OWN);
      await child.page.getByRole('button', { name: 'Change passphrase' }).click();
      await expect(child.page.getByTestId('change-done')).toBeVisible({ timeout: 2 * CHAIN });
      await expect(child.page.getByTestId('handover-due')).toHaveCount(0);
      await familySection(child.page);
      await expect(child.page.getByTestId('handed-over')).toBeVisible({ timeout: CHAIN });
      await expect(child.page.getByTestId('caregivers-locked')).toHaveCount(0);
      await shots(child.page, info, 'child-took-control');
      await familySection(mother.page);
      await expect(mother.page.getByTestId('children')).toContainText('took control', { timeout: CHAIN });
      await shots(mother.page, info, 'guardian-after-handover');
      await expect(a.page.getByTestId('guardian-attest').getByRole('status')).toContainText('took control', { timeout: CHAIN });
    });

    await test.step('the passphrase her mother chose no longer opens the profile', async () => {
      await child.page.getByRole('button', { name: en.patient.signOut }).click();
      await child.page.getByRole('link', { name: 'Log in' }).click();
      await child.page.locator('#login-aadhaar').fill(CHILD.aadhaar);
      await child.page.locator('#login-aadhaar').press('Tab');
      await child.page.locator('#login-passphrase').fill(CHILD.pass);
      await child.page.getByRole('button', { name: 'Log in', exact: true }).click();
      await expect(child.page.getByRole('alert')).toContainText('replaced by a passphrase change', { timeout: 90_000 });
    });
    for (const x of [a, mother, child]) expect(x.problems).toEqual([]);
  } catch (e) {
    await people.dump();
    throw e;
  } finally {
    await people.close();
  }
});
