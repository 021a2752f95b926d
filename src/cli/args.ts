/** Argument parsing for the command line: strict, with one-line errors. */
import { parseArgs } from 'node:util';
import { UsageError } from './io';

export type OptionSpec = Record<string, { type: 'string' | 'boolean'; short?: string }>;

/** Parses `argv` strictly; unknown options or missing values become a {@link UsageError}. */
export function parse(argv: string[], options: OptionSpec, allowPositionals = false) {
  try {
    return parseArgs({ args: argv, options, strict: true, allowPositionals });
  } catch (e) {
    throw new UsageError((e as Error).message.split('\n')[0]!);
  }
}

/** A required string option. */
export function required(values: Record<string, unknown>, name: string): string {
  const v = values[name];
  if (typeof v !== 'string' || v === '') throw new UsageError(`missing --${name}`);
  return v;
}

/** A whole number within bounds, from an option's text. */
export function integer(text: string, name: string, min: number, max: number): number {
  if (!/^-?\d+$/.test(text.trim())) throw new UsageError(`--${name} must be a whole number, got "${text}"`);
  const v = Number(text);
  if (!Number.isSafeInteger(v) || v < min || v > max) throw new UsageError(`--${name} must be between ${min} and ${max}, got ${text}`);
  return v;
}
