/**
 * Checks of the register and log-in forms (SPEC §2, §7), pure so they are
 * tested without a browser. Each field gets its own message a person can act
 * on; the Aadhaar number is checked for format and check digit only (the
 * screen says so) and never leaves memory.
 */
import { checkAadhaar } from '../../core/aadhaar';
import type { PassphraseStrength, StrengthOf } from '../../core/passphrase-policy';
import { messages } from '../../messages';

export const MAX_NAME_LENGTH = 80;

export interface RegisterInput {
  readonly aadhaar: string;
  readonly name: string;
  readonly passphrase: string;
  readonly confirm: string;
}

export type FieldErrors<K extends string> = Partial<Record<K, string>>;

export type FormResult<K extends string> =
  | { readonly ok: true; readonly aadhaarDigits: string }
  | { readonly ok: false; readonly errors: FieldErrors<K> };

/** A display name: 1 to 80 characters after trimming, no control characters. */
export function checkName(name: string): string | null {
  const trimmed = name.trim();
  if (trimmed === '') return 'Enter the name you want hospitals to see.';
  if ([...trimmed].length > MAX_NAME_LENGTH) return `Use at most ${MAX_NAME_LENGTH} characters.`;
  if (/\p{Cc}/u.test(trimmed)) return 'The name contains characters that cannot be shown.';
  return null;
}

/**
 * The passphrase against the rule (core/passphrase-policy.ts), with the
 * meter's reading. `strengthOf` is the estimator, passed in because the app
 * loads it lazily (identity/passphrase-tools.ts); `context` is what an
 * attacker may know about the person (name, Aadhaar number).
 */
export function checkNewPassphrase(passphrase: string, strengthOf: StrengthOf, context: readonly string[] = []): { strength: PassphraseStrength; error: string | null } {
  const strength = strengthOf(passphrase, context);
  if (passphrase === '') return { strength, error: 'Choose a passphrase.' };
  if (strength.acceptable) return { strength, error: null };
  return { strength, error: `Too weak. ${messages.en.passphraseReason(strength.guessesLog10)}` };
}

export function checkRegister(input: RegisterInput, strengthOf: StrengthOf): FormResult<keyof RegisterInput> {
  const errors: FieldErrors<keyof RegisterInput> = {};
  const aadhaar = checkAadhaar(input.aadhaar);
  if (!aadhaar.ok) errors.aadhaar = aadhaar.message;
  const name = checkName(input.name);
  if (name) errors.name = name;
  const context = [input.name.trim(), ...(aadhaar.ok ? [aadhaar.digits] : [])].filter((c) => c !== '');
  const pass = checkNewPassphrase(input.passphrase, strengthOf, context).error;
  if (pass) errors.passphrase = pass;
  if (input.confirm !== input.passphrase) errors.confirm = 'The two passphrases differ.';
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
  if (!aadhaar.ok) errors.aadhaar = aadhaar.message;
  if (input.passphrase === '') errors.passphrase = 'Enter your passphrase.';
  if (!aadhaar.ok || Object.keys(errors).length > 0) return { ok: false, errors };
  return { ok: true, aadhaarDigits: aadhaar.digits };
}
