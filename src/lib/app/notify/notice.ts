/**
 * What an inbox holds (issue 15): things that happened on the chain that a
 * person should hear about, derived afresh from the ledger on every change
 * (patient-notices.ts, hospital-notices.ts) rather than stored, so every
 * device of the person sees the same inbox. A notice carries codes and
 * parameters only; its words are the catalogue's (`notify` area, words.ts),
 * so a language switch rewords the inbox and the logic builds no sentences.
 */
import type { Category } from '../../core/payloads';

/** How far back an inbox reaches: older events stay in the access log, not in the inbox. */
export const INBOX_DAYS = 90;
/** A request is "about to expire" once its answer-by time is this close. */
export const REQUEST_WARN_HOURS = 24;
/** A grant is "about to expire" once its expiry is this close. */
export const GRANT_WARN_DAYS = 3;

/** One notice, by kind, with the parameters its words need. */
export type NoticeBody =
  /** A hospital asks the patient for consent and the request is still open. */
  | { readonly kind: 'request'; readonly hospital: string }
  /** A hospital referred the patient to another and the referral waits for an answer. */
  | { readonly kind: 'referral'; readonly from: string; readonly hospital: string }
  /** An open request reaches its answer-by time within {@link REQUEST_WARN_HOURS}. */
  | { readonly kind: 'request-expiring'; readonly hospital: string; readonly answerBy: number }
  /** A hospital added a record about the patient. */
  | { readonly kind: 'record'; readonly hospital: string; readonly category: Category }
  /** A live grant ends within {@link GRANT_WARN_DAYS}. */
  | { readonly kind: 'grant-expiring'; readonly hospital: string; readonly expiry: number }
  /** Keys of the patient's existing records reached a hospital (ShareKeys in one block). */
  | { readonly kind: 'keys-shared'; readonly hospital: string; readonly records: number }
  /** A clinician used emergency access to the patient's records. */
  | { readonly kind: 'emergency'; readonly hospital: string }
  /** A clinician used emergency access to the records of a patient who named this person as nominee. */
  | { readonly kind: 'nominee-emergency'; readonly hospital: string; readonly patient: string }
  /** The hospital's own emergency access was not reviewed within REVIEW_HOURS (for its authority). */
  | { readonly kind: 'review-overdue'; readonly clinician: string; readonly patient: string }
  /** A patient gave the consent this hospital asked for. */
  | { readonly kind: 'request-granted'; readonly patient: string }
  /** A patient refused the consent this hospital asked for. */
  | { readonly kind: 'request-refused'; readonly patient: string }
  /** Someone asks to recover patient `patient`'s profile and this person or hospital holds a share (app/recovery/notices.ts). */
  | { readonly kind: 'recovery-ask'; readonly patient: string }
  /** Someone asked to recover this patient's own profile (`patient`: their short id). */
  | { readonly kind: 'recovery-asked'; readonly patient: string }
  /** A holder (`holder`: their short id) changed their passphrase and can no longer open their share of this patient's recovery; `enough`: the rest still reach the threshold. */
  | { readonly kind: 'recovery-share-lost'; readonly holder: string; readonly enough: boolean }
  /** A hospital attested a guardianship: `role` is this person's in it, `patient` the other's short id, `until` the coming of age (seconds). */
  | { readonly kind: 'guardianship'; readonly role: 'minor' | 'guardian'; readonly patient: string; readonly hospital: string; readonly until: number }
  /** A child's profile came of age and waits for its owner's own passphrase (`patient`: the child's short id). */
  | { readonly kind: 'handover-due'; readonly role: 'minor' | 'guardian'; readonly patient: string; readonly until: number };

export type NoticeKind = NoticeBody['kind'];

/** A notice with its stable identity and its time. */
export type Notice = NoticeBody & {
  /** The transaction id the notice is about and its kind: stable across reloads and devices, the key of its read state. */
  readonly id: string;
  /** When it happened or became due (seconds since 1970). */
  readonly time: number;
};

/** `body` as a notice about transaction `tx` at `time`. */
export function notice(tx: string, time: number, body: NoticeBody): Notice {
  return { ...body, id: `${tx}:${body.kind}`, time };
}

/** Newest first, then by id, so equal times keep one order on every device. */
export function newestFirst(list: Notice[]): Notice[] {
  return list.sort((a, b) => b.time - a.time || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}
