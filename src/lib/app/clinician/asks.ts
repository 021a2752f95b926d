/**
 * A hospital's requests for consent, and the referrals to it, as its screen
 * shows them for one patient (SPEC §4: each request's state is seen by both
 * sides): the state and since when come from the ledger
 * (core/consent-status.ts), and an answered request shows the terms granted
 * beside the terms asked, each marked where the patient gave less — the
 * ledger lets a patient narrow a request, never widen it (BEYOND_REQUEST).
 */
import { type AskView, asksBy } from '../../core/consent-status';
import type { GrantState, LedgerView, RequestState } from '../../core/ledger';
import { narrowedTerms } from '../patient/consent';

/** Which terms of a request the grant answering it narrowed. */
export interface Narrowing {
  /** Fewer kinds of record. */
  readonly kinds: boolean;
  /** A later first or an earlier last record date. */
  readonly dates: boolean;
  /**
   * An earlier end of access, to the second: a grant that counts its days
   * from the moment of answering ends that much earlier than asked, and the
   * screen shows both times so the difference is seen, not guessed.
   */
  readonly expiry: boolean;
  /** View only where download was asked. */
  readonly mode: boolean;
}

/** How `granted` narrowed what `asked` asked for, by the same test the patient's screens use (patient/consent.ts). */
export function narrowing(asked: RequestState, granted: GrantState): Narrowing {
  const n = new Set(narrowedTerms(asked, granted));
  return { kinds: n.has('scope'), dates: n.has('from') || n.has('to'), expiry: n.has('expiry'), mode: n.has('mode') };
}

/** One ask as the hospital sees it: its state, who referred (for a referral), and what the answer narrowed. */
export interface HospitalAsk extends AskView {
  /** The referring hospital's name, for a referral. */
  readonly referredBy: string | null;
  /** For a request answered by a grant: the terms it narrowed. */
  readonly narrowed: Narrowing | null;
}

/** Every request of `hospital` to `patient` and every referral of the patient to it, newest first, at `now`. */
export function hospitalAsks(ledger: LedgerView, hospital: string, patient: string, now: number): HospitalAsk[] {
  return asksBy(ledger, hospital, now, patient).map((a) => ({
    ...a,
    referredBy: a.referral ? (ledger.hospitals.get(a.referral.from)?.name ?? null) : null,
    narrowed: a.request && a.grant ? narrowing(a.request, a.grant) : null,
  }));
}
