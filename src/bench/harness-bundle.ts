/**
 * Bundles harness pages (every `*.ts` of one folder: the bench's pages in
 * src/bench/pages, the browser tests' in tests/browser/harness) with
 * esbuild into {@link HARNESS_OUT}/<name>.js and writes a page <name>.html
 * that loads it as a module (no inline script, so the static server's
 * Content-Security-Policy applies unchanged). Shared by `medchain bench`
 * and the browser tests, so both run pages built the same way.
 *
 * Module workers written as Vite wants them, `new Worker(new URL('./x.worker.ts',
 * import.meta.url), { type: 'module' })`, are bundled too: esbuild leaves such
 * a URL alone, so {@link workerUrls} points it at `./x.worker.js` and the
 * worker is built as its own entry next to the pages.
 */
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { build, type BuildOptions, type Plugin } from 'esbuild';

export const ROOT = new URL('../../', import.meta.url).pathname;
/** Where pages are written; MEDCHAIN_HARNESS_OUT gives a run its own folder, so two runs at once do not rebuild each other's pages mid-test. */
export const HARNESS_OUT = process.env.MEDCHAIN_HARNESS_OUT ?? join(ROOT, 'test-results/harness');

const WORKER_URL = /new URL\(\s*'(\.\/[\w.-]+\.worker)\.ts'\s*,\s*import\.meta\.url\s*\)/g;

/** Rewrites worker URLs to the bundled worker's name and collects the worker sources in `found`. */
function workerUrls(found: Set<string>): Plugin {
  return {
    name: 'worker-urls',
    setup(b) {
      b.onLoad({ filter: /\.ts$/ }, async (args) => {
        const source = await readFile(args.path, 'utf8');
        if (!source.includes('.worker.ts')) return undefined;
        const contents = source.replace(WORKER_URL, (_, rel: string) => {
          found.add(join(dirname(args.path), `${rel}.ts`));
          return `new URL('./${basename(rel)}.js', import.meta.url)`;
        });
        return { contents, loader: 'ts' };
      });
    },
  };
}

/** Builds every page of the folder `src` into a fresh {@link HARNESS_OUT}; returns the page names (file names without `.ts`). */
export async function bundleHarness(src: string): Promise<string[]> {
  rmSync(HARNESS_OUT, { recursive: true, force: true });
  mkdirSync(HARNESS_OUT, { recursive: true });
  const entries = readdirSync(src).filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'));
  const workers = new Set<string>();
  const common: BuildOptions = {
    outdir: HARNESS_OUT,
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'chrome120',
    sourcemap: 'inline',
    logLevel: 'warning',
  };
  await build({ ...common, entryPoints: entries.map((f) => join(src, f)), plugins: [workerUrls(workers)] });
  // Flat names: workers from several folders all land beside the pages, where their rewritten URLs point.
  if (workers.size > 0) await build({ ...common, entryPoints: [...workers], entryNames: '[name]' });
  const names = entries.map((f) => basename(f, '.ts'));
  for (const name of names) {
    const html = `<!doctype html>\n<html><head><meta charset="utf-8"><title>${name}</title>\n<script type="module" src="/${name}.js"></script></head><body></body></html>\n`;
    writeFileSync(join(HARNESS_OUT, `${name}.html`), html);
  }
  return names;
}
