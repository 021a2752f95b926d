/**
 * The explorer's flag on emergency accesses left unreviewed past
 * REVIEW_HOURS (SPEC §4, issue 15): what anyone reading the public chain can
 * check, and nothing more — the access's pseudonymous short id, the hospital
 * whose authority owes the review and since when. No patient and no health
 * data.
 */
import { hexToBytes } from '../../core/bytes';
import { shortId } from '../../core/ids';
import type { LedgerView } from '../../core/ledger';
import { overdueAccesses, reviewDue } from '../emergency/overdue';

export interface UnreviewedRow {
  /** Short id of the access transaction. */
  readonly access: string;
  readonly hospital: string;
  /** When the review fell due (seconds). */
  readonly due: number;
}

/** Accesses overdue for review at `now`, oldest first. */
export function unreviewedRows(ledger: LedgerView, now: number): UnreviewedRow[] {
  return overdueAccesses(ledger, now).map((e) => ({
    access: shortId(hexToBytes(e.id)),
    hospital: ledger.hospitals.get(e.hospital)?.name ?? shortId(hexToBytes(e.hospital)),
    due: reviewDue(e),
  }));
}
