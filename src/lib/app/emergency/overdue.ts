/**
 * When an emergency access is overdue for review (SPEC §4): the accessing
 * hospital's authority must record a review within REVIEW_HOURS of the
 * access; past that, the authority's list, the explorer and the patient's
 * log flag it. Times are the chain's seconds.
 */
import type { EmergencyState, LedgerView } from '../../core/ledger';
import { REVIEW_HOURS } from '../../core/payloads';

/** Seconds an access may wait for its review. */
export const REVIEW_SECONDS = REVIEW_HOURS * 3600;

/** Whether `access` is still unreviewed more than REVIEW_HOURS after it was opened, at `now`. */
export function isOverdue(access: EmergencyState, now: number): boolean {
  return access.review === null && now - access.time > REVIEW_SECONDS;
}

/** The time by which `access` is due for review. */
export const reviewDue = (access: EmergencyState): number => access.time + REVIEW_SECONDS;

/** Every access on the ledger left unreviewed past its due time at `now`, oldest first. */
export function overdueAccesses(ledger: LedgerView, now: number): EmergencyState[] {
  return [...ledger.emergencies.values()].filter((e) => isOverdue(e, now)).sort((a, b) => a.time - b.time);
}
