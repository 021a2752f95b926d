/**
 * What the app and the command line tell a person about passphrases,
 * logging in, refused writes and the quorum: the codes and the shape of the
 * words (the words themselves are i18n/en/rules.ts and i18n/hi/rules.ts,
 * each catalogue's `rules` area, so screens show the language the person
 * chose and Hindi loads only when chosen; the command line prints the English).
 */
import type { PassphraseWeakness } from './core/passphrase-policy';

export { LANGS, type Lang } from './i18n/lang';

/** Why log in did not open a patient (app/identity/login-decision.ts). */
export type LoginRefusal = 'UNKNOWN_PATIENT' | 'SYNCING' | 'NO_NETWORK';

/** Why a hospital may not add this record for this patient (ledger codes; app/clinician/write.ts). */
export type WriteRefusal = 'NO_CONSENT' | 'OUT_OF_SCOPE';

/** Why a write saved on this device will never reach a block (the chain dropped it from the pool; core/failed-txs.ts). */
export type WriteFailure = 'NO_CONSENT' | 'OUT_OF_SCOPE' | 'BAD_READERS' | 'OTHER';

export interface Catalogue {
  /** One plain sentence: why the rule exists and how far this passphrase is from it. */
  readonly passphraseReason: (guessesLog10: number) => string;
  readonly weakness: Readonly<Record<PassphraseWeakness, string>>;
  readonly passphraseAdvice: string;
  /** The meter's words for scores 0 to 4. */
  readonly strengthWords: readonly [string, string, string, string, string];
  readonly login: Readonly<Record<LoginRefusal, string>>;
  readonly write: Readonly<Record<WriteRefusal, string>>;
  /** Introduces the kinds of record the patient's consent lets the hospital add (the kinds follow). */
  readonly writeCovers: string;
  /** "N writes failed", then the reason. */
  readonly writeFailed: (count: number, reason: string) => string;
  readonly writeFailure: Readonly<Record<WriteFailure, string>>;
  /** The founder's choice of quorum (SPEC §5; core/quorum-rule.ts): a legend, then each rule's name and trade-off. */
  readonly quorum: {
    readonly legend: string;
    readonly twoThirds: string;
    readonly twoThirdsTradeoff: string;
    readonly majority: string;
    readonly majorityTradeoff: string;
    readonly permanent: string;
  };
}

const SUPERSCRIPT = '⁰¹²³⁴⁵⁶⁷⁸⁹';

/** 10 to the power `n` (rounded down), written as 10 with a superscript exponent. */
export function powerOfTen(n: number): string {
  const whole = Math.max(0, Math.floor(n));
  return `10${[...String(whole)].map((d) => SUPERSCRIPT[Number(d)]).join('')}`;
}

/** The sentences explaining a refused passphrase in the language of `m` (a catalogue's `rules`): the reason, then what made it cheap. */
export function passphraseExplanation(m: Catalogue, s: { readonly guessesLog10: number; readonly weaknesses: readonly PassphraseWeakness[] }): string[] {
  return [m.passphraseReason(s.guessesLog10), ...s.weaknesses.map((w) => m.weakness[w]), m.passphraseAdvice];
}

/** The reason shown for a write the chain dropped with rule `code`. */
export function writeFailureOf(code: string): WriteFailure {
  return code === 'NO_CONSENT' || code === 'OUT_OF_SCOPE' || code === 'BAD_READERS' ? code : 'OTHER';
}
