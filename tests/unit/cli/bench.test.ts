import { describe, expect, it } from 'vitest';
import { RUN_ORDER } from '../../../src/cli/benchmarks/figures';
import { FIGURE_NAMES, mergeResults, notMeasured, parseResults, serializeResults } from '../../../src/cli/benchmarks/results';
import { formatNumber, formatTable, verdict } from '../../../src/cli/benchmarks/table';
import { compressionsPerSecond, parseOpensslSpeed } from '../../../src/cli/benchmarks/openssl';
import { percentile } from '../../../src/cli/benchmarks/stats';
import { modulePreloads } from '../../../src/bench/app-bundle';
import { cli } from './run';

const OPENSSL_OUTPUT = `version: 3.0.19
built on: Fri Apr  3 12:29:32 2026 UTC
options: bn(64,64)
CPUINFO: OPENSSL_ia32cap=0xfffa3203078bffff:0x405fc6f1bf07ab
The 'numbers' are in 1000s of bytes per second processed.
type          16384 bytes
sha256         1767863.94k
`;

describe('medchain bench: results.json', () => {
  it('--only replaces its own entry and keeps every other figure', () => {
    const previous = parseResults(JSON.stringify({ login: { seconds: 0.9, goal_seconds: 1 }, bundle: { gzip_kb: 40, goal_kb: 150 } }));
    const merged = mergeResults(previous, { login: { seconds: 0.7, goal_seconds: 1 } });
    expect(merged).toEqual({ login: { seconds: 0.7, goal_seconds: 1 }, bundle: { gzip_kb: 40, goal_kb: 150 } });
  });

  it('keeps figures in table order and drops entries that are not figures of this bench', () => {
    const previous = parseResults(JSON.stringify({ memory: { heap_mb: 1 }, kdf_node: { seconds: 3 }, hashrate: 'oops', sync: { nested: { x: 1 } } }));
    expect(previous).toEqual({ memory: { heap_mb: 1 } });
    const merged = mergeResults(previous, { hashrate: { ratio: 0.1 } });
    expect(Object.keys(merged)).toEqual(['hashrate', 'memory']);
  });

  it('starts from nothing when the previous file is missing or damaged', () => {
    expect(parseResults(null)).toEqual({});
    expect(parseResults('{not json')).toEqual({});
    expect(parseResults('[1,2]')).toEqual({});
  });

  it('writes pretty JSON that reads back the same', () => {
    const r = { start: notMeasured('no node yet') };
    const text = serializeResults(r);
    expect(text.endsWith('\n')).toBe(true);
    expect(parseResults(text)).toEqual(r);
  });
});

describe('medchain bench: table', () => {
  const results = {
    hashrate: { ratio: 0.0185, goal_ratio: 0.5, nonces_per_second: 511726 },
    login: { seconds: 0.877, goal_seconds: 1, params: 'argon2id' },
    sync: notMeasured('the node runtime is not in the bench'),
  };

  it('puts each headline beside its goal with a verdict, details below', () => {
    const lines = formatTable(results, ['hashrate', 'login', 'sync', 'memory']);
    expect(lines[0]).toMatch(/^figure\s+measured\s+goal\s+verdict$/);
    const row = (name: string) => lines.find((l) => l.startsWith(`${name} `))!;
    expect(row('hashrate')).toMatch(/ratio=0\.0185\s+>= 0\.5\s+misses$/);
    expect(row('login')).toMatch(/seconds=0\.877\s+<= 1\s+meets$/);
    expect(row('sync')).toMatch(/not-measured$/);
    expect(row('memory')).toMatch(/not run$/);
    expect(lines[lines.indexOf(row('hashrate')) + 1]).toMatch(/^\s+nonces_per_second=511,726$/);
    expect(lines[lines.indexOf(row('sync')) + 1]).toMatch(/why=the node runtime is not in the bench/);
  });

  it('aligns the goal column', () => {
    const lines = formatTable(results, ['hashrate', 'login']);
    const rows = lines.filter((l) => /^(figure|hashrate|login) /.test(l));
    const at = rows.map((l) => l.search(/(goal|>=|<=)/));
    expect(new Set(at).size).toBe(1);
  });

  it('says meets or misses by the direction of the goal', () => {
    expect(verdict('bundle', { gzip_kb: 151, goal_kb: 150 })).toBe('misses');
    expect(verdict('bundle', { gzip_kb: 150, goal_kb: 150 })).toBe('meets');
    expect(verdict('hashrate', { ratio: 0.6, goal_ratio: 0.5 })).toBe('meets');
    expect(verdict('memory', { heap_mb: 5 })).toBe('?');
    expect(verdict('memory', { status: 'failed', why: 'x' })).toBe('failed');
  });

  it('formats numbers for people', () => {
    expect(formatNumber(27621340.4)).toBe('27,621,340');
    expect(formatNumber(0.018456)).toBe('0.0185');
    expect(formatNumber(13.117)).toBe('13.1');
    expect(formatNumber(0)).toBe('0');
  });
});

describe('medchain bench: native SHA-256 limit', () => {
  it('reads bytes per second from `openssl speed` and turns them into compressions', () => {
    const bytes = parseOpensslSpeed(OPENSSL_OUTPUT);
    expect(bytes).toBeCloseTo(1_767_863_940, 0);
    expect(compressionsPerSecond(bytes!)).toBeCloseTo(27_622_874, 0);
  });

  it('gives null for output without a sha256 figure', () => {
    expect(parseOpensslSpeed('type 16384 bytes\nsha256   \n')).toBeNull();
    expect(parseOpensslSpeed('')).toBeNull();
  });
});

describe('medchain bench: percentiles', () => {
  it('takes the nearest rank', () => {
    const values = Array.from({ length: 30 }, (_, i) => 30 - i); // 30 … 1, unsorted on purpose
    expect(percentile(values, 50)).toBe(15);
    expect(percentile(values, 95)).toBe(29);
    expect(percentile(values, 100)).toBe(30);
    expect(percentile([7], 95)).toBe(7);
  });

  it('refuses an empty list', () => {
    expect(() => percentile([], 50)).toThrow();
  });
});

describe('medchain bench: bundle', () => {
  it('lists the modulepreload links of the entry HTML', () => {
    const html = '<link href="/a.js" rel="modulepreload">\n<link rel="stylesheet" href="/x.css"><link rel="modulepreload" href="/b.js">';
    expect(modulePreloads(html)).toEqual(['/a.js', '/b.js']);
  });
});

describe('medchain bench: command line', () => {
  it('a whole run measures every figure exactly once', () => {
    expect([...RUN_ORDER].sort()).toEqual([...FIGURE_NAMES].sort());
  });

  it('--help names the options and every figure, and measures nothing', async () => {
    const r = await cli(['bench', '--help']);
    expect(r.code).toBe(0);
    expect(r.err).toEqual([]);
    expect(r.out[0]).toBe('usage: medchain bench [--only NAME] [--out FILE] [--no-netns]');
    for (const name of FIGURE_NAMES) expect(r.out.join('\n')).toContain(name);
  });

  it('refuses an unknown figure with exit 2 and names the known ones', async () => {
    const r = await cli(['bench', '--only', 'warp-drive']);
    expect(r.code).toBe(2);
    expect(r.err[0]).toMatch(/unknown benchmark/);
    for (const name of FIGURE_NAMES) expect(r.err[0]).toContain(name);
  });
});
