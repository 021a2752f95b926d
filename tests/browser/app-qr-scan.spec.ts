/**
 * Finding a patient by scanning their QR code with the camera (issue 6,
 * SPEC §2, §7), on the built app with Chromium's fake camera: the camera
 * plays a Y4M file this test writes. A patient registers on a demo network
 * (real relay); their QR code is read off their card as the page draws it
 * (the SVG path from our encoder) and written into the camera's file; the
 * demo hospital's authority signs in as a clinician, opens the scanner and
 * the patient's panel opens from the scanned code, through the same look-up
 * as typed text. Chromium on Linux has no BarcodeDetector of its own, so
 * this reads through the ZXing polyfill in the reader worker, with its
 * WebAssembly from the app's own origin (never a CDN). The camera is
 * stopped after a read, on close and when the page is left; a refused or
 * missing camera gets a message and typing the short id still works.
 *
 * Chromium opens the file when the fake camera starts, so one browser
 * serves both pictures: a frame without a code first (for the screenshots
 * of the live scanner), then the patient's code.
 */
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import config from '../../playwright.config';
import { verhoeffDigit } from '../../src/lib/core/verhoeff';
import { DEMO_AUTHORITY } from '../../src/lib/app/node/demo-logins';
import { expect, failOnPageErrors, screenshot, test } from './setup/app';
import { startRelayProcess, type RelayProcess } from '../../src/bench/relay-process';
import { axeSerious, foundDemoNetwork, registerPatient } from './setup/patient-flow';

const WIDTH = 640;
const HEIGHT = 480;
const Y4M = join(tmpdir(), `medchain-qr-scan-${process.pid}.y4m`);

/**
 * Writes a Y4M (YUV4MPEG2, 4:2:0) video of `frames` copies of a grey
 * picture: `luma(x, y)` gives each pixel's brightness, chroma is neutral.
 */
function writeY4m(path: string, luma: (x: number, y: number) => number, frames = 3): void {
  const header = Buffer.from(`YUV4MPEG2 W${WIDTH} H${HEIGHT} F10:1 Ip A1:1 C420\n`);
  const y = Buffer.alloc(WIDTH * HEIGHT);
  for (let row = 0; row < HEIGHT; row++) for (let col = 0; col < WIDTH; col++) y[row * WIDTH + col] = luma(col, row);
  const chroma = Buffer.alloc((WIDTH / 2) * (HEIGHT / 2) * 2, 128);
  const parts: Buffer[] = [header];
  for (let f = 0; f < frames; f++) parts.push(Buffer.from('FRAME\n'), y, chroma);
  writeFileSync(path, Buffer.concat(parts));
}

/** A desk with a sheet of paper and no code on it. */
const emptyDesk = (x: number, y: number) => (x > 150 && x < 490 && y > 70 && y < 410 ? 225 : 90 + ((x + y) >> 4));

/** The patient's code as their screen draws it: dark modules from the SVG path, at `module` pixels, centred on the desk. */
function codeOnDesk(path: string, side: number, module: number): (x: number, y: number) => number {
  const dark = new Set<string>();
  for (const m of path.matchAll(/M(\d+) (\d+)h1v1h-1z/g)) dark.add(`${m[1]} ${m[2]}`);
  const left = Math.floor((WIDTH - side * module) / 2);
  const top = Math.floor((HEIGHT - side * module) / 2);
  return (x, y) => {
    const mx = Math.floor((x - left) / module);
    const my = Math.floor((y - top) / module);
    if (mx < 0 || my < 0 || mx >= side || my >= side) return emptyDesk(x, y);
    return dark.has(`${mx} ${my}`) ? 30 : 225;
  };
}

writeY4m(Y4M, emptyDesk);
const launch = config.use?.launchOptions ?? {};
test.use({
  launchOptions: {
    ...launch,
    args: [...(launch.args ?? []), '--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream', `--use-file-for-fake-video-capture=${Y4M}`],
  },
});

const BODY = '67890123456';
const AADHAAR = BODY + String(verhoeffDigit(BODY));
const PASS = 'saffron tidal lantern quartz';

let relay: RelayProcess;
test.beforeAll(async () => {
  relay = await startRelayProcess();
});
test.afterAll(async () => {
  await relay?.stop();
});

/** Remembers every camera stream the page opens, so the test can see that each was stopped. */
async function watchCameras(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const w = window as unknown as { __streams: MediaStream[] };
    w.__streams = [];
    const devices = navigator.mediaDevices;
    if (!devices) return;
    const open = devices.getUserMedia.bind(devices);
    devices.getUserMedia = async (constraints) => {
      const stream = await open(constraints);
      w.__streams.push(stream);
      return stream;
    };
  });
}

const liveTracks = (page: Page) =>
  page.evaluate(
    () => (window as unknown as { __streams: MediaStream[] }).__streams.flatMap((s) => s.getTracks()).filter((t) => t.readyState === 'live').length,
  );
const openedStreams = (page: Page) => page.evaluate(() => (window as unknown as { __streams: MediaStream[] }).__streams.length);

test('a clinician scans a registered patient’s QR code with the camera and the patient opens', async ({ page, appUrl }, testInfo) => {
  test.setTimeout(420_000);
  const problems = failOnPageErrors(page);
  await watchCameras(page);
  const requested: string[] = [];
  page.context().on('request', (request) => requested.push(request.url()));
  await foundDemoNetwork(page, appUrl, relay.url);

  // A patient registers and waits to be in a block; their card shows the QR code.
  await registerPatient(page, appUrl, { aadhaar: `${AADHAAR.slice(0, 4)} ${AADHAAR.slice(4, 8)} ${AADHAAR.slice(8)}`, name: 'Kavya Menon', passphrase: PASS });
  await page.getByRole('button', { name: 'My card' }).click();
  const shortId = (await page.getByTestId('short-id').textContent())!.trim();
  const qr = page.getByTestId('patient-qr');
  const qrPath = (await qr.locator('path').getAttribute('d'))!;
  const qrSide = Number((await qr.getAttribute('viewBox'))!.split(' ')[2]);
  expect(qrSide).toBeGreaterThan(21);

  // The demo hospital's authority signs in on the clinician screen.
  await page.goto(`${appUrl}clinician`);
  await page.locator('#clin-aadhaar').fill(DEMO_AUTHORITY.aadhaar);
  await page.locator('#clin-passphrase').fill(DEMO_AUTHORITY.passphrase);
  await page.getByRole('button', { name: 'Log in' }).click();
  await expect(page.getByRole('heading', { name: 'Find a patient' })).toBeVisible({ timeout: 120_000 });

  // The scanner opens on a frame with no code: live view, focus on Close, nothing found yet.
  const scan = page.getByRole('button', { name: 'Scan QR code' });
  await scan.click();
  const video = page.getByLabel('Camera view');
  await expect(video).toBeVisible({ timeout: 30_000 });
  await expect(page.getByRole('button', { name: 'Close camera' })).toBeFocused();
  await expect.poll(() => page.evaluate(() => document.querySelector('video')?.videoWidth ?? 0), { timeout: 30_000 }).toBe(WIDTH);
  expect(await liveTracks(page)).toBe(1);
  expect(await axeSerious(page)).toEqual([]);
  await page.setViewportSize({ width: 390, height: 844 });
  await screenshot(page, testInfo, 'qr-scanner-phone');
  await page.setViewportSize({ width: 1280, height: 860 });
  await screenshot(page, testInfo, 'qr-scanner-desktop');

  // Escape closes it: the camera stops and focus returns to the scan button.
  await page.keyboard.press('Escape');
  await expect(video).toHaveCount(0);
  await expect(scan).toBeFocused();
  expect(await liveTracks(page)).toBe(0);

  // Leaving the page while scanning stops the camera too (the component is destroyed).
  await scan.click();
  await expect(video).toBeVisible({ timeout: 30_000 });
  expect(await liveTracks(page)).toBe(1);
  await page.getByRole('link', { name: 'Explorer' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Explorer');
  await expect.poll(() => liveTracks(page)).toBe(0);
  await page.getByRole('link', { name: 'Clinician' }).click();
  await expect(scan).toBeVisible();

  // Now the camera sees the patient's code: one read, the camera stops, the patient opens.
  writeY4m(Y4M, codeOnDesk(qrPath, qrSide, 8));
  await scan.click();
  await expect(page.getByRole('heading', { name: `Patient ${shortId}` })).toBeVisible({ timeout: 60_000 });
  expect(await openedStreams(page)).toBe(3);
  expect(await liveTracks(page)).toBe(0);
  // The reader's WebAssembly came from the app itself, and nothing was asked of any other origin.
  const origin = new URL(appUrl).origin;
  const wasm = requested.filter((url) => url.endsWith('.wasm'));
  expect(wasm.length).toBeGreaterThan(0);
  for (const url of wasm) expect(url).toMatch(new RegExp(`^${origin}/_app/immutable/.*zxing_reader[^/]*\\.wasm$`));
  expect(requested.filter((url) => /^https?:/.test(url) && new URL(url).origin !== origin)).toEqual([]);
  // The service worker's shell holds that WebAssembly too, so a clinician can scan offline.
  const shellHasReader = () =>
    page.evaluate(async () => {
      for (const name of (await caches.keys()).filter((n) => n.startsWith('medchain-shell-')))
        if ((await (await caches.open(name)).keys()).some((r) => /zxing_reader[^/]*\.wasm$/.test(r.url))) return true;
      return false;
    });
  await expect.poll(shellHasReader, { timeout: 30_000 }).toBe(true);
  await page.getByRole('button', { name: 'Back to patients' }).click();

  // A reader that cannot start (its worker fails to load): the camera stops, a clear message, focus back on the button.
  await page.evaluate(() => {
    class BrokenWorker extends EventTarget {
      constructor() {
        super();
        setTimeout(() => this.dispatchEvent(new Event('error')), 0);
      }
      postMessage(): void {}
      terminate(): void {}
    }
    (window as unknown as { Worker: unknown }).Worker = BrokenWorker;
  });
  await scan.click();
  await expect(page.locator('#find-scan-problem')).toContainText('The QR code reader could not start');
  await expect(video).toHaveCount(0);
  await expect(scan).toBeFocused();
  expect(await liveTracks(page)).toBe(0);

  // A refused camera: a clear message, and the typed short id still finds the patient.
  await page.evaluate(() => {
    navigator.mediaDevices.getUserMedia = () => Promise.reject(new DOMException('refused', 'NotAllowedError'));
  });
  await scan.click();
  await expect(page.locator('#find-scan-problem')).toContainText('The camera was not allowed');
  await page.locator('#find-id').fill(shortId);
  await page.getByRole('button', { name: 'Find', exact: true }).click();
  await expect(page.getByRole('heading', { name: `Patient ${shortId}` })).toBeVisible();

  // No camera at all.
  await page.getByRole('button', { name: 'Back to patients' }).click();
  await page.evaluate(() => {
    navigator.mediaDevices.getUserMedia = () => Promise.reject(new DOMException('none', 'NotFoundError'));
  });
  await scan.click();
  await expect(page.locator('#find-scan-problem')).toContainText('No camera was found');
  expect(problems).toEqual([]);
});
