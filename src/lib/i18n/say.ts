/**
 * Words a coded problem (core/problem.ts) from a catalogue table: the
 * table's message for the code, called with the problem's arguments when it
 * is a function. Tables are typed `Record<Code, …>` against the module's
 * code union, so a code without words fails the type check.
 */
import type { Problem } from '../core/problem';

/** A catalogue message: fixed text, or a sentence built from the problem's arguments. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each message takes its own argument types; say() passes the problem's
export type Wording = string | ((...args: any[]) => string);

/** The sentence for `p` in the table's language. */
export function say<C extends string>(table: Readonly<Record<C, Wording>>, p: Problem<C>): string {
  const words = table[p.code];
  return typeof words === 'function' ? words(...(p.args ?? [])) : words;
}
