/** The shared transport suite over WebRTC data channels in Chromium, through the real relay process. */
import { expect, test, type Page } from '@playwright/test';
import { transportCases } from '../shared/transport-suite';
import { harnessOf, openHarness } from './setup/fixtures';
import { startRelayProcess, type RelayProcess } from '../../src/bench/relay-process';

type TransportHarness = { caseNames(): string[]; runTransportCase(name: string, relayUrl: string): Promise<void> };
const call = (page: Page) => harnessOf<TransportHarness>(page);

let relay: RelayProcess;
test.beforeAll(async () => {
  relay = await startRelayProcess();
});
test.afterAll(async () => {
  await relay.stop();
});

test('the page runs exactly the shared cases', async ({ page }) => {
  await openHarness(page, 'transport');
  expect(await call(page)('caseNames')).toEqual(transportCases.map((c) => c.name));
});

for (const c of transportCases)
  test(`WebRTC: ${c.name}`, async ({ page }) => {
    await openHarness(page, 'transport');
    await call(page)('runTransportCase', c.name, relay.url);
  });
