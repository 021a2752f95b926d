/**
 * Steps many app tests share (SPEC §2, §7, §9), so a new spec does not copy
 * them again: found a demo network in one click against the real relay,
 * register a patient and wait until the registration is in a block, and
 * list axe-core's serious or critical findings on the page as it is.
 */
import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { expect } from './app';
import { submitRegistration } from './story-steps';

/** Founds a demo network from the start page, signalling through `relayUrl`. */
export async function foundDemoNetwork(page: Page, appUrl: string, relayUrl: string): Promise<void> {
  await page.goto(appUrl);
  await page.getByLabel('Relay address').fill(relayUrl);
  await page.getByRole('button', { name: 'Found a demo network' }).click();
  await expect(page.getByTestId('network-running')).toBeVisible({ timeout: 60_000 });
}

/** Registers a patient and waits (generously: blocks on a busy machine) until they are on the chain. */
export async function registerPatient(
  page: Page,
  appUrl: string,
  p: { aadhaar: string; name: string; passphrase: string },
  chainTimeout = 180_000,
): Promise<void> {
  await page.goto(`${appUrl}patient/register`);
  await submitRegistration(page, { aadhaar: p.aadhaar, name: p.name, pass: p.passphrase }, 90_000, chainTimeout);
}

/** Serious or critical axe-core findings (WCAG 2.1 A/AA and best practice) on the page as it is. */
export async function axeSerious(page: Page): Promise<string[]> {
  const axe = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']).analyze();
  return axe.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}
