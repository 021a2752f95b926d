/**
 * `medchain simulate --nodes N --validators V --seeds K [--start S] [--byzantine B]
 *  [--behaviour equivocate|withhold|invalid] [--quorum majority|two-thirds] [--heal-steps N]` (issue 4):
 * runs seeds S…S+K−1 of the deterministic network simulator (the shipped node, src/lib/sim) and prints
 * `seeds: K violations: X liveness-failures: Y median-final-steps: Z`, then for
 * each failure its seed and the end of its trace (replay with `--start SEED
 * --seeds 1`). The B Byzantine validators each take a behaviour chosen by the
 * seed unless `--behaviour` fixes it. `--heal-steps` (default 200) is how
 * many steps after the heal a run has to converge. Exits 1 on any violation or liveness
 * failure, 2 on bad usage.
 */
import { BEHAVIOURS, type Behaviour } from '../lib/sim/byzantine';
import { majority, twoThirds } from '../lib/core/finality';
import { simulate } from '../lib/sim/simulator';
import { integer, parse, required } from './args';
import { type CliIO, EXIT_FAIL, EXIT_OK, UsageError } from './io';

const QUORUMS = { majority, 'two-thirds': twoThirds } as const;

export async function simulateCommand(argv: string[], io: CliIO): Promise<number> {
  const { values } = parse(argv, {
    nodes: { type: 'string' },
    validators: { type: 'string' },
    seeds: { type: 'string' },
    start: { type: 'string' },
    byzantine: { type: 'string' },
    behaviour: { type: 'string' },
    quorum: { type: 'string' },
    'heal-steps': { type: 'string' },
  });
  const nodes = integer(required(values, 'nodes'), 'nodes', 1, 50);
  const validators = integer(required(values, 'validators'), 'validators', 1, nodes);
  const seeds = integer(required(values, 'seeds'), 'seeds', 1, 1_000_000);
  const start = typeof values.start === 'string' ? integer(values.start, 'start', 0, 2 ** 40) : 0;
  // A Byzantine majority is outside every guarantee: refuse it rather than report meaningless failures.
  const byzantine = typeof values.byzantine === 'string' ? integer(values.byzantine, 'byzantine', 0, Math.ceil(validators / 2) - 1) : 0;
  const behaviour = values.behaviour;
  if (behaviour !== undefined && !(BEHAVIOURS as readonly string[]).includes(String(behaviour)))
    throw new UsageError(`--behaviour must be one of ${BEHAVIOURS.join(', ')}`);
  const quorumName = String(values.quorum ?? 'majority');
  if (!(quorumName in QUORUMS)) throw new UsageError('--quorum must be majority or two-thirds');
  const quorum = QUORUMS[quorumName as keyof typeof QUORUMS];
  const healSteps = typeof values['heal-steps'] === 'string' ? integer(values['heal-steps'], 'heal-steps', 1, 100_000) : undefined;
  let violations = 0;
  let liveness = 0;
  const steps: number[] = [];
  const failures: string[] = [];
  for (let s = start; s < start + seeds; s++) {
    const r = await simulate(String(s), { nodes, validators, byzantine, quorum, behaviour: behaviour as Behaviour | undefined, healSteps });
    if (r.violations.length > 0) violations++;
    if (r.livenessFailure) liveness++;
    if (r.finalStep !== null) steps.push(r.finalStep);
    if ((r.violations.length > 0 || r.livenessFailure) && failures.length < 10)
      failures.push([`seed ${s}: ${r.violations[0] ?? r.livenessFailure}`, ...r.trace.slice(-15).map((l) => `  ${l}`)].join('\n'));
  }
  steps.sort((a, b) => a - b);
  const median = steps.length > 0 ? String(steps[Math.floor(steps.length / 2)]) : 'none';
  io.out(`seeds: ${seeds} violations: ${violations} liveness-failures: ${liveness} median-final-steps: ${median}`);
  for (const f of failures) io.out(f);
  return violations + liveness > 0 ? EXIT_FAIL : EXIT_OK;
}
