/**
 * Bundles every browser test entry (tests/browser/harness/*.ts) with esbuild
 * into test-results/harness/<name>.js and writes a page <name>.html that
 * loads it as a module (no inline script, so the static server's
 * Content-Security-Policy applies unchanged).
 */
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { build } from 'esbuild';

export const ROOT = new URL('../../../', import.meta.url).pathname;
export const HARNESS_SRC = join(ROOT, 'tests/browser/harness');
export const HARNESS_OUT = join(ROOT, 'test-results/harness');

/** Builds every entry; returns the page names (file names without `.ts`). */
export async function bundleHarness(): Promise<string[]> {
  rmSync(HARNESS_OUT, { recursive: true, force: true });
  mkdirSync(HARNESS_OUT, { recursive: true });
  const entries = readdirSync(HARNESS_SRC).filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'));
  await build({
    entryPoints: entries.map((f) => join(HARNESS_SRC, f)),
    outdir: HARNESS_OUT,
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'chrome120',
    sourcemap: 'inline',
    logLevel: 'warning',
  });
  const names = entries.map((f) => basename(f, '.ts'));
  for (const name of names) {
    const html = `<!doctype html>\n<html><head><meta charset="utf-8"><title>${name}</title>\n<script type="module" src="/${name}.js"></script></head><body></body></html>\n`;
    writeFileSync(join(HARNESS_OUT, `${name}.html`), html);
  }
  return names;
}
