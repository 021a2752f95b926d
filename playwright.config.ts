/**
 * Browser tests (SPEC §9): real Chromium pages running the node's TypeScript,
 * served from 127.0.0.1 (a secure context, so crypto.subtle exists). Run them
 * through scripts/netns-run.sh so nothing can leave the machine (see
 * shared/notes/browser-and-webrtc-tests.md); `npm test` does.
 */
import { defineConfig } from '@playwright/test';
import { chromiumLaunchOptions } from './src/bench/chromium';

export default defineConfig({
  testDir: 'tests/browser',
  testMatch: '**/*.spec.ts',
  globalSetup: './tests/browser/setup/global-setup.ts',
  outputDir: 'test-results/browser-artifacts',
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 60_000,
  reporter: [['list'], ['json', { outputFile: 'test-results/browser.json' }]],
  use: {
    browserName: 'chromium',
    headless: true,
    trace: 'off',
    // The system browser and its flags (src/bench/chromium.ts, shared with `medchain bench`); a developer machine with Playwright's own browser falls back to it.
    launchOptions: chromiumLaunchOptions(),
  },
});
