/**
 * The hospital's attestation of a guardian as its form holds it (SPEC §2
 * "Family", issue 15): the guardian's id (short id or QR text, as for any
 * patient), the child's date of birth and the clerk's confirmation that they
 * saw proof of the relationship (a birth certificate or a court order).
 * Checked field by field before anything is signed; the ledger checks the
 * same terms again (kinds/attest-guardian.ts).
 */
import { MAX_GUARDIAN_DAYS, type Day, dayOf } from '../../core/payloads';
import { type Problem, problem } from '../../core/problem';
import { dayDate, parseRecordDay } from '../../core/record';
import type { LedgerView } from '../../core/ledger';
import { type FindProblem, findPatient } from '../clinician/patients';
import { comingOfAge } from './coming-of-age';

export interface GuardianFormInput {
  readonly guardian: string;
  /** YYYY-MM-DD as a date input gives it, or empty. */
  readonly birth: string;
  readonly proofSeen: boolean;
}

export type GuardianField = 'guardian' | 'birth' | 'proof';

export type GuardianFormCode =
  | FindProblem
  /** The guardian's id is the child's own. */
  | 'GUARDIAN_SELF'
  | 'BAD_DATE'
  /** Born after today. */
  | 'BORN_LATER'
  /** 18 already (argument: the coming-of-age date). */
  | 'ALREADY_ADULT'
  | 'NO_PROOF';

export interface GuardianFormProblem extends Problem<GuardianFormCode> {
  readonly field: GuardianField;
}

export type CheckedGuardian =
  { readonly ok: true; readonly guardian: string; readonly until: Day } | { readonly ok: false; readonly problems: readonly GuardianFormProblem[] };

/** Checks the form for the child `minor` (hex) at `now` (seconds); `networkId` lets a scanned QR code be read. */
export function checkGuardianForm(ledger: LedgerView, minor: string, input: GuardianFormInput, now: number, networkId?: string): CheckedGuardian {
  const problems: GuardianFormProblem[] = [];
  let guardian: string | null = null;
  const found = findPatient(ledger, input.guardian, networkId);
  if (!found.ok) problems.push({ field: 'guardian', ...problem(found.code) });
  else if (found.patient.id === minor) problems.push({ field: 'guardian', ...problem('GUARDIAN_SELF') });
  else guardian = found.patient.id;
  const until = comingOfAge(input.birth);
  const today = dayOf(now);
  if (until === null) problems.push({ field: 'birth', ...problem('BAD_DATE') });
  else if (parseRecordDay(input.birth)! > today || until > today + MAX_GUARDIAN_DAYS) problems.push({ field: 'birth', ...problem('BORN_LATER') });
  else if (until <= today) problems.push({ field: 'birth', ...problem('ALREADY_ADULT', dayDate(until)) });
  if (!input.proofSeen) problems.push({ field: 'proof', ...problem('NO_PROOF') });
  return problems.length === 0 && guardian !== null && until !== null ? { ok: true, guardian, until } : { ok: false, problems };
}
