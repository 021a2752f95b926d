/** The simulator's checks catch deliberately broken rules (issue 4). */
import { describe, expect, it } from 'vitest';
import { simulate } from '../../../src/lib/sim/simulator';

describe('simulator catches broken rules', () => {
  it('finality at exactly half of the validators gives conflicting final blocks', async () => {
    let caught: string | null = null;
    for (let s = 0; s < 20 && caught === null; s++) {
      const r = await simulate(`half-${s}`, { nodes: 4, validators: 4, quorum: (n) => n / 2, healSteps: 40 });
      if (r.violations.length > 0) caught = `${s}: ${r.violations[0]}`;
    }
    expect(caught).toMatch(/conflicting final blocks|reverted/);
  }, 120_000);

  it('a quorum no one can reach is reported as a liveness failure, not as success', async () => {
    const r = await simulate('unreachable', { nodes: 4, validators: 3, quorum: (n) => n + 1, faultSteps: 30, healSteps: 40 });
    expect(r.violations).toEqual([]);
    expect(r.livenessFailure).toMatch(/not converged/);
  });
});
