/** Test helpers that read the code of the error a call throws (tests assert codes, not text). */
import { DecodeError, RuleError, type DecodeCode, type RuleCode } from '../../../src/lib/core/errors';

function codeOf<E extends Error, C>(fn: () => unknown, kind: new (...a: never[]) => E, code: (e: E) => C): C {
  try {
    fn();
  } catch (e) {
    if (e instanceof kind) return code(e);
    throw e;
  }
  throw new Error(`expected a ${kind.name}, but the call succeeded`);
}

/** The DecodeError code `fn` throws; fails the test if it returns or throws anything else. */
export function decodeCode(fn: () => unknown): DecodeCode {
  return codeOf(fn, DecodeError, (e) => e.code);
}

/** The RuleError code `fn` throws; fails the test if it returns or throws anything else. */
export function ruleCode(fn: () => unknown): RuleCode {
  return codeOf(fn, RuleError, (e) => e.code);
}
