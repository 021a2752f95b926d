/**
 * Running short commands to completion (ip, nft, openssl, certutil) with
 * their output collected, and failing loudly with that output when they
 * fail. Long-running programs use {@link ./process.ts}.
 */
import { spawn } from 'node:child_process';

/** What a finished command printed. */
export interface RunResult {
  readonly stdout: string;
  readonly stderr: string;
}

/** Options for {@link run}. */
export interface RunOptions {
  /** Written to the command's standard input, which is then closed. */
  readonly input?: string;
  /** Killed (SIGKILL) and rejected after this long; default 30 s. */
  readonly timeoutMs?: number;
  /** The command's environment; default this process's. */
  readonly env?: NodeJS.ProcessEnv;
  /** Resolve even when the command exits non-zero (the result then carries `code`). */
  readonly allowFailure?: boolean;
}

/** A command that exited non-zero, with everything it printed. */
export class CommandError extends Error {
  constructor(
    readonly command: string,
    readonly code: number | null,
    readonly stdout: string,
    readonly stderr: string,
  ) {
    super(`${command} exited ${code}: ${(stderr || stdout).trim().slice(0, 2000)}`);
    this.name = 'CommandError';
  }
}

/** Runs `command args…` to completion; rejects with a {@link CommandError} unless it exits 0. */
export function run(command: string, args: readonly string[], opts: RunOptions = {}): Promise<RunResult & { code: number | null }> {
  const shown = [command, ...args].join(' ');
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['pipe', 'pipe', 'pipe'], env: opts.env ?? process.env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${shown}: timed out after ${opts.timeoutMs ?? 30_000} ms\n${stderr}`));
    }, opts.timeoutMs ?? 30_000);
    child.once('error', (e) => {
      clearTimeout(timer);
      reject(new Error(`${shown}: ${e.message}`));
    });
    child.once('close', (code) => {
      clearTimeout(timer);
      if (code === 0 || opts.allowFailure) resolve({ stdout, stderr, code });
      else reject(new CommandError(shown, code, stdout, stderr));
    });
    child.stdin.on('error', () => undefined); // a command that never reads its input
    child.stdin.end(opts.input ?? '');
  });
}
