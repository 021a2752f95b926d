import { describe, expect, it } from 'vitest';
import { cli } from './run';

describe('medchain retarget', () => {
  // Bitcoin Core's pow_tests cases, through the command line.
  it.each([
    ['0x1d00ffff', 1261130161, 1262152739, '0x1d00d86a'],
    ['0x1d00ffff', 1231006505, 1233061996, '0x1d00ffff'],
    ['0x1c05a3f4', 1279008237, 1279297671, '0x1c0168fd'],
    ['0x1c387f6f', 1263163443, 1269211443, '0x1d00e1fd'],
  ])('bitcoin %s from %i to %i gives %s', async (bits, t0, t1, expected) => {
    const r = await cli(['retarget', '--bits', bits, '--first-time', String(t0), '--last-time', String(t1), '--params', 'bitcoin']);
    expect(r).toEqual({ code: 0, out: [expected], err: [] });
  });

  it('uses the default network when --params is absent, printing 0x and 8 lowercase hex digits', async () => {
    // Blocks twice as slow as the spacing: the target doubles (capped at the limit for 0x207fffff).
    const slow = await cli(['retarget', '--bits', '0x1f00FFFF', '--first-time', '0', '--last-time', '90']);
    expect(slow.code).toBe(0);
    expect(slow.out).toEqual(['0x1f01fffe']);
    const capped = await cli(['retarget', '--bits', '0x207fffff', '--first-time', '0', '--last-time', '900']);
    expect(capped.out).toEqual(['0x207fffff']);
  });

  it.each([
    [['--first-time', '1', '--last-time', '2'], /missing --bits/],
    [['--bits', 'zz', '--first-time', '1', '--last-time', '2'], /--bits/],
    [['--bits', '0x1d80ffff', '--first-time', '1', '--last-time', '2'], /not a valid target/],
    [['--bits', '0x00000000', '--first-time', '1', '--last-time', '2'], /not a valid target/],
    [['--bits', '0x1d00ffff', '--first-time', 'x', '--last-time', '2'], /whole number/],
    [['--bits', '0x1d00ffff', '--first-time', '1'], /missing --last-time/],
    [['--bits', '0x1d00ffff', '--first-time', '1', '--last-time', '2', '--params', 'litecoin'], /--params/],
    [['--bits', '0x1d00ffff', '--bogus'], /Unknown option/],
  ])('refuses bad usage %j with exit 2 and one line', async (args, message) => {
    const r = await cli(['retarget', ...args]);
    expect(r.code).toBe(2);
    expect(r.out).toEqual([]);
    expect(r.err).toHaveLength(1);
    expect(r.err[0]).toMatch(message);
  });
});

describe('medchain simulate', () => {
  it('prints the one-line summary and exits 0 when every seed is safe and live', async () => {
    const r = await cli(['simulate', '--nodes', '3', '--validators', '3', '--seeds', '2']);
    expect(r.out).toEqual([expect.stringMatching(/^seeds: 2 violations: 0 liveness-failures: 0 median-final-steps: \d+$/)]);
    expect(r.code).toBe(0);
  });

  it('held-out seeds 5000005 (5 nodes, 3 validators) and 5000002 (9, 5) converge: a write whose block lost the fork choice across a restart returns to the pool, and votes a lagging peer refused reach it again', async () => {
    const r = await cli(['simulate', '--nodes', '5', '--validators', '3', '--start', '5000005', '--seeds', '1']);
    expect([r.code, r.out[0]]).toEqual([0, expect.stringMatching(/^seeds: 1 violations: 0 liveness-failures: 0 /)]);
    const big = await cli(['simulate', '--nodes', '9', '--validators', '5', '--start', '5000002', '--seeds', '1']);
    expect([big.code, big.out[0]]).toEqual([0, expect.stringMatching(/^seeds: 1 violations: 0 liveness-failures: 0 /)]);
  }, 120_000);

  it('exits 1 and prints the seed and trace of a failure (a heal too short to converge in)', async () => {
    const r = await cli(['simulate', '--nodes', '5', '--validators', '3', '--start', '5000005', '--seeds', '1', '--heal-steps', '1']);
    expect(r.code).toBe(1);
    expect(r.out[0]).toMatch(/^seeds: 1 violations: 0 liveness-failures: 1 /);
    expect(r.out.join('\n')).toMatch(/seed 5000005: not converged 1 steps after the heal/);
  }, 120_000);

  it('exits 2 on bad usage: more validators than nodes, a Byzantine majority, unknown behaviour or quorum', async () => {
    expect((await cli(['simulate', '--nodes', '3', '--validators', '4', '--seeds', '1'])).code).toBe(2);
    expect((await cli(['simulate', '--nodes', '3', '--validators', '3', '--seeds', '1', '--byzantine', '2'])).code).toBe(2);
    expect((await cli(['simulate', '--nodes', '3', '--validators', '3', '--seeds', '1', '--behaviour', 'lie'])).code).toBe(2);
    expect((await cli(['simulate', '--nodes', '3', '--validators', '3', '--seeds', '1', '--quorum', 'all'])).code).toBe(2);
  });
});
