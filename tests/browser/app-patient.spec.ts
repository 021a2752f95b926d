/**
 * Patient mode on the built app (issue 6, SPEC §3, §7): on a demo network
 * founded in one click (real relay), a patient registers, is put on the
 * chain, uploads a lab report with a PDF (sealed in the page), sees it on
 * the timeline once it is in a block, opens it and downloads the PDF back
 * byte for byte; axe-core finds no serious or critical violation.
 */
import { readFileSync } from 'node:fs';
import { verhoeffDigit } from '../../src/lib/core/verhoeff';
import { expect, failOnPageErrors, screenshot, test } from './setup/app';
import { startRelayProcess, type RelayProcess } from '../../src/bench/relay-process';
import { axeSerious, foundDemoNetwork, registerPatient } from './setup/patient-flow';

const BODY = '45678901234';
const AADHAAR = BODY + String(verhoeffDigit(BODY));
const PASS = 'lantern orchard pebble violet';
const PDF = Buffer.from('%PDF-1.4\n% medchain test report\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');

let relay: RelayProcess;
test.beforeAll(async () => {
  relay = await startRelayProcess();
});
test.afterAll(async () => {
  await relay?.stop();
});

test('a patient registers, uploads a lab report with a PDF, sees it on the timeline and downloads the PDF', async ({ page, appUrl }, testInfo) => {
  test.setTimeout(300_000);
  const problems = failOnPageErrors(page);
  await foundDemoNetwork(page, appUrl, relay.url);

  await registerPatient(
    page,
    appUrl,
    { aadhaar: `${AADHAAR.slice(0, 4)} ${AADHAAR.slice(4, 8)} ${AADHAAR.slice(8)}`, name: 'Meera Iyer', passphrase: PASS },
    120_000,
  );

  await page.getByRole('button', { name: 'Add a record' }).click();
  await page.getByLabel('Kind of record').selectOption({ label: 'Lab report' });
  await page.getByLabel('Title').fill('Complete blood count');
  await page.getByLabel('Notes').fill('Fasting sample, all values within range.');
  await page.getByLabel(/^Attachments/).setInputFiles({ name: 'cbc.pdf', mimeType: 'application/pdf', buffer: PDF });
  await expect(page.getByText('cbc.pdf')).toBeVisible();
  await page.getByRole('button', { name: 'Save record' }).click();
  await expect(page.getByText('Record saved on this device')).toBeVisible({ timeout: 30_000 });

  const timeline = page.getByTestId('timeline');
  await expect(timeline.getByRole('button', { name: 'Complete blood count' })).toBeVisible({ timeout: 120_000 });
  await expect(timeline).toContainText('Added by you');
  await page.getByLabel('Lab report').check();
  await expect(timeline.getByRole('button', { name: 'Complete blood count' })).toBeVisible();
  await page.getByLabel('Prescription').check();
  await page.getByLabel('Lab report').uncheck();
  await expect(page.getByText('No records of the chosen kinds.')).toBeVisible();
  await page.getByLabel('Prescription').uncheck();

  await timeline.getByRole('button', { name: 'Complete blood count' }).click();
  await expect(page.getByRole('heading', { name: 'Complete blood count' })).toBeVisible();
  await expect(page.getByText('Fasting sample, all values within range.')).toBeVisible();
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download cbc.pdf' }).click()]);
  expect(download.suggestedFilename()).toBe('cbc.pdf');
  expect(readFileSync(await download.path())).toEqual(PDF);

  const serious = await axeSerious(page);
  expect(serious).toEqual([]);
  await screenshot(page, testInfo, 'patient-record');

  await page.getByRole('button', { name: 'Access log' }).click();
  await expect(page.getByRole('cell', { name: 'Lab report added' })).toBeVisible();
  expect(problems).toEqual([]);
});
