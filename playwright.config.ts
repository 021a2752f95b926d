/**
 * Browser tests (SPEC §9): real Chromium pages running the node's TypeScript,
 * served from 127.0.0.1 (a secure context, so crypto.subtle exists). Run them
 * through scripts/netns-run.sh so nothing can leave the machine (see
 * shared/notes/browser-and-webrtc-tests.md); `npm test` does.
 */
import { existsSync } from 'node:fs';
import { defineConfig } from '@playwright/test';
import { CHROMIUM_ARGS } from './tests/sites/chromium';

const SYSTEM_CHROMIUM = '/usr/bin/chromium';

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
    launchOptions: {
      // The system browser; a developer machine with Playwright's own browser falls back to it.
      ...(existsSync(SYSTEM_CHROMIUM) ? { executablePath: SYSTEM_CHROMIUM } : {}),
      args: [...CHROMIUM_ARGS],
    },
  },
});
