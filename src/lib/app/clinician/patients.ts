/**
 * Finding a patient and asking for access (SPEC §2, §4): a hospital finds a
 * patient by the short id they read out (never by Aadhaar), checked by its
 * check symbol, then requests access with a scope and a purpose; the list of
 * patients in care shows, for each patient the hospital has dealt with, the
 * consent in force and when it ends.
 */
import { hexToBytes } from '../../core/bytes';
import { type GrantState, type LedgerView, type PatientState } from '../../core/ledger';
import { type ShortIdProblem, longId, parseShortId, shortId } from '../../core/ids';
import { SCOPE_ALL, type Purpose } from '../../core/payloads';
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

/** A staff member or the authority asks the patient for access on behalf of `hospital`. */
export function requestAccess(ctx: ClinicianContext, actor: Signer, hospital: string, patient: string, scope: number, purpose: Purpose): Promise<ActionResult> {
  if ((scope & SCOPE_ALL) === 0) return Promise.resolve({ ok: false, code: 'BAD_SCOPE' });
  return submitPayload(ctx, actor, { kind: TxKind.RequestAccess, patientId: hexToBytes(patient), hospital: hexToBytes(hospital), scope, purpose });
}

export type ConsentStatus = 'granted' | 'requested' | 'expired' | 'revoked' | 'referred';

export interface PatientInCare {
  readonly patient: string;
  readonly shortId: string;
  readonly status: ConsentStatus;
  /** The live grant with the latest expiry, if any. */
  readonly grant: GrantState | null;
  /** Expiry (seconds) of that grant, or of the last grant when none is live. */
  readonly expiry: number | null;
}

/**
 * Patients the hospital asked, was granted, referred or was referred: each
 * with its consent status at `now` and the expiry that matters.
 */
export function patientsInCare(ledger: LedgerView, hospital: string, now: number): PatientInCare[] {
  const touched = new Map<string, { requested: boolean; referred: boolean; grants: GrantState[] }>();
  const entry = (p: string) => touched.get(p) ?? touched.set(p, { requested: false, referred: false, grants: [] }).get(p)!;
  for (const r of ledger.requests.values()) if (r.hospital === hospital) entry(r.patient).requested = true;
  for (const r of ledger.referrals.values()) if (r.from === hospital || r.to === hospital) entry(r.patient).referred = true;
  for (const g of ledger.grants.values()) if (g.hospital === hospital) entry(g.patient).grants.push(g);
  const out: PatientInCare[] = [];
  for (const [patient, t] of touched) {
    const live = t.grants.filter((g) => ledger.grantCovers(g, now)).sort((a, b) => b.expiry - a.expiry);
    const last = [...t.grants].sort((a, b) => b.time - a.time)[0] ?? null;
    let status: ConsentStatus;
    if (live.length > 0) status = 'granted';
    else if (last?.revoked) status = 'revoked';
    else if (last) status = 'expired';
    else status = t.referred ? 'referred' : 'requested';
    out.push({ patient, shortId: shortId(hexToBytes(patient)), status, grant: live[0] ?? null, expiry: live[0]?.expiry ?? last?.expiry ?? null });
  }
  return out.sort((a, b) => a.shortId.localeCompare(b.shortId));
}
