import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync, spawnSync } from 'node:child_process';
import { beforeAll, describe, expect, it } from 'vitest';
import { readChainFile } from '../../../src/lib/core/chainfile';
import { cli } from './run';

const dir = mkdtempSync(join(tmpdir(), 'medchain-cli-'));
const path = (name: string) => join(dir, name);
let good: Uint8Array;

beforeAll(async () => {
  const r = await cli(['demo-chain', '--blocks', '40', '--out', path('a.chain'), '--seed', 's1']);
  expect(r.code).toBe(0);
  good = new Uint8Array(readFileSync(path('a.chain')));
});

describe('medchain demo-chain', () => {
  it('writes the same bytes for the same seed and other bytes for another', async () => {
    await cli(['demo-chain', '--blocks', '40', '--out', path('b.chain'), '--seed', 's1']);
    await cli(['demo-chain', '--blocks', '40', '--out', path('c.chain'), '--seed', 's2']);
    expect(readFileSync(path('b.chain')).equals(Buffer.from(good))).toBe(true);
    expect(readFileSync(path('c.chain')).equals(Buffer.from(good))).toBe(false);
  });

  it('writes genesis plus N blocks carrying signed sample transactions of several kinds', () => {
    const file = readChainFile(good);
    expect(file.damage).toBeNull();
    expect(file.blocks).toHaveLength(41);
    const kinds = new Set(file.blocks.flatMap((b) => b.block.txs.map((t) => t.kind)));
    expect(kinds.size).toBeGreaterThanOrEqual(5);
  });

  it('refuses bad usage with exit 2', async () => {
    expect((await cli(['demo-chain', '--out', path('x.chain')])).code).toBe(2);
    expect((await cli(['demo-chain', '--blocks', '-1', '--out', path('x.chain')])).code).toBe(2);
    expect((await cli(['demo-chain', '--blocks', '3', '--out', join(dir, 'no', 'such', 'dir', 'x')])).code).toBe(2);
  });
});

describe('medchain verify', () => {
  it('prints OK <height> <tip hash> and exits 0 for a valid chain', async () => {
    const r = await cli(['verify', path('a.chain')]);
    expect(r.code).toBe(0);
    expect(r.out).toHaveLength(1);
    expect(r.out[0]).toMatch(/^OK 40 [0-9a-f]{64}$/);
  });

  it('names the first bad block and its rule and exits 1 for a changed transaction byte', async () => {
    const file = readChainFile(good);
    // Change the last payload byte of the first transaction of block 7 inside the file.
    const raw = file.blocks[7]!.bytes;
    const at = Buffer.from(good).indexOf(Buffer.from(raw));
    const bad = good.slice();
    const i = at + raw.length - 65;
    bad[i] = bad[i]! ^ 0x01;
    writeFileSync(path('bad.chain'), bad);
    const r = await cli(['verify', path('bad.chain')]);
    expect(r.code).toBe(1);
    expect(r.out[0]).toMatch(/^FAIL block 7 [0-9a-f]{64} .*BAD_TX_ROOT/);
  });

  it('exits non-zero with a clear message for a truncated or damaged file, never a stack trace', async () => {
    writeFileSync(path('trunc.chain'), good.slice(0, Math.floor(good.length / 2)));
    const t = await cli(['verify', path('trunc.chain')]);
    expect(t.code).toBe(1);
    expect(t.out[0]).toMatch(/^DAMAGED .*TRUNCATED/);
    writeFileSync(path('junk.chain'), Buffer.from('this is not a chain file at all, just some text'));
    const j = await cli(['verify', path('junk.chain')]);
    expect(j.code).toBe(1);
    expect(j.out[0]).toMatch(/^DAMAGED .*BAD_MAGIC/);
    const tail = good.slice();
    tail[tail.length - 1] = tail[tail.length - 1]! ^ 0x80;
    writeFileSync(path('sum.chain'), tail);
    const s = await cli(['verify', path('sum.chain')]);
    expect(s.code).toBe(1);
    expect(s.out[0]).toMatch(/^DAMAGED .*BAD_CHECKSUM/);
    for (const r of [t, j, s]) expect([...r.out, ...r.err].join('\n')).not.toMatch(/\n\s+at /);
  });

  it('with --genesis, accepts only a chain of that network', async () => {
    const ok = await cli(['verify', path('a.chain')]);
    const file = readChainFile(good);
    const { blockHash } = await import('../../../src/lib/core/block');
    const { toHex } = await import('../../../src/lib/core/bytes');
    const genesis = toHex(blockHash(file.blocks[0]!.block));
    expect((await cli(['verify', path('a.chain'), '--genesis', genesis])).out).toEqual(ok.out);
    const other = await cli(['verify', path('c.chain'), '--genesis', genesis]);
    expect(other.code).toBe(1);
    expect(other.out[0]).toMatch(/^FAIL block 0 .*BAD_GENESIS/);
    expect((await cli(['verify', path('a.chain'), '--genesis', 'xyz'])).code).toBe(2);
  });

  it('exits 2 when the file cannot be read or no file is named', async () => {
    const r = await cli(['verify', path('missing.chain')]);
    expect(r.code).toBe(2);
    expect(r.err[0]).toMatch(/cannot read .*ENOENT/);
    expect((await cli(['verify'])).code).toBe(2);
  });
});

describe('the medchain executable', () => {
  const bin = new URL('../../../bin/medchain.mjs', import.meta.url).pathname;

  it('runs as a process with the exit codes of the command', () => {
    const ok = execFileSync(process.execPath, [bin, 'verify', path('a.chain')], { encoding: 'utf8' });
    expect(ok).toMatch(/^OK 40 /);
    const bad = spawnSync(process.execPath, [bin, 'verify', path('trunc.chain')], { encoding: 'utf8' });
    expect(bad.status).toBe(1);
    const unknown = spawnSync(process.execPath, [bin, 'frobnicate'], { encoding: 'utf8' });
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toMatch(/unknown command/);
  });
});
