/**
 * Long-running programs inside a namespace (`ip netns exec NS command …`):
 * servers, relays, coturn. `ip netns exec` execs the command, so the child's
 * pid is the program's own and signals reach it directly.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { IP } from './netns';

/** Options for {@link spawnIn}. */
export interface SpawnInOptions {
  /** Working directory. */
  readonly cwd?: string;
  /** Extra environment variables (added to this process's environment). */
  readonly env?: Readonly<Record<string, string>>;
  /** A label for messages; default the command's base name. */
  readonly name?: string;
  /** Copy the program's output to this function, one line at a time (for debugging). */
  readonly onLine?: (line: string) => void;
  /** Keep at most this many characters of output for {@link NsProcess.output}; default 200 000. */
  readonly keepChars?: number;
}

/** A program running inside a namespace. */
export interface NsProcess {
  /** The label given (or the command's base name). */
  readonly name: string;
  /** The namespace it runs in. */
  readonly ns: string;
  readonly pid: number;
  readonly child: ChildProcess;
  /** Its standard output and standard error so far, interleaved as they came. */
  output(): string;
  /** Resolves with the first match of `re` in its output (waiting for it), rejects if it exits first or after `timeoutMs` (default 15 s). */
  waitFor(re: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  /** Exit code (null when ended by a signal) once it has exited; undefined while it runs. */
  exitCode(): number | null | undefined;
  /** Resolves when it has exited. */
  readonly exited: Promise<void>;
  /** Sends `signal` (default SIGTERM), then SIGKILL after `graceMs` (default 3 s); resolves once it has exited. Idempotent. */
  stop(signal?: NodeJS.Signals, graceMs?: number): Promise<void>;
}

/** Starts `command args…` inside namespace NS and returns its handle; output is piped and kept. */
export function spawnIn(ns: string, command: string, args: readonly string[], opts: SpawnInOptions = {}): NsProcess {
  const name = opts.name ?? command.split('/').pop() ?? command;
  const child = spawn(IP, ['netns', 'exec', ns, command, ...args], {
    cwd: opts.cwd,
    env: { ...process.env, ...opts.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const keep = opts.keepChars ?? 200_000;
  let out = '';
  let partial = '';
  const waiters = new Set<() => void>();
  const onData = (d: Buffer): void => {
    const text = d.toString();
    out += text;
    if (out.length > keep) out = out.slice(out.length - keep);
    if (opts.onLine) {
      partial += text;
      const lines = partial.split('\n');
      partial = lines.pop() ?? '';
      for (const l of lines) opts.onLine(`[${name}] ${l}`);
    }
    for (const w of waiters) w();
  };
  child.stdout?.on('data', onData);
  child.stderr?.on('data', onData);

  let exit: number | null | undefined;
  const exited = new Promise<void>((resolve) => {
    child.once('exit', (code, signal) => {
      exit = signal ? null : code;
      for (const w of waiters) w();
      resolve();
    });
    child.once('error', (e) => {
      out += `\n[spawn error] ${e.message}\n`;
      exit = null;
      for (const w of waiters) w();
      resolve();
    });
  });

  const waitFor = (re: RegExp, timeoutMs = 15_000): Promise<RegExpMatchArray> =>
    new Promise((resolve, reject) => {
      const check = (): void => {
        const m = re.exec(out);
        if (m) return done(() => resolve(m));
        if (exit !== undefined) return done(() => reject(new Error(`${name} in ${ns} exited (${exit}) before printing ${re}:\n${out.slice(-4000)}`)));
      };
      const timer = setTimeout(() => done(() => reject(new Error(`${name} in ${ns}: no ${re} within ${timeoutMs} ms:\n${out.slice(-4000)}`))), timeoutMs);
      const done = (f: () => void): void => {
        clearTimeout(timer);
        waiters.delete(check);
        f();
      };
      waiters.add(check);
      check();
    });

  let stopping: Promise<void> | undefined;
  const stop = (signal: NodeJS.Signals = 'SIGTERM', graceMs = 3_000): Promise<void> => {
    if (exit !== undefined) return Promise.resolve();
    stopping ??= (async () => {
      child.kill(signal);
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    })();
    return stopping;
  };

  return {
    name,
    ns,
    pid: child.pid ?? -1,
    child,
    output: () => out,
    waitFor,
    exitCode: () => exit,
    exited,
    stop,
  };
}
