/**
 * Where each request for consent stands (SPEC §4: "both sides see each
 * request's state: requested, granted, refused, expired, revoked"), derived
 * from the ledger alone, so the patient's and the hospital's screens — on any
 * device — say the same thing. A referral is an ask too: the patient answers
 * it with a grant or a refusal; it has no answer-by time.
 */
import type { AnswerState, GrantState, LedgerView, ReferralState, RequestState } from './ledger';

export type AskStatus = 'requested' | 'granted' | 'refused' | 'expired' | 'revoked';

/** One request or referral, with what it asked, how it was answered, and its state at a time. */
export interface AskView {
  /** The request's or referral's transaction id. */
  readonly id: string;
  readonly patient: string;
  /** The hospital that would gain access (the requester, or the referral's receiver). */
  readonly hospital: string;
  readonly request: RequestState | null;
  readonly referral: ReferralState | null;
  readonly status: AskStatus;
  /** When it entered that state (seconds): asked, answered, revoked, or expired. */
  readonly since: number;
  /** When it was asked. */
  readonly asked: number;
  /** The grant that answered it, if any (what was granted, beside what was asked). */
  readonly grant: GrantState | null;
  /** The answer, if any. */
  readonly answer: AnswerState | null;
}

/** The state of request or referral `id` at `now`; null when the id is neither. */
export function askStatus(ledger: LedgerView, id: string, now: number): AskView | null {
  const request = ledger.requests.get(id) ?? null;
  const referral = request ? null : (ledger.referrals.get(id) ?? null);
  const ask = request ?? referral;
  if (!ask) return null;
  const answer = ledger.answers.get(id) ?? null;
  const grant = answer?.kind === 'grant' ? (ledger.grants.get(answer.id) ?? null) : null;
  let status: AskStatus;
  let since: number;
  if (answer?.kind === 'refusal') [status, since] = ['refused', answer.time];
  else if (grant?.revoked) [status, since] = ['revoked', grant.revokedAt ?? grant.time];
  else if (grant && grant.expiry <= now) [status, since] = ['expired', grant.expiry];
  else if (grant) [status, since] = ['granted', grant.time];
  else if (request && request.answerBy <= now) [status, since] = ['expired', request.answerBy];
  else [status, since] = ['requested', ask.time];
  const hospital = request ? request.hospital : referral!.to;
  return { id, patient: ask.patient, hospital, request, referral, status, since, asked: ask.time, grant, answer };
}

/** Every request and referral to `patient`, newest first. */
export function asksOf(ledger: LedgerView, patient: string, now: number): AskView[] {
  const out: AskView[] = [];
  for (const id of ledger.byPatient.get(patient) ?? []) {
    const v = ledger.requests.has(id) || ledger.referrals.has(id) ? askStatus(ledger, id, now) : null;
    if (v) out.push(v);
  }
  return out.reverse();
}

/** Every request `hospital` made and every referral to it, newest first (optionally for one patient). */
export function asksBy(ledger: LedgerView, hospital: string, now: number, patient?: string): AskView[] {
  const ids: { id: string; time: number }[] = [];
  for (const r of ledger.requests.values()) if (r.hospital === hospital && (patient === undefined || r.patient === patient)) ids.push(r);
  for (const r of ledger.referrals.values()) if (r.to === hospital && (patient === undefined || r.patient === patient)) ids.push(r);
  return ids
    .sort((a, b) => b.time - a.time || (a.id < b.id ? -1 : 1))
    .map((x) => askStatus(ledger, x.id, now))
    .filter((v): v is AskView => v !== null);
}
