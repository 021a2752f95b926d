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

/** Resolves on the first SIGINT or SIGTERM: how long a server command (relay, serve) runs. */
export function signalled(): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      process.off('SIGINT', done);
      process.off('SIGTERM', done);
      resolve();
    };
    process.on('SIGINT', done);
    process.on('SIGTERM', done);
  });
}

/** Thrown by commands for a usage problem: printed as one line, exit 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export const processIO: CliIO = {
  out: (line) => process.stdout.write(line + '\n'),
  err: (line) => process.stderr.write(line + '\n'),
  now: () => Math.floor(Date.now() / 1000),
  readStdin: async () => {
    if (process.stdin.isTTY) return readHidden();
    const chunks: Buffer[] = [];
    for await (const c of process.stdin) chunks.push(c as Buffer);
    return Buffer.concat(chunks).toString('utf8');
  },
};

/** On a terminal: reads lines without echoing them, until an empty line or Ctrl-D. */
function readHidden(): Promise<string> {
  return new Promise((resolve) => {
    const stdin = process.stdin;
    process.stderr.write('(input hidden; Enter after each line, an empty line to finish)\n');
    stdin.setRawMode(true);
    stdin.resume();
    let text = '';
    const done = () => {
      stdin.setRawMode(false);
      stdin.pause();
      stdin.off('data', onData);
      process.stderr.write('\n');
      resolve(text);
    };
    const onData = (chunk: Buffer) => {
      for (const ch of chunk.toString('utf8')) {
        if (ch === '\u0003') process.exit(130);
        if (ch === '\u0004') return done();
        if (ch === '\r' || ch === '\n') {
          if (text === '' || text.endsWith('\n')) return done();
          text += '\n';
          process.stderr.write('\n');
        } else if (ch === '\u007f') text = text.slice(0, -1);
        else text += ch;
      }
    };
    stdin.on('data', onData);
  });
}
