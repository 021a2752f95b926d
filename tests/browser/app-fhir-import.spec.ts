/**
 * FHIR Bundle import on the built app (SPEC §3, §7, §9): on a demo network
 * founded in one click (real relay), a patient registers, uploads a record
 * and downloads the FHIR export; a file that is not JSON is refused with a
 * message naming the problem and nothing to choose; the export itself comes
 * back with its record marked as already there and unticked; a bundle with
 * the export plus a new record (with an attachment) imports only the new
 * one, which appears on the timeline as the patient's own with its
 * attachment byte for byte. axe-core finds no serious or critical violation
 * on the import screen; screenshots at desktop and phone sizes.
 */
import { readFileSync } from 'node:fs';
import { toFhirBundle } from '../../src/lib/core/fhir';
import { Category } from '../../src/lib/core/payloads';
import { verhoeffDigit } from '../../src/lib/core/verhoeff';
import { expect, failOnPageErrors, screenshot, test } from './setup/app';
import { axeSerious, foundDemoNetwork, registerPatient } from './setup/patient-flow';
import { startRelayProcess, type RelayProcess } from '../../src/bench/relay-process';

const BODY = '67890123456';
const AADHAAR = BODY + String(verhoeffDigit(BODY));
const PASS = 'harbour kettle saffron meadow';
const CARD = Buffer.from('Hepatitis B vaccination card: dose 2 given at Hill Clinic.\n');

let relay: RelayProcess;
test.beforeAll(async () => {
  relay = await startRelayProcess();
});
test.afterAll(async () => {
  await relay?.stop();
});

test('a patient exports her history, a bad file is refused, and a bundle with a new record imports only that record', async ({ page, appUrl }, testInfo) => {
  test.setTimeout(600_000);
  const problems = failOnPageErrors(page);
  await foundDemoNetwork(page, appUrl, relay.url);
  await registerPatient(page, appUrl, { aadhaar: AADHAAR, name: 'Farah Khan', passphrase: PASS });

  // One record of her own, in a block.
  await page.getByRole('button', { name: 'Add a record' }).click();
  await page.getByLabel('Kind of record').selectOption({ label: 'Lab report' });
  await page.getByLabel('Title').fill('Thyroid panel');
  await page.getByLabel('Date of the record').fill('2025-10-20');
  await page.getByLabel('Notes').fill('TSH 2.1 mIU/L, normal.');
  await page.getByRole('button', { name: 'Save record' }).click();
  const timeline = page.getByTestId('timeline');
  await expect(timeline.getByRole('button', { name: 'Thyroid panel' })).toBeVisible({ timeout: 180_000 });

  // The export, downloaded.
  await page.getByRole('button', { name: 'Export' }).click();
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download FHIR Bundle (JSON)' }).click()]);
  const exported = JSON.parse(readFileSync(await download.path(), 'utf8')) as { resourceType: string; entry: unknown[] };
  expect(exported.resourceType).toBe('Bundle');
  expect(JSON.stringify(exported)).toContain('Thyroid panel');

  // A file that is not JSON: a clear message, nothing to choose.
  const input = page.getByLabel('FHIR Bundle file (JSON)');
  await input.setInputFiles({ name: 'notes.json', mimeType: 'application/json', buffer: Buffer.from('{"resourceType": "Bundle", "entry": [') });
  await expect(page.getByTestId('import-error')).toContainText('notes.json: The file is not valid JSON');
  await expect(page.getByTestId('import-error')).toContainText('Nothing was imported.');
  await expect(page.getByTestId('import-preview')).toHaveCount(0);
  await input.setInputFiles({ name: 'patient.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify({ resourceType: 'Patient', id: 'p1' })) });
  await expect(page.getByTestId('import-error')).toContainText('a FHIR Patient, not a FHIR Bundle');

  // Her own export: the record is already there, unticked; nothing to import.
  await input.setInputFiles(await download.path());
  const preview = page.getByTestId('import-preview');
  await expect(preview.getByRole('checkbox', { name: /Thyroid panel/ })).not.toBeChecked();
  await expect(preview).toContainText('Already in your history');
  await expect(page.getByRole('button', { name: 'Import 0 records' })).toBeDisabled();

  // The export plus a new record with an attachment, made here.
  const extra = toFhirBundle(
    'fixture',
    [
      {
        id: 'fixture-hepb',
        category: Category.Immunization,
        body: {
          title: 'Hepatitis B dose 2',
          date: '2025-09-01',
          authorName: 'Hill Clinic',
          fields: [{ name: 'Lot', value: 'HB-2231' }],
          text: 'Left deltoid.',
          attachments: [{ name: 'card.txt', mime: 'text/plain', size: CARD.length }],
        },
        attachments: [new Uint8Array(CARD)],
        source: 'Hill Clinic',
      },
    ],
    '2026-01-01T00:00:00Z',
  );
  const combined = { ...exported, entry: [...exported.entry, ...(extra.entry as unknown[]).slice(1)] };
  await input.setInputFiles({ name: 'with-hepatitis.json', mimeType: 'application/fhir+json', buffer: Buffer.from(JSON.stringify(combined)) });
  await expect(preview.getByRole('checkbox', { name: /Hepatitis B dose 2/ })).toBeChecked();
  await expect(preview.getByRole('checkbox', { name: /Thyroid panel/ })).not.toBeChecked();
  await expect(preview).toContainText('Immunization · 2025-09-01 · card.txt (1 KB)');

  await page.setViewportSize({ width: 1280, height: 900 });
  expect(await axeSerious(page)).toEqual([]);
  await screenshot(page, testInfo, 'fhir-import-desktop');
  await page.setViewportSize({ width: 390, height: 844 });
  expect(await axeSerious(page)).toEqual([]);
  await screenshot(page, testInfo, 'fhir-import-phone');
  await page.setViewportSize({ width: 1280, height: 900 });

  await page.getByRole('button', { name: 'Import 1 record' }).click();
  await expect(page.getByTestId('import-outcome')).toContainText('Imported 1 record: Hepatitis B dose 2.', { timeout: 60_000 });
  await expect(page.getByTestId('import-outcome')).not.toContainText('was not imported');

  // On the timeline once it is in a block, as her own record, with its attachment.
  await page.getByRole('button', { name: 'Records' }).click();
  await expect(timeline.getByRole('button', { name: 'Hepatitis B dose 2' })).toBeVisible({ timeout: 180_000 });
  await expect(timeline.getByRole('button', { name: 'Thyroid panel' })).toHaveCount(1);
  await timeline.getByRole('button', { name: 'Hepatitis B dose 2' }).click();
  await expect(page.getByRole('heading', { name: 'Hepatitis B dose 2' })).toBeVisible();
  await expect(page.getByText('Left deltoid.')).toBeVisible();
  const [card] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download card.txt' }).click()]);
  expect(readFileSync(await card.path())).toEqual(CARD);
  expect(problems).toEqual([]);
});
