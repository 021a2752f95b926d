/**
 * The scripts' options (scripts/script-args.mjs over node:util parseArgs):
 * strict, and every mistake is one sentence ending in the script's usage;
 * `npm start` and the relay bench stop on an unknown flag before doing
 * anything.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readOptions, wholeNumber } from '../../../scripts/script-args.mjs';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const OPTIONS = { port: { type: 'string' }, quiet: { type: 'boolean' } } as const;
const USAGE = 'demo [--port 5173] [--quiet]';
const mistake = (argv: string[]) => {
  try {
    readOptions(argv, OPTIONS, USAGE);
  } catch (e) {
    return (e as Error).message;
  }
  return 'no error';
};

describe('readOptions', () => {
  it('reads --name value, --name=value and flags', () => {
    expect({ ...readOptions(['--port', '80', '--quiet'], OPTIONS, USAGE) }).toEqual({ port: '80', quiet: true });
    expect({ ...readOptions(['--port=0'], OPTIONS, USAGE) }).toEqual({ port: '0' });
    expect({ ...readOptions([], OPTIONS, USAGE) }).toEqual({});
  });

  it.each([
    [['--prot', '80'], 'unknown option --prot; usage: demo [--port 5173] [--quiet]'],
    [['-p', '80'], 'unknown option -p; usage: demo [--port 5173] [--quiet]'],
    [['--port'], '--port needs a value; usage: demo [--port 5173] [--quiet]'],
    [['--quiet=yes'], '--quiet takes no value; usage: demo [--port 5173] [--quiet]'],
    [['8080'], 'unexpected argument 8080; usage: demo [--port 5173] [--quiet]'],
  ])('%j is refused in one sentence: %s', (argv, message) => {
    expect(mistake(argv)).toBe(message);
  });
});

describe('wholeNumber', () => {
  it('gives the fallback when absent, the number when whole and in range', () => {
    expect(wholeNumber(undefined, 'frames', 20000, 1, 100)).toBe(20000);
    expect(wholeNumber('7', 'frames', 20000, 1, 100)).toBe(7);
  });

  it.each(['0', '101', '1.5', '1e2', '-3', '', ' 7', 'x'])('refuses %j naming the option and its range', (text) => {
    expect(() => wholeNumber(text, 'frames', 20000, 1, 100)).toThrow(`--frames must be a whole number from 1 to 100, not "${text}"`);
  });
});

describe('scripts stop on an unknown flag with one line', () => {
  it.each([
    [['scripts/start.mjs', '--prot', '8080'], 1, 'medchain: unknown option --prot; usage: npm start -- [--port 5173] [--relay-port 4444]'],
    [
      ['scripts/relay-bench.mjs', '--frame', '10'],
      2,
      'relay-bench: unknown option --frame; usage: node scripts/relay-bench.mjs [--frames 20000] [--receivers 4] [--bytes 1500]',
    ],
  ])('node %j exits %i: %s', (argv, status, line) => {
    const r = spawnSync(process.execPath, argv, { cwd: ROOT, encoding: 'utf8', timeout: 30_000 });
    expect(r.status).toBe(status);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(`${line}\n`);
  });
});
