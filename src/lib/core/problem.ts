/**
 * A problem to tell a person, as data: a code and the values its sentence
 * names. Modules return these instead of sentences so every screen words
 * them in the language the person chose (src/lib/i18n); the core and the
 * app's logic stay free of any one language.
 */
export interface Problem<C extends string> {
  readonly code: C;
  /** The values the sentence shows, in the order its catalogue message takes them. */
  readonly args?: readonly (string | number)[];
}

/** A problem with arguments (or none): a short way to build one. */
export function problem<C extends string>(code: C, ...args: (string | number)[]): Problem<C> {
  return args.length > 0 ? { code, args } : { code };
}
