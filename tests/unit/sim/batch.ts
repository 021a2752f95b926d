/**
 * Runs seeds of the simulator and fails with every failing seed's replay
 * line and trace tail (yjs prints its seed on failure the same way).
 */
import { expect } from 'vitest';
import { type SimOptions, type SimReport, simulate } from '../../../src/lib/sim/simulator';

export async function runSeeds(prefix: string, count: number, options: SimOptions): Promise<SimReport[]> {
  const reports: SimReport[] = [];
  const failures: string[] = [];
  for (let i = 0; i < count; i++) {
    const seed = `${prefix}-${i}`;
    const r = await simulate(seed, options);
    reports.push(r);
    if (r.violations.length > 0 || r.livenessFailure)
      failures.push([`seed ${seed} ${JSON.stringify(options)}: ${r.violations[0] ?? r.livenessFailure}`, ...r.trace.slice(-25)].join('\n  '));
  }
  expect(failures, failures.join('\n\n')).toEqual([]);
  return reports;
}
