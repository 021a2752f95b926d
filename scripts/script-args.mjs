// Options of the repository's scripts (npm start, the benchmarks, the test
// world's check), read by node:util's parseArgs in strict mode: a misspelt
// flag stops the script instead of being ignored, and every mistake is told
// in one sentence that ends with the script's usage.

import { parseArgs } from 'node:util';

/**
 * The options in `argv` (no positional arguments), or an Error whose message
 * is one sentence naming the mistake and the usage.
 * @template {Record<string, { type: 'string' | 'boolean' }>} T
 * @param {string[]} argv
 * @param {T} options
 * @param {string} usage the script's usage line, e.g. `node scripts/start.mjs [--port 5173]`
 * @returns {{ [K in keyof T]?: T[K]['type'] extends 'boolean' ? boolean : string }}
 */
export function readOptions(argv, options, usage) {
  try {
    return /** @type {any} */ (parseArgs({ args: argv, options, strict: true, allowPositionals: false }).values);
  } catch (error) {
    throw new Error(`${mistake(error)}; usage: ${usage}`, { cause: error });
  }
}

/**
 * parseArgs's error as a short clause (its own messages run to two sentences).
 * @param {unknown} error
 * @returns {string}
 */
function mistake(error) {
  const e = /** @type {NodeJS.ErrnoException} */ (error);
  const message = e instanceof Error ? e.message : String(error);
  // parseArgs quotes the argument at fault: "Unknown option '--x'", "Option '--port <value>' argument missing".
  const quoted = /'([^']*)'/.exec(message)?.[1]?.split(' ')[0];
  if (quoted === undefined) return message.split('\n')[0] ?? message;
  switch (e.code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION':
      return `unknown option ${quoted}`;
    case 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL':
      return `unexpected argument ${quoted}`;
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE':
      return /does not take/.test(message) ? `${quoted} takes no value` : `${quoted} needs a value`;
    default:
      return message.split('\n')[0] ?? message;
  }
}

/**
 * A whole-number option, or its fallback when absent.
 * @param {string | undefined} text
 * @param {string} name the option's name without dashes
 * @param {number} fallback
 * @param {number} min
 * @param {number} max
 * @returns {number}
 */
export function wholeNumber(text, name, fallback, min, max) {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!/^\d+$/.test(text) || value < min || value > max) {
    throw new Error(`--${name} must be a whole number from ${min} to ${max}, not "${text}"`);
  }
  return value;
}

/**
 * Reads a script's options with `read`; a mistake ends the script with its
 * one-line message on standard error and exit code 2 (bad usage), not a
 * stack trace.
 * @template T
 * @param {string} script the name the message starts with
 * @param {() => T} read
 * @returns {T}
 */
export function optionsOrExit(script, read) {
  try {
    return read();
  } catch (error) {
    console.error(`${script}: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(2);
  }
}
