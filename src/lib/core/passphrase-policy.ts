/**
 * The passphrase rule (SPEC §2), apart from the estimator that feeds it so
 * screens and forms can hold the rule without loading the estimator's
 * dictionaries. An Aadhaar number is not a secret, so whoever knows one can
 * test passphrases offline against the patient's public key: the rule is a
 * number of guesses, not character classes.
 */

/** A passphrase must need at least 10^12 guesses by the estimator (SPEC §2). */
export const MIN_GUESSES_LOG10 = 12;

/**
 * Why a passphrase is cheap to guess, one code per kind of pattern the
 * estimator found on its cheapest path (tests assert codes, screens show
 * messages.ts's sentence for each).
 */
export type PassphraseWeakness =
  /** A password from leaked-password lists. */
  | 'COMMON_PASSWORD'
  /** A first name, surname, city or state (Indian or English lists). */
  | 'NAME_OR_PLACE'
  /** A word from the English word lists (Wikipedia, common words, diceware). */
  | 'WORD'
  /** The person's own name or Aadhaar number, given as context. */
  | 'PERSONAL'
  /** A year or a date. */
  | 'DATE'
  /** A keyboard pattern (qwerty, 1qaz2wsx). */
  | 'KEYBOARD'
  /** A run such as abcd or 1357. */
  | 'SEQUENCE'
  /** A repeated character or chunk. */
  | 'REPEAT'
  /** None of the above, simply too few characters. */
  | 'SHORT';

export interface PassphraseStrength {
  /** log10 of the estimated number of guesses an attacker needs. */
  readonly guessesLog10: number;
  /** 0 (very weak) to 4 (very strong), for the meter; acceptable exactly when 3 or more. */
  readonly score: 0 | 1 | 2 | 3 | 4;
  readonly acceptable: boolean;
  /** Patterns that made it cheap, in the order found; empty when acceptable. */
  readonly weaknesses: readonly PassphraseWeakness[];
}

/** An estimator: the strength of `passphrase`, given words the attacker can know about the person (name, Aadhaar number). */
export type StrengthOf = (passphrase: string, context?: readonly string[]) => PassphraseStrength;

/** The meter's score: three orders of magnitude per step, the rule's threshold at 3. */
export function scoreOf(guessesLog10: number): PassphraseStrength['score'] {
  const steps = Math.floor((guessesLog10 - MIN_GUESSES_LOG10) / 3) + 3;
  return Math.min(4, Math.max(0, steps)) as PassphraseStrength['score'];
}

/** Applies the rule to an estimate; the patterns are kept only when the passphrase is refused. */
export function judge(guessesLog10: number, found: readonly PassphraseWeakness[]): PassphraseStrength {
  const log10 = Number.isFinite(guessesLog10) ? Math.max(0, guessesLog10) : 0;
  const acceptable = log10 >= MIN_GUESSES_LOG10;
  const weaknesses = acceptable ? [] : found.length > 0 ? [...new Set(found)] : (['SHORT'] as const);
  return { guessesLog10: log10, score: scoreOf(log10), acceptable, weaknesses };
}
