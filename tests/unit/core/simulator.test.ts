/**
 * The deterministic network simulator (issue 4, first version): seeded
 * replays, safety after every step under delays, drops, duplicates,
 * reordering, partitions, crashes and clock skew, and a deliberately broken
 * rule (finality at exactly half) caught by the safety check.
 */
import { describe, expect, it } from 'vitest';
import { simulate } from '../../../src/lib/core/sim/simulator';

describe('network simulator', () => {
  it('replays a seed exactly', () => {
    const a = simulate('replay', { nodes: 4, validators: 3, faultSteps: 60, healSteps: 20 });
    const b = simulate('replay', { nodes: 4, validators: 3, faultSteps: 60, healSteps: 20 });
    expect(b).toEqual(a);
    expect(a.trace.length).toBeGreaterThan(10);
    expect(simulate('other', { nodes: 4, validators: 3, faultSteps: 60, healSteps: 20 }).trace).not.toEqual(a.trace);
  });

  it.each(['1', '2', '3', '4', '5'])('seed %s: no two conflicting final blocks and no final block reverted, under faults', (seed) => {
    const r = simulate(seed, { nodes: 5, validators: 3, faultSteps: 100, healSteps: 30 });
    expect(r.violations, `seed ${seed}\n${r.trace.slice(-30).join('\n')}`).toEqual([]);
  });

  it('catches a deliberately broken rule: finality at exactly half of the validators', () => {
    let caught: string | null = null;
    for (let s = 6; s < 18 && caught === null; s++) {
      const r = simulate(String(s), { nodes: 4, validators: 4, quorum: (n) => n / 2, faultSteps: 120, healSteps: 20 });
      if (r.violations.length > 0) caught = `${s}: ${r.violations[0]}`;
    }
    expect(caught).toMatch(/conflicting final blocks|reverted/);
  }, 60_000);
});
