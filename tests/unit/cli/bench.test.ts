import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from './run';

describe('medchain bench', () => {
  it('runs one named benchmark and writes its figure, with units in the keys, to the results file', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'medchain-bench-')), 'results.json');
    const r = await cli(['bench', '--only', 'kdf_node', '--out', out]);
    expect(r.code).toBe(0);
    const json = JSON.parse(readFileSync(out, 'utf8'));
    expect(Object.keys(json)).toEqual(['kdf_node']);
    expect(json.kdf_node.seconds).toBeGreaterThan(0);
    expect(json.kdf_node.params).toMatch(/argon2id m=47104KiB t=1 p=1/);
  });

  it('refuses an unknown benchmark with exit 2', async () => {
    const r = await cli(['bench', '--only', 'warp-drive']);
    expect(r.code).toBe(2);
    expect(r.err[0]).toMatch(/unknown benchmark/);
  });
});
