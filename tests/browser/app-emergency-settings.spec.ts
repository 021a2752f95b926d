/**
 * The patient's emergency-access setting on the built app (issue 15, SPEC
 * §4): on a demo network founded in one click (one hospital, real relay) a
 * registered patient finds Settings → Emergency access off, and is told it
 * cannot be turned on with a single hospital (no button to do it); the
 * section has no serious axe finding, and in Hindi it reads in Hindi. Words
 * come from the catalogue, so a changed sentence does not break the test.
 * Turning it on with two hospitals and the access log's entries are shown by
 * tests/unit/app/patient/emergency.test.ts.
 */
import { en } from '../../src/lib/i18n/en';
import { hi } from '../../src/lib/i18n/hi';
import { verhoeffDigit } from '../../src/lib/core/verhoeff';
import { expect, failOnPageErrors, screenshot, test } from './setup/app';
import { startRelayProcess, type RelayProcess } from '../../src/bench/relay-process';
import { axeSerious, foundDemoNetwork, registerPatient } from './setup/patient-flow';

const BODY = '67890123456';
const AADHAAR = BODY + String(verhoeffDigit(BODY));

let relay: RelayProcess;
test.beforeAll(async () => {
  relay = await startRelayProcess();
});
test.afterAll(async () => {
  await relay?.stop();
});

test('emergency access is off by default, and a one-hospital network says why it cannot be turned on', async ({ page, appUrl }, testInfo) => {
  test.setTimeout(600_000);
  const problems = failOnPageErrors(page);
  await foundDemoNetwork(page, appUrl, relay.url);
  await registerPatient(page, appUrl, { aadhaar: AADHAAR, name: 'Meera Iyer', passphrase: 'lantern cobalt mango harbour' });

  await page.getByRole('button', { name: en.patient.sections.settings }).click();
  const section = page.getByTestId('emergency-settings');
  await expect(section.getByRole('heading', { name: en.settings.emergency.title })).toBeVisible();
  await expect(section.getByTestId('emergency-state')).toHaveText(en.settings.emergency.off);
  await expect(section.getByTestId('emergency-too-few')).toHaveText(en.settings.emergency.tooFew);
  await expect(section.getByRole('button', { name: en.settings.emergency.turnOnAsk })).toHaveCount(0);
  await section.scrollIntoViewIfNeeded();
  expect(await axeSerious(page)).toEqual([]);
  await screenshot(page, testInfo, 'emergency-settings-one-hospital');

  await page.getByRole('combobox', { name: en.shell.language }).selectOption('hi');
  await expect(section.getByRole('heading', { name: hi.settings.emergency.title })).toBeVisible();
  await expect(section.getByTestId('emergency-too-few')).toHaveText(hi.settings.emergency.tooFew);
  expect(problems).toEqual([]);
});
