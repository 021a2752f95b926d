/**
 * Emergency accesses as the access log shows them (SPEC §4, issue 15): who
 * broke the glass and why, how many of the holders have released their
 * shares of the quorum needed, the hospital's review and when — and whether
 * the review is overdue (none REVIEW_HOURS after the access, emergency/overdue.ts). A
 * nominee sees the accesses to the records of each patient who named them,
 * under the setting that named them (a patient who names someone else later
 * does not show the new nominee earlier accesses, nor the old one later
 * ones). Read from the chain's per-patient index: a setting that names a
 * nominee is filed under the nominee too (kinds/set-emergency-access.ts).
 */
import { bytesEqual, toHex } from '../../core/bytes';
import type { EmergencyState, LedgerView } from '../../core/ledger';
import { payloadOf } from '../../core/ledger-rules';
import type { EmergencyReason, ReviewOutcome } from '../../core/payloads';
import type { IndexedTx } from '../../core/active-tx-index';
import { TxKind } from '../../core/tx';
import type { ChainView } from '../chain-view';
import { REVIEW_SECONDS, isOverdue, reviewDue } from '../emergency/overdue';

/** One emergency access, for the log. */
export interface EmergencyView {
  readonly reason: EmergencyReason;
  /** Shares released so far, of {@link threshold} needed to open the records. */
  readonly released: number;
  readonly threshold: number;
  readonly review: { readonly outcome: ReviewOutcome; readonly time: number } | null;
  /** When the hospital's review is due (REVIEW_HOURS after the access). */
  readonly due: number;
  /** Not reviewed, and past {@link due}: flagged. */
  readonly overdue: boolean;
  /** Reviewed, but after {@link due}. */
  readonly reviewedLate: boolean;
  /** Whose records: null for the patient's own; the patient id (hex) of a patient who named this one nominee. */
  readonly whose: string | null;
}

/** A SetEmergencyAccess read back for the log: what it opened, how many must release, and whom it named. */
export interface SettingView {
  readonly id: string;
  readonly patient: string;
  readonly allowed: boolean;
  readonly scope: number;
  readonly threshold: number;
  readonly holders: number;
  readonly nominee: string | null;
  readonly time: number;
}

/** An access as the log shows it at `now`, under a setting that needed `threshold` shares. */
export function emergencyView(e: EmergencyState, threshold: number, now: number, whose: string | null): EmergencyView {
  const review = e.review ? { outcome: e.review.outcome, time: e.review.time } : null;
  return {
    reason: e.reason,
    released: e.releases.length,
    threshold,
    review,
    due: reviewDue(e),
    overdue: isOverdue(e, now),
    reviewedLate: review !== null && review.time - e.time > REVIEW_SECONDS,
    whose,
  };
}

/** A SetEmergencyAccess transaction of the chain, read back (null for another kind, or one whose author is no patient). */
export function settingOf(ledger: LedgerView, t: IndexedTx): SettingView | null {
  if (t.tx.kind !== TxKind.SetEmergencyAccess) return null;
  const p = payloadOf(t.tx);
  const role = ledger.keys.get(toHex(t.tx.author));
  if (p.kind !== TxKind.SetEmergencyAccess || role?.role !== 'patient') return null;
  return {
    id: t.id,
    patient: role.patient,
    allowed: p.allowed,
    scope: p.scope,
    threshold: p.threshold,
    holders: p.shares.length,
    nominee: bytesEqual(p.nominee, new Uint8Array(32)) ? null : toHex(p.nominee),
    time: t.tx.time,
  };
}

/** One emergency access to another patient's records that the nominee `me` is told of. */
export interface NomineeItem {
  readonly id: string;
  readonly access: EmergencyState;
  readonly view: EmergencyView;
}

/**
 * The settings by which other patients named `me` their nominee, and the
 * accesses opened under them, oldest first.
 */
export function nomineeItems(chain: ChainView, ledger: LedgerView, me: string, now: number): { named: SettingView[]; accesses: NomineeItem[] } {
  const named: SettingView[] = [];
  for (const t of chain.ofPatient(me)) {
    const s = settingOf(ledger, t);
    if (s && s.patient !== me && s.nominee === me) named.push(s);
  }
  const bySetting = new Map(named.map((s) => [s.id, s]));
  const accesses: NomineeItem[] = [];
  for (const patient of new Set(named.map((s) => s.patient))) {
    for (const t of chain.ofPatient(patient)) {
      if (t.tx.kind !== TxKind.EmergencyAccess) continue;
      const e = ledger.emergencies.get(t.id);
      const s = e ? bySetting.get(e.setting) : undefined;
      if (e && s) accesses.push({ id: t.id, access: e, view: emergencyView(e, s.threshold, now, patient) });
    }
  }
  return { named, accesses: accesses.sort((a, b) => a.access.height - b.access.height) };
}
