/**
 * The doctor's output: one line per check, `OK`, `WARN` or `FAIL`, then the
 * subject and a plain reason, printed as soon as the check is done so an
 * operator watching a slow check sees how far it got. Only FAIL changes the
 * exit code: a WARN is a deployment that works but deserves a look.
 */
import type { CliIO } from '../io';

export type Verdict = 'OK' | 'WARN' | 'FAIL';

export interface CheckLine {
  readonly verdict: Verdict;
  readonly subject: string;
  readonly text: string;
}

/** `OK   subject: text`, verdicts padded so the subjects line up. */
export function formatLine(line: CheckLine): string {
  return `${line.verdict.padEnd(4)} ${line.subject}: ${line.text}`;
}

/** Collects and prints check lines. */
export class Report {
  readonly lines: CheckLine[] = [];

  constructor(private readonly io: Pick<CliIO, 'out'>) {}

  add(verdict: Verdict, subject: string, text: string): void {
    const line = { verdict, subject, text };
    this.lines.push(line);
    this.io.out(formatLine(line));
  }

  ok(subject: string, text: string): void {
    this.add('OK', subject, text);
  }

  warn(subject: string, text: string): void {
    this.add('WARN', subject, text);
  }

  fail(subject: string, text: string): void {
    this.add('FAIL', subject, text);
  }

  /** True when some check failed. */
  failed(): boolean {
    return this.lines.some((l) => l.verdict === 'FAIL');
  }
}
