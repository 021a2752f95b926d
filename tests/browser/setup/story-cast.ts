/**
 * The people of the app stories (issue 6, issue 15) and what their specs
 * share: two hospitals' authorities and a patient with valid Aadhaar numbers
 * and strong passphrases, the wait for a block on a loaded machine, and a
 * real relay process started before a spec's tests and stopped after them.
 */
import type { Browser, BrowserContext, Page, TestInfo } from '@playwright/test';
import { expect, failOnPageErrors, screenshot, test } from './app';
import { axeSerious } from './patient-flow';
import { foundAsHospital, joinByLink, nav, patientShortId, registerInApp, shareLink } from './story-steps';
import { startRelayProcess, type RelayProcess } from '../../../src/bench/relay-process';
import { verhoeffDigit } from '../../../src/lib/core/verhoeff';

const aadhaar = (body: string) => body + String(verhoeffDigit(body));
export const A = { aadhaar: aadhaar('27654321098'), pass: 'granite comet willow harbour', hospital: 'Aarogya Hospital' };
export const B = { aadhaar: aadhaar('38765432109'), pass: 'saffron beacon otter quarry', hospital: 'Bodhi Heart Centre' };
export const P = { aadhaar: aadhaar('49876543210'), pass: 'lantern orchard pebble violet', name: 'Meera Iyer' };

/** Chain waits: a block, its votes and the mesh on a loaded 2-core machine. */
export const CHAIN = 120_000;

/** Starts a relay process for the spec's tests (stopped after them); the getter gives its address once started. */
export function useStoryRelay(): () => string {
  let relay: RelayProcess | undefined;
  test.beforeAll(async () => {
    relay = await startRelayProcess();
  });
  test.afterAll(async () => {
    await relay?.stop();
  });
  return () => relay!.url;
}

/** A person of a story: their page (one browser context each) and the page errors seen so far. */
export interface Actor {
  readonly page: Page;
  readonly problems: string[];
}

/**
 * The people of one story, each in their own browser context: `open` adds
 * one; `dump` attaches what every page showed and what its node said (for a
 * failure); `close` closes them all.
 */
export function cast(browser: Browser, info: TestInfo) {
  const contexts: BrowserContext[] = [];
  return {
    contexts,
    async open(): Promise<Actor> {
      const ctx = await browser.newContext();
      contexts.push(ctx);
      const page = await ctx.newPage();
      return { page, problems: failOnPageErrors(page) };
    },
    async dump(): Promise<void> {
      for (const [i, c] of contexts.entries()) {
        const page = c.pages()[0];
        if (!page) continue;
        const text = await page
          .locator('body')
          .innerText()
          .catch((e: Error) => `(no text: ${e.message})`);
        const status = await page
          .evaluate(() => JSON.stringify((window as unknown as { medchain?: { status(): unknown } }).medchain?.status() ?? null))
          .catch(() => 'null');
        await info.attach(`page-${i}`, { body: `${page.url()}\n${status}\n\n${text}`, contentType: 'text/plain' });
        console.log(`--- page ${i} ${page.url()}\n${status}\n${text.slice(0, 3000)}`);
      }
    },
    async close(): Promise<void> {
      for (const c of contexts) await c.close();
    },
  };
}

/**
 * Hospital A founds a network named `network` on `a`'s page (and goes to its
 * clinician screen); the patient joins on `p`'s page by the link and
 * registers. Resolves with the patient's short id.
 */
export async function hospitalAndPatient(a: Page, p: Page, appUrl: string, relays: string, network: string): Promise<string> {
  await foundAsHospital(a, appUrl, { network, relays, ...A });
  const link = await shareLink(a);
  await nav(a, 'Clinician');
  await joinByLink(p, link);
  await registerInApp(p, P, CHAIN);
  return patientShortId(p);
}

/** No serious axe finding; screenshots at phone and desktop sizes, in English, then in Hindi (and back). */
export async function shots(page: Page, info: TestInfo, name: string): Promise<void> {
  expect((await axeSerious(page)).map((v) => `${name}: ${v}`)).toEqual([]);
  const size = page.viewportSize();
  const language = page.getByRole('combobox', { name: 'Language' });
  for (const lang of ['en', 'hi'] as const) {
    if (lang === 'hi') {
      await language.selectOption('hi');
      await expect(page.locator('html')).toHaveAttribute('lang', 'hi');
    }
    await page.setViewportSize({ width: 390, height: 844 });
    await screenshot(page, info, `${name}-${lang}-phone`);
    await page.setViewportSize({ width: 1280, height: 900 });
    await screenshot(page, info, `${name}-${lang}-desktop`);
  }
  await page.getByRole('combobox', { name: 'भाषा' }).selectOption('en');
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  if (size) await page.setViewportSize(size);
}
