/**
 * `medchain bench [--only NAME] [--out FILE] [--no-netns] [--help]` (SPEC §9: performance is
 * measured by a benchmark command, never asserted by a timed test; issue 7).
 * Runs the figures (benchmarks/figures.ts), prints a table of each beside
 * its goal, and writes bench/results.json: one object per figure, units in
 * the keys; `--only NAME` replaces that entry and keeps the others.
 *
 * The browser figures run in headless Chromium. WebRTC between pages needs
 * the private network namespace of the browser tests, so a run that is not
 * inside one re-executes itself through scripts/netns-run.sh (when it can:
 * root on Linux; `--no-netns` skips that).
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { cpus, loadavg } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { parse } from './args';
import { BENCH_CHAIN, benchContext } from './benchmarks/context';
import { FIGURES, RUN_ORDER } from './benchmarks/figures';
import { FIGURE_NAMES, failed, type FigureName, isFigureName, mergeResults, parseResults, type Results, serializeResults } from './benchmarks/results';
import { formatTable } from './benchmarks/table';
import { type CliIO, EXIT_OK, UsageError } from './io';

const ROOT = resolve(new URL('../..', import.meta.url).pathname);

/** Whether to re-run inside a private network namespace, and can. */
function shouldEnterNetns(noNetns: boolean): boolean {
  return (
    !noNetns &&
    process.env.MEDCHAIN_IN_NETNS !== '1' &&
    process.platform === 'linux' &&
    process.getuid?.() === 0 &&
    existsSync(join(ROOT, 'scripts/netns-run.sh'))
  );
}

/** What `medchain bench --help` prints: the options and every figure a run can measure. */
function benchUsage(): string[] {
  return [
    'usage: medchain bench [--only NAME] [--out FILE] [--no-netns]',
    `  --only NAME   measure one figure and keep the others in the results file; NAME is one of: ${FIGURE_NAMES.join(', ')}`,
    '  --out FILE    where the results go (default bench/results.json)',
    '  --no-netns    run here instead of inside a private network namespace (scripts/netns-run.sh)',
    `a whole run measures ${RUN_ORDER.join(', ')} in that order (the chain figures use a ${BENCH_CHAIN.blocks}-block demo chain, mined once and cached in bench/out/)`,
  ];
}

export async function benchCommand(argv: string[], io: CliIO): Promise<number> {
  const { values } = parse(argv, { only: { type: 'string' }, out: { type: 'string' }, 'no-netns': { type: 'boolean' }, help: { type: 'boolean', short: 'h' } });
  if (values.help === true) {
    for (const line of benchUsage()) io.out(line);
    return EXIT_OK;
  }
  const only = typeof values.only === 'string' ? values.only : null;
  if (only !== null && !isFigureName(only)) throw new UsageError(`unknown benchmark "${only}"; known: ${FIGURE_NAMES.join(', ')}`);
  const names: FigureName[] = only !== null ? [only as FigureName] : [...RUN_ORDER];
  const path = resolve(typeof values.out === 'string' ? values.out : join(ROOT, 'bench/results.json'));

  if (shouldEnterNetns(values['no-netns'] === true)) {
    const args = [join(ROOT, 'bin/medchain.mjs'), 'bench', ...(only ? ['--only', only] : []), '--out', path];
    const r = spawnSync(join(ROOT, 'scripts/netns-run.sh'), [process.execPath, ...args], { stdio: 'inherit', cwd: ROOT });
    return r.status ?? 1;
  }

  // Pages of this run go to their own folder, so a browser test run at the same time keeps its own.
  process.env.MEDCHAIN_HARNESS_OUT ??= join(ROOT, 'bench/out/harness');
  const started = performance.now();
  const loadBefore = loadavg()[0]!;
  const ctx = benchContext(ROOT, (l) => io.err(l));
  const run: Results = {};
  try {
    for (const name of names) {
      io.err(`bench: ${name}…`);
      const t = performance.now();
      try {
        run[name] = await FIGURES[name](ctx);
      } catch (e) {
        run[name] = failed((e as Error).message);
      }
      io.err(`bench: ${name} done in ${((performance.now() - t) / 1000).toFixed(1)} s`);
    }
  } finally {
    await ctx.close();
  }
  let previous: string | null;
  try {
    previous = await readFile(path, 'utf8');
  } catch {
    previous = null;
  }
  const results = mergeResults(parseResults(previous), run);
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, serializeResults(results));
  for (const line of formatTable(results)) io.out(line);
  // Figures move with what else the machine runs: say how busy it was.
  io.out(`machine: ${cpus().length} cores, load average ${loadBefore.toFixed(1)} at the start and ${loadavg()[0]!.toFixed(1)} at the end of this run`);
  io.out(
    `chain: ${BENCH_CHAIN.blocks} blocks (demo-chain, seed ${BENCH_CHAIN.seed}); run took ${((performance.now() - started) / 1000).toFixed(0)} s; wrote ${path}`,
  );
  return EXIT_OK;
}
