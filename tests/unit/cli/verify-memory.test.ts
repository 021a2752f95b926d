/**
 * `medchain verify` on a crafted 64 MiB chain file (issue 13 #7): read in
 * chunks and refused at its first block's proof of work, in bounded memory
 * and having read about one chunk. Decoding it whole (the old way) builds
 * over 400 MB of heap before the first header is looked at: under a 64 MB
 * heap limit the command would die instead of answering.
 */
import { spawnSync } from 'node:child_process';
import { closeSync, mkdirSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyChainAhead } from '../../../src/lib/adapters/verify-file';
import { fileChunks } from '../../../src/cli/file-chunks';
import { DEFAULT_PARAMS } from '../../../src/lib/core/params';
import { craftedChainFile } from '../core/crafted-chain-file';
import { TEST_NOW, cli } from './run';

const dir = mkdtempSync(join(tmpdir(), 'medchain-crafted-'));
const crafted = join(dir, 'crafted.chain');
const MB = 1024 * 1024;
let size = 0;

beforeAll(() => {
  const fd = openSync(crafted, 'w');
  for (const piece of craftedChainFile(DEFAULT_PARAMS, TEST_NOW, 8)) size += writeSync(fd, piece);
  closeSync(fd);
}, 60_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('medchain verify on a crafted 64 MiB file', () => {
  it('is refused at block 0 (HIGH_HASH), exit 1, by a process whose heap may not pass 64 MB', () => {
    expect(size).toBeGreaterThan(60 * MB);
    const bin = new URL('../../../bin/medchain.mjs', import.meta.url).pathname;
    const r = spawnSync(process.execPath, ['--max-old-space-size=64', bin, 'verify', crafted], { encoding: 'utf8' });
    expect(r.stdout).toMatch(/^FAIL block 0 [0-9a-f]{64} \(file block 0\): HIGH_HASH/);
    expect(r.status).toBe(1);
  }, 60_000);

  it('in-process: memory grows by far less than the file (heap plus buffers, sampled at every read) and about one chunk is read', async () => {
    const handle = await open(crafted, 'r');
    const before = process.memoryUsage();
    let peak = 0;
    let read = 0;
    async function* sampled() {
      for await (const chunk of fileChunks(handle)) {
        read += chunk.length;
        const m = process.memoryUsage();
        peak = Math.max(peak, m.heapUsed + m.arrayBuffers - before.heapUsed - before.arrayBuffers);
        yield chunk;
      }
    }
    try {
      const { report } = await verifyChainAhead(sampled(), TEST_NOW);
      expect(report).toMatchObject({ ok: false, kind: 'bad-block', index: 0, code: 'HIGH_HASH' });
    } finally {
      await handle.close();
    }
    const after = process.memoryUsage();
    peak = Math.max(peak, after.heapUsed + after.arrayBuffers - before.heapUsed - before.arrayBuffers);
    expect(peak).toBeLessThan(64 * MB);
    expect(read).toBeLessThanOrEqual(64 * 1024);
  });

  it('the command answers as before: FAIL naming block 0 and its rule', async () => {
    const r = await cli(['verify', crafted]);
    expect(r.code).toBe(1);
    expect(r.out[0]).toMatch(/^FAIL block 0 [0-9a-f]{64} \(file block 0\): HIGH_HASH: /);
  });

  it('a path that opens but cannot be read (a directory) is an unreadable file: exit 2', async () => {
    const sub = join(dir, 'a-directory');
    mkdirSync(sub);
    const r = await cli(['verify', sub]);
    expect(r.code).toBe(2);
    expect(r.err[0]).toMatch(/cannot read .*EISDIR/);
  });
});
