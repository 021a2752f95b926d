/**
 * The command line's narrow interface to the outside world, so each command
 * can be tested in-process with a captured console and an injected clock.
 */
export interface CliIO {
  out(line: string): void;
  err(line: string): void;
  /** Seconds since 1970 (the injected clock of the core). */
  now(): number;
  /** All of standard input as text (for secrets that must not be command-line arguments). */
  readStdin(): Promise<string>;
}

/** Exit codes: 0 success, 1 the input failed a check, 2 the command was used wrongly or could not run. */
export const EXIT_OK = 0;
export const EXIT_FAIL = 1;
export const EXIT_USAGE = 2;

/** Thrown by commands for a usage problem: printed as one line, exit 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export const processIO: CliIO = {
  out: (line) => process.stdout.write(line + '\n'),
  err: (line) => process.stderr.write(line + '\n'),
  now: () => Math.floor(Date.now() / 1000),
  readStdin: async () => {
    if (process.stdin.isTTY) process.stderr.write('passphrase (then Enter and Ctrl-D): ');
    const chunks: Buffer[] = [];
    for await (const c of process.stdin) chunks.push(c as Buffer);
    return Buffer.concat(chunks).toString('utf8');
  },
};
