/**
 * The shipped code (src/, scripts/, bin/) imports nothing from tests/
 * (issue 14): `medchain bench` once reached into tests/browser for its
 * browser session and relay, so deleting or changing a test could break the
 * command. Every static and dynamic import specifier is resolved against its
 * file; none may land in tests/.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(new URL('../../..', import.meta.url).pathname);
const TESTS = join(ROOT, 'tests');
const SOURCE = /\.(ts|mts|js|mjs|svelte)$/;
const SPECIFIER = /(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)(['"])([^'"]+)\1/g;

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    return e.isDirectory() ? files(path) : SOURCE.test(e.name) ? [path] : [];
  });
}

/** Relative import specifiers of `path` that resolve into tests/, as "file: specifier". */
function testImports(path: string): string[] {
  const text = readFileSync(path, 'utf8');
  return [...text.matchAll(SPECIFIER)]
    .map((m) => m[2]!)
    .filter((spec) => spec.startsWith('.') && resolve(dirname(path), spec).startsWith(TESTS + '/'))
    .map((spec) => `${relative(ROOT, path)}: ${spec}`);
}

describe('shipped code and tests', () => {
  it('finds an import into tests/ when there is one (the check itself works)', () => {
    const found = [...'import { x } from "../../tests/a";\nawait import(\'../tests/b\');'.matchAll(SPECIFIER)].map((m) => m[2]);
    expect(found).toEqual(['../../tests/a', '../tests/b']);
  });

  it('src/, scripts/ and bin/ import nothing from tests/', () => {
    const all = ['src', 'scripts', 'bin'].flatMap((d) => files(join(ROOT, d)));
    expect(all.length).toBeGreaterThan(100);
    expect(all.flatMap(testImports)).toEqual([]);
  });
});
