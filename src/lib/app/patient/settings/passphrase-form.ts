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
import { problem } from '../../../core/problem';
import { type FieldErrors, type FormResult, aadhaarProblem, checkNewPassphrase } from '../../identity/form';

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
  if (!aadhaar.ok) errors.aadhaar = aadhaarProblem(input.aadhaar, aadhaar);
  else if (maskedAadhaar !== null && maskAadhaar(aadhaar.digits) !== maskedAadhaar) errors.aadhaar = problem('OTHER_AADHAAR', maskedAadhaar);
  if (maskedAadhaar !== null && input.current === '') errors.current = problem('ENTER_CURRENT');
  const pass = checkNewPassphrase(input.passphrase, strengthOf, aadhaar.ok ? [aadhaar.digits] : []).error;
  if (pass) errors.passphrase = pass;
  else if (input.current !== '' && input.passphrase === input.current) errors.passphrase = problem('SAME_AS_CURRENT');
  if (input.confirm !== input.passphrase) errors.confirm = problem('DIFFER');
  if (!aadhaar.ok || Object.keys(errors).length > 0) return { ok: false, errors };
  return { ok: true, aadhaarDigits: aadhaar.digits };
}
