/**
 * The guess-count estimator behind the passphrase rule (SPEC §2): zxcvbn-ts
 * with its common lists (leaked passwords, diceware words, keyboard layouts)
 * and English lists (names, surnames, Wikipedia, common words), plus the
 * Indian first names, surnames, cities and states of @faker-js/faker's
 * `en_IN` locale as a user dictionary, since no zxcvbn language package
 * knows them. Whoever knows a person's Aadhaar number tries exactly such
 * words, dates and keyboard runs first.
 *
 * An adapter, not core: the library reads the clock (the current year makes
 * recent years cheap guesses, and it times itself). Heavy (megabytes of
 * word lists): the app loads it with a dynamic import only where a new
 * passphrase is chosen (app/identity/passphrase-tools.ts); the command line
 * imports it directly. The dictionaries are built on first use.
 */
import { type Match, ZxcvbnFactory } from '@zxcvbn-ts/core';
import { adjacencyGraphs, dictionary as common } from '@zxcvbn-ts/language-common';
import { dictionary as english } from '@zxcvbn-ts/language-en';
import { en_IN } from '@faker-js/faker';
import { type PassphraseStrength, type PassphraseWeakness, judge } from '../core/passphrase-policy';

/** The user dictionary's name, which the weakness mapping reads back. */
const INDIAN = 'indian-names-places';

/** Indian names and places as one list; multi-word entries ("Tamil Nadu") count as a whole and word by word. */
export function indianWords(): string[] {
  // Every part is optional in faker's locale type; the unit test checks they are all there.
  const { person, location } = en_IN;
  const names = [...(person?.first_name?.female ?? []), ...(person?.first_name?.male ?? []), ...(person?.last_name?.generic ?? [])];
  const places = [...(location?.city_name ?? []), ...(location?.state ?? [])];
  const words = [...names, ...places].flatMap((w) => (w.includes(' ') ? [w.replaceAll(' ', ''), ...w.split(' ')] : [w]));
  return [...new Set(words.map((w) => w.toLowerCase()).filter((w) => w.length >= 3))];
}

/** Look-alike substitutions tried per passphrase (see estimator()). */
export const L33T_MAX = 8;

let factory: ZxcvbnFactory | null = null;

function estimator(): ZxcvbnFactory {
  factory ??= new ZxcvbnFactory({
    graphs: adjacencyGraphs,
    dictionary: { ...common, ...english, [INDIAN]: indianWords() },
    // Up to 8 look-alike substitutions (@ for a, 0 for o, …) per passphrase: the library's 100 makes one check take
    // up to a second on a laptop (too slow for a meter on every keystroke), with the same estimates on real passphrases.
    l33tMaxSubstitutions: L33T_MAX,
  });
  return factory;
}

const NAMES = new Set(['firstnames-en', 'lastnames-en', INDIAN]);

/** The rule's weakness code for one part of the cheapest guess sequence (null: brute force, a separator). */
function weaknessOf(m: Match): PassphraseWeakness | null {
  switch (m.pattern) {
    case 'dictionary': {
      const name = String(m.dictionaryName);
      if (name === 'userInputs') return 'PERSONAL';
      if (name === 'passwords-common') return 'COMMON_PASSWORD';
      return NAMES.has(name) ? 'NAME_OR_PLACE' : 'WORD';
    }
    case 'date':
    case 'regex':
      return 'DATE';
    case 'spatial':
      return 'KEYBOARD';
    case 'sequence':
    case 'wordSequence':
      return 'SEQUENCE';
    case 'repeat':
      return 'REPEAT';
    default:
      return null;
  }
}

/**
 * The strength of `passphrase` under the rule; `context` is what an
 * attacker may know about the person (display name, Aadhaar number), each
 * counted as a cheap guess. Nothing is kept or logged.
 */
export function passphraseStrength(passphrase: string, context: readonly string[] = []): PassphraseStrength {
  const inputs = context.flatMap((c) => [c, ...c.split(/\s+/)]).filter((c) => c.length >= 3);
  const result = estimator().check(passphrase, inputs);
  const found = result.sequence.map(weaknessOf).filter((w): w is PassphraseWeakness => w !== null);
  return judge(passphrase === '' ? 0 : result.guessesLog10, found);
}
