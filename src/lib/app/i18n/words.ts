/**
 * The sentences for the app's coded problems, in the language of the
 * messages passed in (`t()` on screens): a field of the identity forms, a
 * field of the record form, a refused action, a stopped passphrase change.
 * The codes come from the logic modules, which build no sentences, so a
 * language switch rewords every problem already on screen.
 */
import type { Messages } from '../../i18n/catalogue';
import { type Wording, say } from '../../i18n/say';
import type { AadhaarProblem } from '../../core/aadhaar';
import type { SkippedEntry } from '../../core/fhir';
import type { FieldProblem } from '../../core/record';
import type { ActionFailure } from '../clinician/sign';
import type { FormCode, FormProblem } from '../identity/form';
import type { ChangeFailure } from '../patient/settings/passphrase-change.svelte';

const isAadhaar = (p: FormProblem): p is FormProblem & { code: AadhaarProblem } =>
  ['EMPTY', 'NOT_DIGITS', 'LENGTH', 'FIRST_DIGIT', 'CHECKSUM'].includes(p.code);

/** A field problem of the identity forms, or null for none. */
export function formText(m: Messages, p: FormProblem | null | undefined): string | null {
  if (!p) return null;
  return isAadhaar(p) ? say(m.identity.aadhaarProblem, p) : say(m.form, p as FormProblem & { code: FormCode });
}

/** A problem of the record form (its fields and its files). */
export function recordProblemText(m: Messages, p: FieldProblem): string {
  return say(m.recordForm, p);
}

/** Why an action was refused: the fields' problems first when there are any, then the refusal's own words. */
export function actionText(m: Messages, f: ActionFailure): string {
  const table = m.action as Readonly<Record<string, Wording>>;
  const words = Object.hasOwn(table, f.code) ? say<string>(table, f) : m.action.other(f.code);
  const fields = (f.problems ?? []).map((p) => recordProblemText(m, p));
  return [...fields, words].join(' ');
}

/** Why an entry of an imported FHIR file was skipped, the record checks' words after FORM. */
export function skippedText(m: Messages, s: SkippedEntry): string {
  return [say(m.importFile.skip, s), ...(s.problems ?? []).map((p) => recordProblemText(m, p))].join(' ');
}

/** Why a passphrase change stopped. */
export function changeFailureText(m: Messages, f: ChangeFailure): string {
  switch (f.code) {
    case 'WRONG_SECRET':
    case 'KEYS_FAILED':
      return m.passphraseChange[f.code];
    case 'REFUSED':
      return actionText(m, f.refusal);
    case 'REWRAP_FAILED':
      return m.passphraseChange.REWRAP_FAILED(actionText(m, f.refusal));
  }
}
