/**
 * The explorer on the built app (issue 6, SPEC §7): a newcomer founds the
 * demo network in one click on the start screen (through the real relay),
 * the explorer shows final blocks of this device's chain with the sample
 * patients' writes in them, "verify chain" says OK, a block's detail
 * opens, axe-core finds no serious or critical violation there, and a
 * second tab of the profile follows with the same final tip. The status
 * bar says when no network runs on the device, before founding and after
 * leaving.
 */
import { expect, failOnPageErrors, screenshot, test } from './setup/app';
import { startRelayProcess, type RelayProcess } from '../../src/bench/relay-process';
import { axeSerious, foundDemoNetwork } from './setup/patient-flow';

let relay: RelayProcess;
test.beforeAll(async () => {
  relay = await startRelayProcess();
});
test.afterAll(async () => {
  await relay?.stop();
});

test('found the demo network in one click; the explorer shows final blocks and verify chain says OK', async ({ page, appUrl }, testInfo) => {
  test.setTimeout(180_000);
  const problems = failOnPageErrors(page);
  await foundDemoNetwork(page, appUrl, relay.url);
  await expect(page.getByLabel('Link to join this network')).toHaveValue(/#join=demo-[0-9a-f]+&relay=/);

  await page.getByRole('link', { name: 'Open the explorer' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Explorer');
  // The demo's writes (3 registrations, then 3 sealed records) end in final blocks.
  await expect.poll(async () => Number(await page.getByTestId('final-height').textContent()), { timeout: 120_000 }).toBeGreaterThanOrEqual(2);
  const finalRows = page.locator('tr[data-status="final"]');
  expect(await finalRows.count()).toBeGreaterThanOrEqual(3);
  await expect(page.getByTestId('status-connection')).not.toHaveText(/No network on this device/);

  await page.getByRole('button', { name: 'Verify chain' }).click();
  await expect(page.getByTestId('verify-result')).toContainText('Chain OK', { timeout: 60_000 });

  const serious = await axeSerious(page);
  expect(serious).toEqual([]);
  await screenshot(page, testInfo, 'explorer-demo');

  // A second tab of the same profile follows this one and shows the same final tip (story 5).
  const second = await page.context().newPage();
  await second.goto(`${appUrl}explorer`);
  await expect(second.getByText('follower', { exact: true })).toBeVisible({ timeout: 30_000 });
  const finalHeight = await page.getByTestId('final-height').textContent();
  await expect(second.getByTestId('final-height')).toHaveText(finalHeight!, { timeout: 30_000 });
  const finalTip = await page.locator('tr[data-status="final"] a').first().textContent();
  await expect(second.locator('tr[data-status="final"] a').first()).toHaveText(finalTip!);
  await second.close();

  await finalRows.last().getByRole('link').click();
  await expect(page.getByTestId('block-status')).toHaveText('final');
  await expect(page.getByRole('heading', { name: /Transactions/ })).toBeVisible();
  expect(problems).toEqual([]);
});

test('a second browser joins the demo network by its link and syncs the same final tip over the mesh', async ({ page, browser, appUrl }) => {
  test.setTimeout(180_000);
  await page.goto(appUrl);
  await page.getByLabel('Relay address').fill(relay.url);
  await page.getByRole('button', { name: 'Found a demo network' }).click();
  const link = await page.getByLabel('Link to join this network').inputValue();
  expect(link.startsWith(appUrl)).toBe(true);
  await page.getByRole('link', { name: 'Open the explorer' }).click();
  await expect.poll(async () => Number(await page.getByTestId('final-height').textContent()), { timeout: 120_000 }).toBeGreaterThanOrEqual(2);

  const other = await browser.newContext();
  const joiner = await other.newPage();
  const problems = failOnPageErrors(joiner);
  await joiner.goto(link);
  await joiner.getByRole('button', { name: /^Join network demo-/ }).click();
  await expect(joiner.getByTestId('network-running')).toBeVisible({ timeout: 30_000 });
  await joiner.getByRole('link', { name: 'Open the explorer' }).click();
  await expect(joiner.getByTestId('status-connection')).toHaveText(/Connected to 1 peer/, { timeout: 60_000 });
  const finalHeight = Number(await page.getByTestId('final-height').textContent());
  await expect.poll(async () => Number(await joiner.getByTestId('final-height').textContent()), { timeout: 90_000 }).toBeGreaterThanOrEqual(finalHeight);
  const tipAt = (p: typeof page) =>
    p
      .locator('tr[data-status="final"]')
      .filter({ has: p.getByRole('cell', { name: String(finalHeight), exact: true }) })
      .getByRole('link')
      .textContent();
  expect(await tipAt(joiner)).toBe(await tipAt(page));
  await joiner.getByRole('button', { name: 'Verify chain' }).click();
  await expect(joiner.getByTestId('verify-result')).toContainText('Chain OK', { timeout: 60_000 });
  expect(problems).toEqual([]);
  await other.close();
});

test('the status bar says no network runs here, follows the node while one runs, and says so again after leaving it', async ({ page, appUrl }) => {
  test.setTimeout(180_000);
  const problems = failOnPageErrors(page);
  const bar = page.getByRole('region', { name: 'Node status' });
  await page.goto(appUrl);
  await expect(page.getByTestId('status-connection')).toHaveText('No network on this device yet');
  await expect(bar.getByRole('link', { name: 'Join or found a network' })).toBeVisible();

  await foundDemoNetwork(page, appUrl, relay.url);
  await expect(page.getByTestId('status-connection')).not.toHaveText(/No network on this device/);
  await expect(page.getByTestId('status-no-network')).toHaveCount(0);

  // Leave once the demo's sample data is written (the button waits for it).
  await page.getByRole('button', { name: 'Leave this network' }).click({ timeout: 150_000 });
  await expect(page.getByTestId('network-running')).toHaveCount(0);
  await expect(page.getByTestId('status-connection')).toHaveText('No network on this device yet');
  await expect(bar.getByRole('link', { name: 'Join or found a network' })).toBeVisible();
  await page.reload();
  await expect(page.getByTestId('status-connection')).toHaveText('No network on this device yet');
  expect(problems).toEqual([]);
});
