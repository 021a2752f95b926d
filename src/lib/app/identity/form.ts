/**
 * Checks of the register and log-in forms (SPEC §2, §7), pure so they are
 * tested without a browser. Each field gets its own coded problem a person
 * can act on, which the screen words in the language shown
 * (i18n `form`, and `identity.aadhaarProblem` for the number); the Aadhaar number is checked for format and check digit only (the
 * screen says so) and never leaves memory.
 */
import { type AadhaarCheck, type AadhaarProblem, checkAadhaar } from '../../core/aadhaar';
import type { PassphraseStrength, StrengthOf } from '../../core/passphrase-policy';
import { type Problem, problem } from '../../core/problem';

export const MAX_NAME_LENGTH = 80;

export interface RegisterInput {
  readonly aadhaar: string;
  readonly name: string;
  readonly passphrase: string;
  readonly confirm: string;
}

/**
 * What is wrong with a field of the identity forms (register, log in,
 * founding, passphrase change): TOO_LONG and NAME_TOO_LONG_BYTES take the
 * limit, TOO_WEAK the estimate's log10 guesses, OTHER_AADHAAR the masked
 * number of the session.
 */
export type FormCode =
  | 'NAME_EMPTY'
  | 'TOO_LONG'
  | 'UNPRINTABLE'
  | 'CHOOSE_PASSPHRASE'
  | 'TOO_WEAK'
  | 'DIFFER'
  | 'ENTER_PASSPHRASE'
  | 'ENTER_CURRENT'
  | 'SAME_AS_CURRENT'
  | 'OTHER_AADHAAR'
  | 'NETWORK_NAME_EMPTY'
  | 'HOSPITAL_NAME_EMPTY'
  | 'NAME_TOO_LONG_BYTES'
  /** The passphrase estimator could not be loaded, so a new passphrase cannot be checked yet. */
  | 'CHECK_UNAVAILABLE';

/** A field's problem: one of the forms' codes, or the Aadhaar check's (core/aadhaar.ts; LENGTH takes the digit count). */
export type FormProblem = Problem<FormCode | AadhaarProblem>;

export type FieldErrors<K extends string> = Partial<Record<K, FormProblem>>;

/** The Aadhaar field's problem from a failed check of `typed`. */
export function aadhaarProblem(typed: string, check: AadhaarCheck & { ok: false }): FormProblem {
  return check.problem === 'LENGTH' ? problem('LENGTH', typed.replace(/[\s-]/g, '').length) : problem(check.problem);
}

export type FormResult<K extends string> = { readonly ok: true; readonly aadhaarDigits: string } | { readonly ok: false; readonly errors: FieldErrors<K> };

/** A display name: 1 to 80 characters after trimming, no control characters. */
export function checkName(name: string): FormProblem | null {
  const trimmed = name.trim();
  if (trimmed === '') return problem('NAME_EMPTY');
  if ([...trimmed].length > MAX_NAME_LENGTH) return problem('TOO_LONG', MAX_NAME_LENGTH);
  if (/\p{Cc}/u.test(trimmed)) return problem('UNPRINTABLE');
  return null;
}

/**
 * The passphrase against the rule (core/passphrase-policy.ts), with the
 * meter's reading. `strengthOf` is the estimator, passed in because the app
 * loads it lazily (identity/passphrase-tools.ts); `context` is what an
 * attacker may know about the person (name, Aadhaar number).
 */
export function checkNewPassphrase(
  passphrase: string,
  strengthOf: StrengthOf,
  context: readonly string[] = [],
): { strength: PassphraseStrength; error: FormProblem | null } {
  const strength = strengthOf(passphrase, context);
  if (passphrase === '') return { strength, error: problem('CHOOSE_PASSPHRASE') };
  if (strength.acceptable) return { strength, error: null };
  return { strength, error: problem('TOO_WEAK', strength.guessesLog10) };
}

export function checkRegister(input: RegisterInput, strengthOf: StrengthOf): FormResult<keyof RegisterInput> {
  const errors: FieldErrors<keyof RegisterInput> = {};
  const aadhaar = checkAadhaar(input.aadhaar);
  if (!aadhaar.ok) errors.aadhaar = aadhaarProblem(input.aadhaar, aadhaar);
  const name = checkName(input.name);
  if (name) errors.name = name;
  const context = [input.name.trim(), ...(aadhaar.ok ? [aadhaar.digits] : [])].filter((c) => c !== '');
  const pass = checkNewPassphrase(input.passphrase, strengthOf, context).error;
  if (pass) errors.passphrase = pass;
  if (input.confirm !== input.passphrase) errors.confirm = problem('DIFFER');
  if (!aadhaar.ok || Object.keys(errors).length > 0) return { ok: false, errors };
  return { ok: true, aadhaarDigits: aadhaar.digits };
}

export interface LoginInput {
  readonly aadhaar: string;
  readonly passphrase: string;
}

/** Log-in only needs a well-formed Aadhaar number and a non-empty passphrase (the policy applied when it was chosen). */
export function checkLogin(input: LoginInput): FormResult<keyof LoginInput> {
  const errors: FieldErrors<keyof LoginInput> = {};
  const aadhaar = checkAadhaar(input.aadhaar);
  if (!aadhaar.ok) errors.aadhaar = aadhaarProblem(input.aadhaar, aadhaar);
  if (input.passphrase === '') errors.passphrase = problem('ENTER_PASSPHRASE');
  if (!aadhaar.ok || Object.keys(errors).length > 0) return { ok: false, errors };
  return { ok: true, aadhaarDigits: aadhaar.digits };
}
