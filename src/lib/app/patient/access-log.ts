/**
 * The patient's access log (SPEC §4, §7): every grant (with its terms),
 * revocation, refusal, referral, request and record about them on the active
 * chain, with who did it and when, newest first — and each request that went
 * unanswered past its answer-by time, as an event at that time. Emergency
 * access is in it too (emergency-log.ts): the patient's settings, each
 * access with its reason, shares released and review (flagged when the
 * review is overdue) — and, for a nominee, the accesses to the records of
 * the patients who named them. Read from the chain (a revocation's or
 * refusal's time is its transaction's), so every device shows the same log:
 * from the view's per-patient index, never a walk over every block.
 */
import { hexToBytes, toHex } from '../../core/bytes';
import { shortId } from '../../core/ids';
import type { LedgerView } from '../../core/ledger';
import type { Category, Day } from '../../core/payloads';
import { type Tx, TxKind } from '../../core/tx';
import { payloadOf } from '../../core/ledger-rules';
import type { ChainView } from '../chain-view';
import { type ConsentTerms, termsOf } from './consent';
import { type EmergencyView, type SettingView, emergencyView, nomineeItems, settingOf } from './emergency-log';

export interface LogEntry {
  readonly id: string;
  readonly kind:
    | 'grant'
    | 'revocation'
    | 'refusal'
    | 'referral'
    | 'request'
    | 'request-expired'
    | 'record'
    | 'emergency-setting'
    | 'emergency'
    | 'nominated'
    | 'delegation'
    | 'delegation-ended'
    | 'delegated-to-me';
  /** Seconds since 1970. */
  readonly time: number;
  /** Who acted: a hospital (and staff member), or another patient's short id (`nominated`); null for the patient. */
  readonly by: string | null;
  /** The other side: the hospital given, refused or asking access, or referred to. */
  readonly hospital: string | null;
  readonly category?: Category;
  /** What a grant gave or a request asked. */
  readonly terms?: ConsentTerms;
  /** A refusal's or expiry's subject: a referral rather than a request. */
  readonly referral?: boolean;
  /** An emergency-access setting: the patient's own, or (`nominated`) another patient's naming this one. */
  readonly setting?: SettingView;
  /** An emergency access: the patient's own records, or a patient's who named this one nominee. */
  readonly emergency?: EmergencyView;
  /** A delegation's other patient (short id): the caregiver, or (`delegated-to-me`) the patient who delegated. */
  readonly caregiver?: string;
  /** What a delegation lets the caregiver read, and until when. */
  readonly shared?: { readonly scope: number; readonly from: Day; readonly to: Day; readonly expiry: number };
}

const LOGGED: ReadonlySet<TxKind> = new Set([
  TxKind.GrantConsent,
  TxKind.RevokeConsent,
  TxKind.RefuseRequest,
  TxKind.Referral,
  TxKind.RequestAccess,
  TxKind.AddRecord,
  TxKind.SetEmergencyAccess,
  TxKind.EmergencyAccess,
  TxKind.DelegateAccess,
]);

/**
 * The log at `now`, newest first: chain order reversed (so entries of one
 * block keep their order), with each request unanswered past its answer-by
 * time placed by that time, and a nominee's entries about other patients
 * placed by theirs.
 */
export function accessLog(chain: ChainView, ledger: LedgerView, patient: string, now: number): LogEntry[] {
  const name = (h: string) => ledger.hospitals.get(h)?.name ?? 'Unknown hospital';
  const actor = (author: string, hospital: string) => {
    const s = ledger.staff.get(author);
    return s ? `${s.name}, ${name(hospital)}` : name(hospital);
  };
  const out: LogEntry[] = [];
  const events: LogEntry[] = [];
  /** The threshold of each setting seen so far (an access needs its own setting's, which a later one replaced). */
  const thresholds = new Map<string, number>();
  for (const t of chain.ofPatient(patient)) {
    const { tx, id } = t;
    if (!LOGGED.has(tx.kind)) continue;
    const time = tx.time;
    const s = settingOf(ledger, t);
    if (s?.patient === patient) {
      thresholds.set(id, s.threshold);
      out.push({ id, kind: 'emergency-setting', time, by: null, hospital: null, setting: s });
    }
    const e = ledger.emergencies.get(id);
    if (e?.patient === patient) {
      const threshold = thresholds.get(e.setting) ?? ledger.emergencySettings.get(patient)?.threshold ?? 0;
      out.push({
        id,
        kind: 'emergency',
        time,
        by: actor(e.clinician, e.hospital),
        hospital: name(e.hospital),
        emergency: emergencyView(e, threshold, now, null),
      });
    }
    const g = ledger.grants.get(id);
    if (g?.patient === patient) out.push({ id, kind: 'grant', time, by: null, hospital: name(g.hospital), terms: termsOf(g) });
    const d = ledger.delegations.get(id);
    // A delegation is in the index of both: the patient who gave it and the caregiver.
    const shared = d && { scope: d.scope, from: d.from, to: d.to, expiry: d.expiry };
    if (d?.patient === patient) out.push({ id, kind: 'delegation', time, by: null, hospital: null, caregiver: shortId(hexToBytes(d.caregiver)), shared });
    else if (d?.caregiver === patient)
      out.push({ id, kind: 'delegated-to-me', time, by: shortId(hexToBytes(d.patient)), hospital: null, caregiver: shortId(hexToBytes(d.patient)), shared });
    const r = ledger.records.get(id);
    if (r?.patient === patient)
      out.push({
        id,
        kind: 'record',
        time,
        by: r.hospital ? actor(r.author, r.hospital) : null,
        hospital: r.hospital ? name(r.hospital) : null,
        category: r.category,
      });
    const f = ledger.referrals.get(id);
    if (f?.patient === patient) out.push({ id, kind: 'referral', time, by: name(f.from), hospital: name(f.to) });
    const q = ledger.requests.get(id);
    if (q?.patient === patient) {
      out.push({ id, kind: 'request', time, by: name(q.hospital), hospital: name(q.hospital), terms: termsOf(q) });
      if (q.answerBy <= now && !ledger.answers.has(id))
        events.push({ id, kind: 'request-expired', time: q.answerBy, by: name(q.hospital), hospital: name(q.hospital) });
    }
    if (tx.kind === TxKind.RevokeConsent || tx.kind === TxKind.RefuseRequest) out.push(...answerEntry(ledger, patient, id, tx, name));
  }
  const nominee = nomineeItems(chain, ledger, patient, now);
  for (const n of nominee.named) events.push({ id: n.id, kind: 'nominated', time: n.time, by: shortId(hexToBytes(n.patient)), hospital: null, setting: n });
  for (const { id, access: e, view } of nominee.accesses)
    events.push({ id, kind: 'emergency', time: e.time, by: actor(e.clinician, e.hospital), hospital: name(e.hospital), emergency: view });
  return merge(out.reverse(), events);
}

/** A revocation's or refusal's entry (the grant or ask it ends, found from its payload). */
function answerEntry(ledger: LedgerView, patient: string, id: string, tx: Tx, name: (h: string) => string): LogEntry[] {
  const p = payloadOf(tx);
  if (p.kind === TxKind.RevokeConsent) {
    const revoked = ledger.grants.get(toHex(p.grant));
    if (revoked?.patient === patient) return [{ id, kind: 'revocation', time: tx.time, by: null, hospital: name(revoked.hospital) }];
    const ended = ledger.delegations.get(toHex(p.grant));
    return ended?.patient === patient
      ? [{ id, kind: 'delegation-ended', time: tx.time, by: null, hospital: null, caregiver: shortId(hexToBytes(ended.caregiver)) }]
      : [];
  }
  if (p.kind !== TxKind.RefuseRequest) return [];
  const regarding = toHex(p.regarding);
  const request = ledger.requests.get(regarding);
  const referral = ledger.referrals.get(regarding);
  const hospital = request?.hospital ?? referral?.to;
  if ((request ?? referral)?.patient !== patient || hospital === undefined) return [];
  return [{ id, kind: 'refusal', time: tx.time, by: null, hospital: name(hospital), referral: !request }];
}

/** Places each event (newest first: expiries, and a nominee's entries from other patients' chains) before the first entry of `log` older than it, leaving the log's own order alone. */
function merge(log: LogEntry[], events: LogEntry[]): LogEntry[] {
  const out: LogEntry[] = [];
  const rest = [...events].sort((a, b) => b.time - a.time);
  for (const e of log) {
    while (rest.length > 0 && rest[0]!.time > e.time) out.push(rest.shift()!);
    out.push(e);
  }
  return [...out, ...rest];
}
