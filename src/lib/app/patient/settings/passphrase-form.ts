/**
 * The passphrase-change form (SPEC §2): the Aadhaar number again (it salts
 * the keys and is never stored), the current passphrase (with the number,
 * it must give this session's keys: checked after the form, in the KDF
 * worker, so a slip in the number cannot quietly salt the new keys with
 * another number and lock the patient out), and the new passphrase twice,
 * held to the same strength rule as registration. A session opened with a
 * recovery kit has no current passphrase to give; there the number must
 * only be well formed.
 */
import { checkAadhaar, maskAadhaar } from '../../../core/aadhaar';
import type { StrengthOf } from '../../../core/passphrase-policy';
import { type FieldErrors, type FormResult, checkNewPassphrase } from '../../identity/form';

export interface ChangeInput {
  readonly aadhaar: string;
  /** The current passphrase ('' in a recovery-kit session). */
  readonly current: string;
  readonly passphrase: string;
  readonly confirm: string;
}

/** Checks the form; `maskedAadhaar` is the session's (null when signed in with a recovery kit, which does not know it); `strengthOf` the loaded estimator. */
export function checkPassphraseChange(input: ChangeInput, maskedAadhaar: string | null, strengthOf: StrengthOf): FormResult<keyof ChangeInput> {
  const errors: FieldErrors<keyof ChangeInput> = {};
  const aadhaar = checkAadhaar(input.aadhaar);
  if (!aadhaar.ok) errors.aadhaar = aadhaar.message;
  else if (maskedAadhaar !== null && maskAadhaar(aadhaar.digits) !== maskedAadhaar)
    errors.aadhaar = `This is not the Aadhaar number you logged in with (${maskedAadhaar}).`;
  if (maskedAadhaar !== null && input.current === '') errors.current = 'Enter your current passphrase.';
  const pass = checkNewPassphrase(input.passphrase, strengthOf, aadhaar.ok ? [aadhaar.digits] : []).error;
  if (pass) errors.passphrase = pass;
  else if (input.current !== '' && input.passphrase === input.current) errors.passphrase = 'Choose a passphrase different from the current one.';
  if (input.confirm !== input.passphrase) errors.confirm = 'The two passphrases differ.';
  if (!aadhaar.ok || Object.keys(errors).length > 0) return { ok: false, errors };
  return { ok: true, aadhaarDigits: aadhaar.digits };
}
