/**
 * Caregivers (SPEC §2 "Family", issue 15): a patient lets another registered
 * patient — a son looking after a parent, say — read the records of chosen
 * kinds and dates until an expiry, and can revoke it; the caregiver sees,
 * per patient who delegated to them, the terms and those records, opened
 * with their own box key as the patient's timeline opens records.
 *
 * The delegation is a DelegateAccess on the chain, scoped like a grant. Once
 * it is in a block the ledger lets the caregiver's key read the records it
 * covers, so the patient's `shareDueKeys` (consent.ts) re-wraps earlier ones
 * and new ones are sealed to the caregiver too. Revocation (RevokeConsent
 * with the delegation's id, consent.ts `revokeConsent`) and expiry stop both;
 * like a grant, they cannot un-read what was read. The caregiver's app
 * honours the terms as a hospital's does (clinician/history.ts): it shows a
 * record only while a live delegation covers it.
 */
import { hexToBytes } from '../../core/bytes';
import { shortId } from '../../core/ids';
import type { DelegationState, LedgerView } from '../../core/ledger';
import { type Day, OPEN_END, SCOPE_ALL } from '../../core/payloads';
import { parseRecordDay } from '../../core/record';
import { TxKind } from '../../core/tx';
import { type FindProblem, findPatient } from '../clinician/patients';
import { type ActionFailure, type ActionResult, refusal, submitPayload } from '../clinician/sign';
import { type PatientContext, readerHex } from './keys';
import { RECORD_KINDS, hasPending } from './pool';
import { type TimelineEntry, readTimeline } from './timeline';

const DAY_SECONDS = 86_400;
/** Days of access the form offers first. */
export const DEFAULT_DELEGATION_DAYS = 30;

/** Where a delegation stands: in force, past its expiry, or revoked by the patient. */
export type DelegationStatus = 'live' | 'expired' | 'revoked';

/** A delegation with where it stands and the other party's short id (patient names are not on the chain). */
export interface DelegationView {
  readonly delegation: DelegationState;
  readonly status: DelegationStatus;
  /** Since when (seconds): given, expired or revoked. */
  readonly since: number;
  /** The caregiver's short id on the patient's list; the patient's on the caregiver's. */
  readonly shortId: string;
}

/** Where delegation `d` stands at `now` (revocation wins over expiry: it is the patient's act). */
export function delegationStatus(d: DelegationState, now: number): { status: DelegationStatus; since: number } {
  if (d.revoked) return { status: 'revoked', since: d.revokedAt ?? d.time };
  if (d.expiry <= now) return { status: 'expired', since: d.expiry };
  return { status: 'live', since: d.time };
}

/** The delegations where `who` is on `side`, newest first (the delegation id is in both parties' index). */
function delegationsOf(ledger: LedgerView, who: string, side: 'patient' | 'caregiver', now: number): DelegationView[] {
  const out: DelegationView[] = [];
  for (const id of ledger.byPatient.get(who) ?? []) {
    const d = ledger.delegations.get(id);
    if (!d || d[side] !== who) continue;
    const other = side === 'patient' ? d.caregiver : d.patient;
    out.push({ delegation: d, ...delegationStatus(d, now), shortId: shortId(hexToBytes(other)) });
  }
  return out.sort((a, b) => b.delegation.time - a.delegation.time || (a.delegation.id < b.delegation.id ? -1 : 1));
}

/** Every delegation the patient gave, live or not, newest first. */
export const myDelegations = (ledger: LedgerView, patient: string, now: number): DelegationView[] => delegationsOf(ledger, patient, 'patient', now);

/** Every delegation to the caregiver, live or not, newest first. */
export const delegationsToMe = (ledger: LedgerView, caregiver: string, now: number): DelegationView[] => delegationsOf(ledger, caregiver, 'caregiver', now);

/**
 * The next moment (seconds) one of `views` stops being live, or null when
 * none is live. An expiry passes with no new block, so the screens listing
 * delegations wake then (clinician/wake.ts) and look again; without it they
 * would keep showing an ended delegation, and its records, as live.
 */
export function nextDelegationEnd(views: readonly DelegationView[]): number | null {
  const ends = views.filter((v) => v.status === 'live').map((v) => v.delegation.expiry);
  return ends.length > 0 ? Math.min(...ends) : null;
}

/** What the delegation form holds. */
export interface DelegationFormValues {
  /** The caregiver's short id as typed. */
  readonly caregiver: string;
  /** Category bits; {@link SCOPE_ALL} for every kind. */
  readonly scope: number;
  /** First and last record date (YYYY-MM-DD); empty for no bound. */
  readonly fromDate: string;
  readonly toDate: string;
  /** For how many days. */
  readonly days: number;
}

/** A delegation ready to sign. */
export interface DelegationChoice {
  /** The caregiver's patient id (hex). */
  readonly caregiver: string;
  readonly scope: number;
  readonly from: Day;
  readonly to: Day;
  /** Seconds since 1970. */
  readonly expiry: number;
}

/** Why the caregiver typed cannot be one: a mistyped or unknown short id, or the patient's own. */
export type CaregiverProblem = FindProblem | 'CAREGIVER_SELF';

/** A problem with the caregiver field (worded by the screen next to that field). */
export interface CaregiverFailure {
  readonly ok: false;
  readonly field: 'caregiver';
  readonly code: CaregiverProblem;
}

/** Either kind of failure a delegation can meet: the caregiver field, or a refused action. */
export type DelegationFailure = CaregiverFailure | ActionFailure;

/** Whether a failure is about the caregiver field. */
export const isCaregiverFailure = (f: DelegationFailure): f is CaregiverFailure => 'field' in f;

const whole = (n: number, least: number) => Number.isInteger(n) && n >= least;

/**
 * The delegation the form describes at `now` for patient `me`, or why it
 * cannot be given: the caregiver field's problem, or BAD_SCOPE, BAD_RANGE
 * (a date that is not one, or an end before the start), BAD_EXPIRY (not a
 * whole number of days) — checked before anything is signed.
 */
export function delegationChoice(ledger: LedgerView, v: DelegationFormValues, me: string, now: number): DelegationChoice | DelegationFailure {
  const found = findPatient(ledger, v.caregiver);
  if (!found.ok) return { ok: false, field: 'caregiver', code: found.code };
  if (found.patient.id === me) return { ok: false, field: 'caregiver', code: 'CAREGIVER_SELF' };
  if ((v.scope & SCOPE_ALL) === 0) return refusal('BAD_SCOPE');
  const from = v.fromDate.trim() === '' ? 0 : parseRecordDay(v.fromDate.trim());
  const to = v.toDate.trim() === '' ? OPEN_END : parseRecordDay(v.toDate.trim());
  if (from === null || to === null || from > to) return refusal('BAD_RANGE');
  if (!whole(v.days, 1)) return refusal('BAD_EXPIRY');
  return { caregiver: found.patient.id, scope: v.scope & SCOPE_ALL, from, to, expiry: now + v.days * DAY_SECONDS };
}

/**
 * Delegates as the form describes. Waits while a record of the patient's is
 * pending: a delegation changes which keys a new record is sealed to (and a
 * pending delegation makes uploads wait, pool.ts CONSENT_KINDS).
 */
export function delegate(ctx: PatientContext, v: DelegationFormValues): Promise<ActionResult | DelegationFailure> {
  const ledger = ctx.node.ledger();
  if (!ledger) return Promise.resolve(refusal('NOT_READY'));
  const c = delegationChoice(ledger, v, ctx.me.patientId, ctx.node.now());
  if ('ok' in c) return Promise.resolve(c);
  if (hasPending(ctx, RECORD_KINDS)) return Promise.resolve(refusal('WAIT_FOR_RECORD'));
  return submitPayload(ctx, ctx.me.signer, {
    kind: TxKind.DelegateAccess,
    caregiver: hexToBytes(c.caregiver),
    scope: c.scope,
    from: c.from,
    to: c.to,
    expiry: c.expiry,
  });
}

/** One patient who delegated to the caregiver, as the caregiver sees them. */
export interface SharedPatient {
  readonly patient: string;
  readonly shortId: string;
  /** Their delegations to me, newest first. */
  readonly delegations: readonly DelegationView[];
  /** Records a live delegation covers and my key opens, newest first (a null body: not on this device yet). */
  readonly records: readonly TimelineEntry[];
  /** Records a live delegation covers that the patient's device has not shared with my key yet. */
  readonly waiting: number;
}

/**
 * Everyone who delegated to the signed-in patient, newest delegation first,
 * with the records shown under the terms in force now, opened with the
 * caregiver's own box key.
 */
export async function sharedWithMe(ctx: PatientContext): Promise<SharedPatient[]> {
  const ledger = ctx.node.ledger();
  if (!ledger) return [];
  const now = ctx.node.now();
  const me = ctx.me.patientId;
  const myKey = readerHex(ctx.me.box);
  const byPatient = new Map<string, DelegationView[]>();
  for (const v of delegationsToMe(ledger, me, now)) byPatient.set(v.delegation.patient, [...(byPatient.get(v.delegation.patient) ?? []), v]);
  const out: SharedPatient[] = [];
  for (const [patient, delegations] of byPatient) {
    const covered = (id: string) => {
      const r = ledger.records.get(id);
      return !!r && ledger.liveDelegations(patient, now, r.category, r.day).some((d) => d.caregiver === me);
    };
    const entries = delegations.some((d) => d.status === 'live') ? (await readTimeline(ctx.node, patient, ctx.me.box)).filter((e) => covered(e.id)) : [];
    const mine = entries.filter((e) => ledger.records.get(e.id)!.readers.includes(myKey));
    out.push({ patient, shortId: delegations[0]!.shortId, delegations, records: mine, waiting: entries.length - mine.length });
  }
  return out;
}
