/** Runs the command line in-process with a captured console and a fixed clock. */
import { main } from '../../../src/cli/main';
import { type CliIO, EXIT_USAGE, UsageError } from '../../../src/cli/io';

export interface CliRun {
  code: number;
  out: string[];
  err: string[];
}

/** A clock well after every demo chain's blocks. */
export const TEST_NOW = 1_800_000_000;

export async function cli(argv: string[], now = TEST_NOW, stdin = ''): Promise<CliRun> {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIO = { out: (l) => out.push(l), err: (l) => err.push(l), now: () => now, readStdin: async () => stdin };
  const code = await main(argv, io);
  return { code, out, err };
}

/**
 * Starts a server command (relay, serve) on a free port as `medchain` would
 * run it — a UsageError becomes one line on stderr and exit 2 — until
 * `release()`; `url` resolves with the first line it prints.
 */
export function runningCommand(command: (argv: string[], io: CliIO, stop: () => Promise<void>) => Promise<number>, name: string, argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  let release!: () => void;
  const stopped = new Promise<void>((r) => (release = r));
  let printed!: (line: string) => void;
  const url = new Promise<string>((r) => (printed = r));
  const io: CliIO = { out: (l) => (out.push(l), printed(l)), err: (l) => err.push(l), now: () => 0, readStdin: async () => '' };
  const done = command(['--port', '0', ...argv], io, () => stopped).catch((e: unknown) => {
    if (!(e instanceof UsageError)) throw e;
    err.push(`medchain ${name}: ${e.message}`);
    return EXIT_USAGE;
  });
  return { url, out, err, done, release };
}
