/**
 * Finding a patient and asking for access (SPEC §2, §4): a hospital finds a
 * patient by the short id they read out (never by Aadhaar), checked by its
 * check symbol, then requests access with a scope, a purpose and terms
 * (record dates, length, view or download, time to answer); the list of
 * patients in care shows, for each patient the hospital has dealt with, the
 * consent in force and when it ends, or where its latest request stands.
 */
import { hexToBytes } from '../../core/bytes';
import { type AskView, asksBy } from '../../core/consent-status';
import { type GrantState, type LedgerView, type PatientState } from '../../core/ledger';
import { type ShortIdProblem, longId, parseShortId, shortId } from '../../core/ids';
import { AccessMode, type Day, OPEN_END, SCOPE_ALL, type Purpose } from '../../core/payloads';
import { TxKind } from '../../core/tx';
import { type ActionResult, type ClinicianContext, type Signer, submitPayload } from './sign';

/** Why a look-up found no one: a mistyped short id, a QR code of another network, no such patient (yet), or a short id two patients share. */
export type FindProblem = ShortIdProblem | 'OTHER_NETWORK' | 'NOT_FOUND' | 'SHARED_ID';

export type FindResult = { readonly ok: true; readonly patient: PatientState; readonly shortId: string } | { readonly ok: false; readonly code: FindProblem };

const QR_PREFIX = 'medchain:patient?';

/**
 * Reads a patient QR code's text (what a hand-held scanner types, or a
 * pasted code): the long id, when it is for `networkId`.
 */
function fromQrText(ledger: LedgerView, text: string, networkId: string): FindResult {
  const q = new URLSearchParams(text.slice(QR_PREFIX.length));
  if (q.get('network') !== networkId) return { ok: false, code: 'OTHER_NETWORK' };
  const long = q.get('id') ?? '';
  for (const p of ledger.patients.values()) if (longId(hexToBytes(p.id)) === long) return { ok: true, patient: p, shortId: shortId(hexToBytes(p.id)) };
  return { ok: false, code: 'NOT_FOUND' };
}

/** Looks a typed short id (or a patient QR code's text for `networkId`) up among registered patients. */
export function findPatient(ledger: LedgerView, typed: string, networkId?: string): FindResult {
  if (networkId !== undefined && typed.trim().startsWith(QR_PREFIX)) return fromQrText(ledger, typed.trim(), networkId);
  const parsed = parseShortId(typed);
  if (!parsed.ok) return parsed;
  const matches: PatientState[] = [];
  for (const p of ledger.patients.values()) if (shortId(hexToBytes(p.id)).replace(/-/g, '').startsWith(parsed.prefix)) matches.push(p);
  if (matches.length === 0) return { ok: false, code: 'NOT_FOUND' };
  if (matches.length > 1) return { ok: false, code: 'SHARED_ID' };
  return { ok: true, patient: matches[0]!, shortId: shortId(hexToBytes(matches[0]!.id)) };
}

/** The terms a request asks beside its scope and purpose; each has a default. */
export interface RequestTerms {
  /** First and last clinical day of the records asked for (default: every record). */
  readonly from?: Day;
  readonly to?: Day;
  /** The grant's expiry asked for, seconds (default: {@link ASK_GRANT_DAYS} from now). */
  readonly expiry?: number;
  /** View only, or download too (default). */
  readonly mode?: AccessMode;
  /** Unanswered by then, the request expires (default: {@link ANSWER_DAYS} from now). */
  readonly answerBy?: number;
}
/** Days of access a request asks for unless told otherwise. */
export const ASK_GRANT_DAYS = 30;
/** Days a request waits for the patient's answer unless told otherwise. */
export const ANSWER_DAYS = 7;

/** A staff member or the authority asks the patient for access on behalf of `hospital`. */
export function requestAccess(
  ctx: ClinicianContext,
  actor: Signer,
  hospital: string,
  patient: string,
  scope: number,
  purpose: Purpose,
  terms: RequestTerms = {},
): Promise<ActionResult> {
  const now = ctx.node.now();
  const from = terms.from ?? 0;
  const to = terms.to ?? OPEN_END;
  const expiry = terms.expiry ?? now + ASK_GRANT_DAYS * 86_400;
  const answerBy = terms.answerBy ?? now + ANSWER_DAYS * 86_400;
  if ((scope & SCOPE_ALL) === 0) return Promise.resolve({ ok: false, code: 'BAD_SCOPE' });
  if (from > to) return Promise.resolve({ ok: false, code: 'BAD_RANGE' });
  if (expiry <= now || answerBy <= now) return Promise.resolve({ ok: false, code: 'BAD_EXPIRY' });
  const mode = terms.mode ?? AccessMode.Download;
  return submitPayload(ctx, actor, {
    kind: TxKind.RequestAccess,
    patientId: hexToBytes(patient),
    hospital: hexToBytes(hospital),
    scope,
    purpose,
    from,
    to,
    expiry,
    mode,
    answerBy,
  });
}

/**
 * Where a patient's consent stands for the hospital: a live grant; the
 * latest ask still open ('requested', or 'referred' for a referral),
 * refused, or expired without an answer ('unanswered'); or the last grant
 * revoked or expired. The newer of the latest ask and the last grant decides.
 */
export type ConsentStatus = 'granted' | 'requested' | 'referred' | 'refused' | 'unanswered' | 'expired' | 'revoked';

export interface PatientInCare {
  readonly patient: string;
  readonly shortId: string;
  readonly status: ConsentStatus;
  /** The live grant with the latest expiry, if any. */
  readonly grant: GrantState | null;
  /** Expiry (seconds) of that grant, or of the last grant when none is live and no newer ask decides the status. */
  readonly expiry: number | null;
}

/** The status an ask newer than every grant gives: open, refused, or expired unanswered. */
function askedStatus(a: AskView): ConsentStatus {
  if (a.status === 'refused') return 'refused';
  if (a.status === 'expired') return 'unanswered';
  return a.request ? 'requested' : 'referred';
}

/**
 * Patients the hospital asked, was granted, referred or was referred: each
 * with its consent status at `now` and the expiry that matters.
 */
export function patientsInCare(ledger: LedgerView, hospital: string, now: number): PatientInCare[] {
  const touched = new Map<string, GrantState[]>();
  const entry = (p: string) => touched.get(p) ?? touched.set(p, []).get(p)!;
  for (const r of ledger.requests.values()) if (r.hospital === hospital) entry(r.patient);
  for (const r of ledger.referrals.values()) if (r.from === hospital || r.to === hospital) entry(r.patient);
  for (const g of ledger.grants.values()) if (g.hospital === hospital) entry(g.patient).push(g);
  const out: PatientInCare[] = [];
  for (const [patient, grants] of touched) {
    const live = grants.filter((g) => ledger.grantCovers(g, now)).sort((a, b) => b.expiry - a.expiry);
    const last = [...grants].sort((a, b) => b.time - a.time)[0] ?? null;
    // Asks are newest first; an answered ask is older than its grant, so a newer ask is one still to be (or never) granted.
    const ask = asksBy(ledger, hospital, now, patient)[0] ?? null;
    let status: ConsentStatus;
    let expiry = live[0]?.expiry ?? last?.expiry ?? null;
    if (live.length > 0) status = 'granted';
    else if (ask && (!last || ask.asked > last.time)) [status, expiry] = [askedStatus(ask), null];
    else if (last) status = last.revoked ? 'revoked' : 'expired';
    else status = 'referred';
    out.push({ patient, shortId: shortId(hexToBytes(patient)), status, grant: live[0] ?? null, expiry });
  }
  return out.sort((a, b) => a.shortId.localeCompare(b.shortId));
}
