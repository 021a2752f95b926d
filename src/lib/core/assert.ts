/**
 * Errors for our own mistakes, as opposed to bad data from outside.
 *
 * The core is "loud on our misuse, quiet on peers' garbage" (DEVELOPERS.md):
 * data that arrives from a peer, a file or a form is judged by functions that
 * return a result or throw a {@link RuleError}/{@link DecodeError} that the
 * adapters catch; a broken invariant of our own code throws an
 * {@link AssertionError}, which nothing should catch except a test.
 */
export class AssertionError extends Error {
  override readonly name = 'AssertionError';
}

/** Throws an {@link AssertionError} when `condition` is false. */
export function assert(condition: unknown, message: string): asserts condition {
  if (!condition) throw new AssertionError(message);
}
