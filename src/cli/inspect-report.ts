/**
 * What `medchain inspect` reports about a checked chain (issue 15): its
 * blocks, its transactions by kind, its hospitals and their staff, and each
 * pseudonymous patient's consent history (requests and referrals with their
 * state, grants with their terms, revocations and refusals), as of the
 * tip's time. Only what the chain shows every node: no Aadhaar number (the
 * chain never holds one), no record content (it is encrypted, and is not
 * read), not even a record's category or date. The object is the `--json`
 * output, so its shape is stable: keys in a fixed order, every known
 * transaction kind counted (zero included), lists sorted.
 */
import { PURPOSE_CODE, type PurposeCode } from '../lib/core/abdm-codes';
import { type RecoveryReport, recoveryReport } from './inspect-recovery';
import { hexToBytes, toHex } from '../lib/core/bytes';
import type { ChainState } from '../lib/core/chain';
import { type AskStatus, type AskView, asksOf } from '../lib/core/consent-status';
import { shortId } from '../lib/core/ids';
import { isoDay, isoTime } from '../lib/core/iso-time';
import type { GrantState, GuardianshipState, LedgerView } from '../lib/core/ledger';
import {
  AccessMode,
  CATEGORY_COUNT,
  Category,
  type Day,
  dayOf,
  EmergencyReason,
  Purpose,
  REVIEW_HOURS,
  ReviewOutcome,
  SCOPE_ALL,
  StaffRole,
} from '../lib/core/payload-fields';
import { TxKind } from '../lib/core/tx';

export type KindName = keyof typeof TxKind;

export interface InspectReport {
  readonly network: string;
  readonly genesis: string;
  readonly height: number;
  readonly blocks: number;
  readonly tip: { readonly hash: string; readonly time: string | null };
  readonly transactions: { readonly total: number; readonly byKind: Record<KindName, number> };
  readonly hospitals: readonly HospitalReport[];
  readonly patients: readonly PatientReport[];
}

export interface HospitalReport {
  /** The authority's signing key (hex): the hospital's id on the chain. */
  readonly id: string;
  readonly name: string;
  readonly admitted: boolean;
  readonly approvals: number;
  readonly staff: readonly { readonly id: string; readonly name: string; readonly role: string; readonly active: boolean }[];
}

/** What a request asked or a grant gives. */
export interface Terms {
  /** Category names, or "all". */
  readonly categories: readonly string[] | 'all';
  readonly purpose: { readonly name: string; readonly abdm: PurposeCode | null };
  /** The clinical dates of the records covered (YYYY-MM-DD); `to` null: every later record. */
  readonly records: { readonly from: string | null; readonly to: string | null };
  readonly expiry: string | null;
  readonly mode: 'view' | 'download';
}

export interface AskReport {
  readonly id: string;
  readonly kind: 'request' | 'referral';
  /** The hospital that would gain access, and (for a referral) the one that referred. */
  readonly hospital: HospitalRef;
  readonly referredBy: HospitalRef | null;
  readonly status: AskStatus;
  readonly since: string | null;
  readonly asked: string | null;
  /** A request's terms and answer-by time (a referral asks for nothing in particular). */
  readonly terms: Terms | null;
  readonly answerBy: string | null;
  readonly answer: { readonly kind: 'grant' | 'refusal'; readonly id: string; readonly time: string | null } | null;
}

export interface GrantReport extends Terms {
  readonly id: string;
  readonly hospital: HospitalRef;
  readonly given: string | null;
  readonly status: 'active' | 'expired' | 'revoked';
  readonly revokedAt: string | null;
  readonly eraseBy: string | null;
  /** The request or referral it answers. */
  readonly regarding: string | null;
}

export interface PatientReport {
  /** The short pseudonymous id a patient reads out at reception. */
  readonly id: string;
  readonly asks: readonly AskReport[];
  readonly grants: readonly GrantReport[];
  readonly revocations: number;
  readonly refusals: number;
  /** Emergency access as the patient set it (null: never set). */
  readonly emergencySetting: {
    readonly allowed: boolean;
    readonly categories: readonly string[] | 'all';
    readonly threshold: number;
    readonly holders: number;
    readonly since: string | null;
  } | null;
  /** Every emergency access, with the shares released and the review. */
  readonly emergencies: readonly EmergencyReport[];
  /** Delegations to caregivers (by the caregiver's short id), with their terms and state. */
  readonly delegations: readonly DelegationReport[];
  /** Guardianships attested for this patient as the minor, or naming them as guardian. */
  readonly guardianships: readonly GuardianshipReport[];
  /** Recovery through people: the setting and the asks (inspect-recovery.ts). */
  readonly recovery: RecoveryReport;
}

export interface GuardianshipReport {
  readonly id: string;
  /** Whether this patient is the minor or the guardian in it. */
  readonly role: 'minor' | 'guardian';
  /** The other person's short id. */
  readonly other: string;
  readonly hospital: HospitalRef;
  readonly attested: string | null;
  /** The first day the minor is an adult. */
  readonly until: string | null;
  readonly status: 'minor' | 'awaiting handover' | 'handed over';
  readonly handedOver: string | null;
}

export interface DelegationReport {
  readonly id: string;
  readonly caregiver: string;
  readonly categories: readonly string[] | 'all';
  readonly records: { readonly from: string | null; readonly to: string | null };
  readonly expiry: string | null;
  readonly given: string | null;
  readonly status: 'active' | 'expired' | 'revoked';
  readonly revokedAt: string | null;
}

export interface EmergencyReport {
  readonly id: string;
  readonly hospital: HospitalRef;
  readonly clinician: string;
  readonly reason: string;
  readonly opened: string | null;
  /** Shares released so far, of the threshold needed. */
  readonly released: number;
  readonly threshold: number;
  readonly review: { readonly outcome: string; readonly time: string | null; readonly late: boolean } | null;
  /** No review and more than REVIEW_HOURS since it was opened, at the tip's time. */
  readonly overdue: boolean;
}

export interface HospitalRef {
  readonly id: string;
  readonly name: string | null;
}

/** The name of a value in one of the core's enumerations. */
const nameIn = <T extends Record<string, number>>(e: T, v: number): string => Object.keys(e).find((k) => e[k] === v) ?? `unknown ${v}`;

function categories(scope: number): readonly string[] | 'all' {
  if ((scope & SCOPE_ALL) === SCOPE_ALL) return 'all';
  const out: string[] = [];
  for (let c = 0; c < CATEGORY_COUNT; c++) if (scope & (1 << c)) out.push(nameIn(Category, c));
  return out;
}

function terms(t: { scope: number; purpose: Purpose; from: Day; to: Day; expiry: number; mode: AccessMode }): Terms {
  return {
    categories: categories(t.scope),
    purpose: { name: nameIn(Purpose, t.purpose), abdm: PURPOSE_CODE[t.purpose]?.code ?? null },
    records: { from: isoDay(t.from), to: isoDay(t.to) },
    expiry: isoTime(t.expiry),
    mode: t.mode === AccessMode.Download ? 'download' : 'view',
  };
}

function hospitalRef(ledger: LedgerView, id: string): HospitalRef {
  return { id, name: ledger.hospitals.get(id)?.name ?? null };
}

function askReport(ledger: LedgerView, a: AskView): AskReport {
  const r = a.request;
  return {
    id: a.id,
    kind: r ? 'request' : 'referral',
    hospital: hospitalRef(ledger, a.hospital),
    referredBy: a.referral ? hospitalRef(ledger, a.referral.from) : null,
    status: a.status,
    since: isoTime(a.since),
    asked: isoTime(a.asked),
    terms: r ? terms(r) : null,
    answerBy: r ? isoTime(r.answerBy) : null,
    answer: a.answer ? { kind: a.answer.kind, id: a.answer.id, time: isoTime(a.answer.time) } : null,
  };
}

function grantReport(ledger: LedgerView, g: GrantState, now: number): GrantReport {
  return {
    id: g.id,
    hospital: hospitalRef(ledger, g.hospital),
    given: isoTime(g.time),
    status: g.revoked ? 'revoked' : g.expiry > now ? 'active' : 'expired',
    revokedAt: g.revokedAt === null ? null : isoTime(g.revokedAt),
    ...terms(g),
    eraseBy: isoTime(g.eraseBy),
    regarding: g.regarding,
  };
}

function patientReport(ledger: LedgerView, patient: string, now: number): PatientReport {
  const asks = asksOf(ledger, patient, now).map((a) => askReport(ledger, a));
  const grants: GrantReport[] = [];
  for (const id of ledger.byPatient.get(patient) ?? []) {
    const g = ledger.grants.get(id);
    if (g) grants.push(grantReport(ledger, g, now));
  }
  const s = ledger.emergencySettings.get(patient);
  const emergencySetting = s
    ? { allowed: s.allowed, categories: s.allowed ? categories(s.scope) : [], threshold: s.threshold, holders: s.holders.length, since: isoTime(s.time) }
    : null;
  const emergencies: EmergencyReport[] = [];
  for (const id of ledger.byPatient.get(patient) ?? []) {
    const e = ledger.emergencies.get(id);
    if (!e) continue;
    const due = e.time + REVIEW_HOURS * 3600;
    const review = e.review ? { outcome: nameIn(ReviewOutcome, e.review.outcome), time: isoTime(e.review.time), late: e.review.time > due } : null;
    emergencies.push({
      id: e.id,
      hospital: hospitalRef(ledger, e.hospital),
      clinician: e.clinician,
      reason: nameIn(EmergencyReason, e.reason),
      opened: isoTime(e.time),
      released: e.releases.length,
      threshold: ledger.emergencySettings.get(patient)?.id === e.setting ? ledger.emergencySettings.get(patient)!.threshold : 0,
      review,
      overdue: !e.review && now > due,
    });
  }
  const delegations: DelegationReport[] = [];
  for (const id of ledger.byPatient.get(patient) ?? []) {
    const d = ledger.delegations.get(id);
    if (!d || d.patient !== patient) continue;
    delegations.push({
      id: d.id,
      caregiver: shortId(hexToBytes(d.caregiver)),
      categories: categories(d.scope),
      records: { from: isoDay(d.from), to: isoDay(d.to) },
      expiry: isoTime(d.expiry),
      given: isoTime(d.time),
      status: d.revoked ? 'revoked' : d.expiry > now ? 'active' : 'expired',
      revokedAt: d.revokedAt === null ? null : isoTime(d.revokedAt),
    });
  }
  const guardianships: GuardianshipReport[] = [];
  for (const id of ledger.byPatient.get(patient) ?? []) {
    const x = guardianshipsById(ledger).get(id);
    if (x && (x.minor === patient || x.guardian === patient)) {
      const role = x.minor === patient ? 'minor' : 'guardian';
      guardianships.push({
        id: x.id,
        role,
        other: shortId(hexToBytes(role === 'minor' ? x.guardian : x.minor)),
        hospital: hospitalRef(ledger, x.hospital),
        attested: isoTime(x.time),
        until: isoDay(x.until),
        status: x.handedOver ? 'handed over' : dayOf(now) >= x.until ? 'awaiting handover' : 'minor',
        handedOver: x.handedOver ? isoTime(x.handedOver.time) : null,
      });
    }
  }
  return {
    id: shortId(hexToBytes(patient)),
    asks,
    grants,
    revocations: grants.filter((g) => g.status === 'revoked').length,
    refusals: asks.filter((a) => a.status === 'refused').length,
    emergencySetting,
    emergencies,
    delegations,
    guardianships,
    recovery: recoveryReport(ledger, patient, now),
  };
}

const byTx = new WeakMap<LedgerView, Map<string, GuardianshipState>>();
/** Guardianships by the transaction that attested them (the ledger keys them by minor), built once per ledger. */
function guardianshipsById(ledger: LedgerView): Map<string, GuardianshipState> {
  let m = byTx.get(ledger);
  if (!m) byTx.set(ledger, (m = new Map([...ledger.guardianships.values()].map((g) => [g.id, g]))));
  return m;
}

const byText =
  <T>(key: (x: T) => string) =>
  (a: T, b: T) =>
    key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0;

/** The report of a chain that passed every check; consent states as of the tip's time. */
export function inspectChain(chain: ChainState): InspectReport {
  const ledger = chain.ledger;
  if (!ledger) throw new Error('the chain was checked without the ledger');
  const now = chain.tip.header.time;
  const byKind = Object.fromEntries(Object.keys(TxKind).map((k) => [k, 0])) as Record<KindName, number>;
  let total = 0;
  for (const node of chain.activeBlocks()) {
    for (const tx of node.block.txs) {
      byKind[nameIn(TxKind, tx.kind) as KindName]++;
      total++;
    }
  }
  const staff = [...ledger.staff.values()];
  const hospitals = [...ledger.hospitals.values()]
    .map((h) => ({
      id: h.id,
      name: h.name,
      admitted: h.member,
      approvals: h.approvals.length,
      staff: staff
        .filter((s) => s.hospital === h.id)
        .map((s) => ({ id: s.id, name: s.name, role: nameIn(StaffRole, s.role), active: s.active }))
        .sort(byText((s) => s.name + s.id)),
    }))
    .sort(byText((h) => h.name + h.id));
  const patients = [...ledger.patients.values()].map((p) => patientReport(ledger, p.id, now)).sort(byText((p) => p.id));
  return {
    network: chain.params.id,
    genesis: chain.genesis.key,
    height: chain.height,
    blocks: chain.height + 1,
    tip: { hash: toHex(chain.tip.hash), time: isoTime(now) },
    transactions: { total, byKind },
    hospitals,
    patients,
  };
}
