/**
 * ESLint keeps the architecture (issue 14): the core imports no adapter,
 * node runtime, app, simulator, command line, route or platform module and
 * touches no clock, randomness or platform global; adapters import no node
 * runtime, app or simulator; the node runtime imports no app or route;
 * shipped code imports nothing from tests/; and an empty catch block must
 * hold a comment saying why. Each case lints a snippet as if it were a file
 * at that path, through the repository's own eslint.config.js.
 */
import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { ESLint } from 'eslint';
import { beforeAll, describe, expect, it } from 'vitest';
import { LAYERS, MAX_DEPTH } from '../../../scripts/lint-layers.mjs';

const ROOT = new URL('../../..', import.meta.url).pathname;
let eslint: ESLint;

beforeAll(() => {
  eslint = new ESLint({ cwd: ROOT });
});

/** The rules `code` breaks as a file at `path`, one `line:rule` each. */
async function broken(path: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: join(ROOT, path) });
  return result!.messages.map((m) => `${m.line}:${m.ruleId ?? m.message}`);
}

const IMPORT = 'no-restricted-imports';
const DYNAMIC = 'no-restricted-syntax';

/** A module importing each of `specifiers` (line i + 1 imports the i-th) and using them all. */
function importing(specifiers: string[]): string {
  return [...specifiers.map((s, i) => `import { v${i} } from '${s}';`), `export const all = [${specifiers.map((_, i) => `v${i}`).join(', ')}];`].join('\n');
}

describe('the core imports only itself and pure packages', () => {
  it('refuses adapters, the node runtime, the app, the simulator, the command line and routes, at any depth and through $lib', async () => {
    const outside = [
      '../adapters/timers',
      '../node/node',
      '../app/deployment',
      '../sim/simulator',
      '../../cli/main',
      '../../routes/page',
      '$lib/adapters/timers',
      '../messages',
    ];
    expect(await broken('src/lib/core/x.ts', importing(outside))).toEqual(outside.map((_, i) => `${i + 1}:${IMPORT}`));
    expect(await broken('src/lib/core/kinds/x.ts', importing(['../../adapters/timers']))).toEqual([`1:${IMPORT}`]);
    expect(await broken('src/lib/core/signal/x.ts', "export { a } from '../../adapters/timers';")).toEqual([`1:${IMPORT}`]);
    expect(await broken('src/lib/core/net/x.ts', "export const load = () => import('../../node/node');")).toEqual([`1:${DYNAMIC}`]);
  });

  it('lets it import its own modules, however they are spelled, and pure packages', async () => {
    expect(await broken('src/lib/core/x.ts', importing(['./bytes', './kinds/spec', '../../lib/core/hash', '$lib/core/tx', '@noble/hashes/sha2.js']))).toEqual(
      [],
    );
    expect(await broken('src/lib/core/kinds/x.ts', importing(['../bytes', '../net/messages']))).toEqual([]);
  });

  it('refuses Node built-ins and platform packages', async () => {
    const platform = ['node:fs', 'path', 'ws', 'idb', 'simple-peer', 'svelte/store', '$app/environment'];
    expect(await broken('src/lib/core/x.ts', importing(platform))).toEqual(platform.map((_, i) => `${i + 1}:${IMPORT}`));
  });

  it('refuses the clock, randomness and platform globals, which adapters may use', async () => {
    const code = [
      'export const now = Date.now();',
      'export const r = Math.random();',
      'export const t = setTimeout(() => 0, 1);',
      'export const w = window.location;',
      'export const c = crypto.getRandomValues(new Uint8Array(1));',
      'export const p = performance.now();',
      'export const e = process.env;',
    ].join('\n');
    expect(await broken('src/lib/core/x.ts', code)).toEqual([
      '1:no-restricted-globals',
      '2:no-restricted-properties',
      '3:no-restricted-globals',
      '4:no-restricted-globals',
      '5:no-restricted-globals',
      '6:no-restricted-globals',
      '7:no-restricted-globals',
    ]);
    expect(await broken('src/lib/adapters/x.ts', code)).toEqual([]);
  });
});

describe('the layers around the core', () => {
  it('adapters import the core, never the node runtime, the app or the simulator', async () => {
    const code = importing(['../../node/node', '../../app/deployment', '$lib/sim/simulator', '../../core/bytes', '../timers']);
    expect(await broken('src/lib/adapters/net/x.ts', code)).toEqual([`1:${IMPORT}`, `2:${IMPORT}`, `3:${IMPORT}`]);
  });

  it('the node runtime imports no app or route', async () => {
    expect(await broken('src/lib/node/x.ts', importing(['../app/deployment', '../../routes/page', '../adapters/timers']))).toEqual([
      `1:${IMPORT}`,
      `2:${IMPORT}`,
    ]);
  });

  it('the command line, the bench harness, scripts and bin import nothing from tests/, statically or dynamically', async () => {
    expect(await broken('src/cli/x.ts', importing(['../../tests/shared/store-suite']))).toEqual([`1:${IMPORT}`]);
    expect(await broken('src/cli/benchmarks/x.ts', "export const f = () => import('../../../tests/browser/setup/app');")).toEqual([`1:${DYNAMIC}`]);
    expect(await broken('src/bench/x.ts', "export { a } from '../../tests/sites/world';")).toEqual([`1:${IMPORT}`]);
    expect(await broken('scripts/x.mjs', importing(['../tests/sites/world.ts']))).toEqual([`1:${IMPORT}`]);
    expect(await broken('bin/x.mjs', "export const f = () => import('../tests/sites/world.ts');")).toEqual([`1:${DYNAMIC}`]);
    // Tests may import tests.
    expect(await broken('tests/unit/x.test.ts', importing(['../shared/store-suite']))).toEqual([]);
  });

  it('every source file sits within the depth the boundaries are written for', () => {
    const tooDeep = (dir: string, depth: number): string[] =>
      readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
        !e.isDirectory() ? [] : depth + 1 > MAX_DEPTH ? [relative(ROOT, join(dir, e.name))] : tooDeep(join(dir, e.name), depth + 1),
      );
    expect(LAYERS.flatMap((l) => tooDeep(join(ROOT, l.from), 0))).toEqual([]);
  });
});

describe('empty catch blocks', () => {
  it('need a comment saying why the error may be dropped', async () => {
    expect(await broken('src/cli/x.ts', 'export function f(g: () => void) {\n  try {\n    g();\n  } catch {}\n}')).toEqual(['4:no-empty']);
    expect(
      await broken(
        'src/cli/x.ts',
        'export function f(g: () => void) {\n  try {\n    g();\n  } catch {\n    // g only warms a cache: without it the next call is slower, not wrong\n  }\n}',
      ),
    ).toEqual([]);
  });
});
