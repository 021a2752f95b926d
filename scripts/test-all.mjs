#!/usr/bin/env node
// `npm test`: every suite, one after another, then one closing line
// `N passed, N failed` that totals them all (CI reads it). Suites:
//   typecheck  svelte-check over the app, the core and the command line (one check)
//   lint       ESLint (eslint.config.js): recommended rules, layer boundaries,
//              a pure core, no empty catch without a comment (one check)
//   format     Prettier --check (.prettierrc): the code is laid out as the
//              formatter writes it; `npm run format` fixes (one check)
//   unit       Vitest in plain Node: the core, the command line, the scripts
//   browser    Playwright in Chromium, inside a private network namespace
//              (scripts/netns-run.sh): the node's adapters in real pages.
//              First the system tools it needs (scripts/browser-tools.mjs)
//              are checked and, on Debian or Ubuntu as root or with sudo
//              without a password, installed with apt-get; when they cannot
//              be, one line names the exact command and the suite counts as
//              failed.
// Exit code 0 only when nothing failed.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { ensureBrowserTools } from './browser-tools.mjs';

const root = new URL('..', import.meta.url).pathname;
const out = join(root, 'test-results');
mkdirSync(out, { recursive: true });
const node = process.execPath;
const bin = (pkg, file) => join(root, 'node_modules', pkg, file);

const totals = { passed: 0, failed: 0 };
const lines = [];

function run(name, args, opts = {}) {
  const started = Date.now();
  const r = spawnSync(opts.command ?? node, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...opts.env } });
  return { status: r.status ?? 1, seconds: ((Date.now() - started) / 1000).toFixed(1) };
}

function record(name, passed, failed, seconds) {
  totals.passed += passed;
  totals.failed += failed;
  lines.push(`${name.padEnd(10)} ${passed} passed, ${failed} failed (${seconds}s)`);
}

// Type check: one check that passes or fails.
{
  const sync = run('sync', [bin('@sveltejs/kit', 'svelte-kit.js'), 'sync']);
  const r =
    sync.status === 0
      ? run('typecheck', [bin('svelte-check', 'bin/svelte-check'), '--tsconfig', './tsconfig.json', '--fail-on-warnings', '--output', 'human'])
      : sync;
  record('typecheck', r.status === 0 ? 1 : 0, r.status === 0 ? 0 : 1, r.seconds);
}

// Lint: one check that passes or fails.
{
  const r = run('lint', [bin('eslint', 'bin/eslint.js'), '.']);
  record('lint', r.status === 0 ? 1 : 0, r.status === 0 ? 0 : 1, r.seconds);
}

// Format: one check that passes or fails.
{
  const r = run('format', [bin('prettier', 'bin/prettier.cjs'), '--check', '--log-level', 'warn', '.']);
  record('format', r.status === 0 ? 1 : 0, r.status === 0 ? 0 : 1, r.seconds);
}

// Unit tests: counts from Vitest's JSON report.
{
  const report = join(out, 'unit.json');
  rmSync(report, { force: true });
  const r = run('unit', [bin('vitest', 'vitest.mjs'), 'run', '--reporter=default', '--reporter=json', `--outputFile=${report}`]);
  let passed = 0;
  let failed;
  try {
    const json = JSON.parse(readFileSync(report, 'utf8'));
    passed = json.numPassedTests;
    // A suite that failed to load has no tests: count it once as a failure.
    failed = json.numFailedTests + (json.numFailedTestSuites > 0 && json.numFailedTests === 0 ? json.numFailedTestSuites : 0);
    if (json.numTotalTests === 0) failed += 1;
  } catch {
    failed = 1;
  }
  if (r.status !== 0 && failed === 0) failed = 1;
  record('unit', passed, failed, r.seconds);
}

// Browser tests: counts from Playwright's JSON report. A skipped test or an
// error outside the tests (global setup, a file that fails to load) is a failure,
// and so is a suite that cannot run for want of its tools.
const missingTools = ensureBrowserTools((line) => console.log(line));
if (missingTools !== null) {
  console.log(missingTools);
  record('browser', 0, 1, '0.0');
  lines.push(`           not run: ${missingTools}`);
} else {
  const report = join(out, 'browser.json');
  rmSync(report, { force: true });
  const r = run('browser', [node, bin('@playwright/test', 'cli.js'), 'test'], { command: join(root, 'scripts', 'netns-run.sh') });
  let passed = 0;
  let failed;
  try {
    const json = JSON.parse(readFileSync(report, 'utf8'));
    passed = json.stats.expected;
    failed = json.stats.unexpected + json.stats.flaky + json.stats.skipped + (json.errors?.length ?? 0);
    if (passed + failed === 0) failed = 1;
  } catch {
    failed = 1;
  }
  if (r.status !== 0 && failed === 0) failed = 1;
  record('browser', passed, failed, r.seconds);
}

console.log('\n' + lines.join('\n'));
console.log(`${totals.passed} passed, ${totals.failed} failed`);
process.exitCode = totals.failed === 0 ? 0 : 1;
