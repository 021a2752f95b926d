/**
 * `npm test` on a fresh machine (issue 14): the browser suite's system tools
 * are installed with apt-get when this process may (root, or sudo without a
 * password), and otherwise the person gets one line with the exact command.
 */
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BROWSER_TOOLS, installPlan, manualLine, missingTools, onPath } from '../../../scripts/browser-tools.mjs';

const tool = (name: string) => BROWSER_TOOLS.find((t) => t.tool === name)!;

describe("the browser suite's tools", () => {
  it('are the ones the namespace, Chromium and the multi-site suite run', () => {
    expect(BROWSER_TOOLS.map((t) => t.tool).sort()).toEqual(['caddy', 'certutil', 'chromium', 'ip', 'nft', 'openssl', 'turnserver', 'unshare']);
    expect(tool('turnserver').pkg).toBe('coturn');
    expect(tool('certutil').pkg).toBe('libnss3-tools');
  });

  it('missing: Chromium by its path, the rest by the PATH', () => {
    const missing = missingTools({ chromium: false, has: (t) => t !== 'nft' });
    expect(missing.map((m) => m.tool)).toEqual(['chromium', 'nft']);
    expect(missingTools({ chromium: true, has: () => true })).toEqual([]);
  });

  describe('what to do', () => {
    const missing = [tool('chromium'), tool('turnserver')];

    it('nothing when nothing is missing', () => {
      expect(installPlan({ missing: [], root: false, sudo: false, apt: false })).toEqual({ kind: 'none' });
    });

    it('as root with apt-get: update, then install the packages without questions', () => {
      expect(installPlan({ missing, root: true, sudo: false, apt: true })).toEqual({
        kind: 'install',
        commands: [
          ['apt-get', 'update'],
          ['env', 'DEBIAN_FRONTEND=noninteractive', 'apt-get', 'install', '-y', 'chromium', 'coturn'],
        ],
      });
    });

    it('with sudo that needs no password: the same through sudo -n', () => {
      const plan = installPlan({ missing, root: false, sudo: true, apt: true });
      expect(plan.kind === 'install' && plan.commands.every((c) => c[0] === 'sudo' && c[1] === '-n')).toBe(true);
    });

    it('otherwise one line with the exact command, and nothing is run', () => {
      const plan = installPlan({ missing, root: false, sudo: false, apt: true });
      expect(plan).toEqual({
        kind: 'manual',
        line: 'npm test: the browser suite needs chromium, turnserver; run: sudo apt-get update && sudo apt-get install -y chromium coturn',
      });
      expect(installPlan({ missing, root: true, sudo: false, apt: false })).toEqual({ kind: 'manual', line: manualLine(missing, false) });
      expect(manualLine(missing, false)).toMatch(/package manager \(on Debian or Ubuntu: sudo apt-get update && sudo apt-get install -y chromium coturn\)$/);
    });
  });

  describe('looking a command up', () => {
    const dir = mkdtempSync(join(tmpdir(), 'medchain-tools-'));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it('finds an executable on the PATH, not a plain file or an absent name', () => {
      writeFileSync(join(dir, 'runme'), '#!/bin/sh\n');
      chmodSync(join(dir, 'runme'), 0o755);
      writeFileSync(join(dir, 'plain'), 'text');
      chmodSync(join(dir, 'plain'), 0o644);
      expect(onPath('runme', dir)).toBe(true);
      expect(onPath('absent-medchain-tool', dir)).toBe(false);
      expect(onPath('plain', dir)).toBe(false); // no execute bit: even root may not run it
    });
  });
});
