/** Runs the command line in-process with a captured console and a fixed clock. */
import { main } from '../../../src/cli/main';
import type { CliIO } from '../../../src/cli/io';

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
