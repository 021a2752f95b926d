/**
 * The grant form's rules (SPEC §4, ABDM's consent artefact): what the patient
 * may give, and turning what they filled in into a {@link GrantChoice}. A
 * patient answering a request may narrow it — fewer categories, fewer
 * dates, a shorter time, view instead of download — but never widen it (the
 * ledger would refuse it with BEYOND_REQUEST); checking here first names the
 * problem before anything is signed. Form values are plain strings and
 * numbers, so the screen stays a thin layer over this module.
 */
import type { RequestState } from '../../core/ledger';
import { AccessMode, type Day, OPEN_END, type Purpose, SCOPE_ALL } from '../../core/payloads';
import { parseRecordDay } from '../../core/record';
import { type ActionFailure, refusal } from '../clinician/sign';
import type { GrantChoice } from './consent';

const DAY_SECONDS = 86_400;
/** Days of access offered when nothing was asked. */
export const DEFAULT_GRANT_DAYS = 30;

/** The most a grant may give: everything, or what the request it answers asked. */
export interface GrantLimits {
  readonly scope: number;
  /** The purpose asked (the grant must keep it), or null when the patient chooses. */
  readonly purpose: Purpose | null;
  readonly from: Day;
  readonly to: Day;
  /** The latest expiry (seconds), or null for no limit. */
  readonly expiry: number | null;
  /** The most whole days offered (the last one may be cut short at the asked expiry), or null for no limit. */
  readonly maxDays: number | null;
  /** Whether download may be given (only if it was asked). */
  readonly download: boolean;
}

/** What a grant may give at `now`: without a request (or for a referral), anything; answering a request, no more than it asked. */
export function grantLimits(asked: RequestState | null, now: number): GrantLimits {
  if (!asked) return { scope: SCOPE_ALL, purpose: null, from: 0, to: OPEN_END, expiry: null, maxDays: null, download: true };
  return {
    scope: asked.scope,
    purpose: asked.purpose,
    from: asked.from,
    to: asked.to,
    expiry: asked.expiry,
    maxDays: Math.max(0, Math.ceil((asked.expiry - now) / DAY_SECONDS)),
    download: asked.mode === AccessMode.Download,
  };
}

/** What the grant form holds. */
export interface GrantFormValues {
  readonly hospital: string;
  /** The request or referral answered, if any. */
  readonly regarding?: string;
  readonly scope: number;
  readonly purpose: Purpose;
  /** First and last record date (YYYY-MM-DD); empty for the widest allowed. */
  readonly fromDate: string;
  readonly toDate: string;
  /** For how many days. */
  readonly days: number;
  /** Days after the end of the consent by which the hospital wipes its copies (0: when it ends). */
  readonly eraseAfterDays: number;
  readonly mode: AccessMode;
}

const whole = (n: number, least: number) => Number.isInteger(n) && n >= least;

/**
 * The grant the form describes at `now`, or why it cannot be given: BAD_SCOPE,
 * BAD_RANGE (a date that is not one, or an end before the start), BAD_EXPIRY
 * (not a whole number of days), BAD_ERASE_BY, BEYOND_REQUEST (more than the
 * request `asked` asked), REQUEST_EXPIRED (the request is past its answer-by).
 */
export function grantChoice(v: GrantFormValues, asked: RequestState | null, now: number): GrantChoice | ActionFailure {
  const limits = grantLimits(asked, now);
  if (asked && asked.answerBy <= now) return refusal('REQUEST_EXPIRED');
  if ((v.scope & SCOPE_ALL) === 0) return refusal('BAD_SCOPE');
  const from = v.fromDate.trim() === '' ? limits.from : parseRecordDay(v.fromDate.trim());
  const to = v.toDate.trim() === '' ? limits.to : parseRecordDay(v.toDate.trim());
  if (from === null || to === null || from > to) return refusal('BAD_RANGE');
  if (!whole(v.days, 1)) return refusal('BAD_EXPIRY');
  if (!whole(v.eraseAfterDays, 0)) return refusal('BAD_ERASE_BY');
  const beyond =
    (v.scope & ~limits.scope) !== 0 ||
    (limits.purpose !== null && v.purpose !== limits.purpose) ||
    from < limits.from ||
    to > limits.to ||
    (limits.maxDays !== null && v.days > limits.maxDays) ||
    (v.mode === AccessMode.Download && !limits.download);
  if (beyond) return refusal('BEYOND_REQUEST');
  const expiry = Math.min(now + v.days * DAY_SECONDS, limits.expiry ?? Infinity);
  return {
    hospital: v.hospital,
    scope: v.scope & SCOPE_ALL,
    purpose: v.purpose,
    from,
    to,
    expiry,
    eraseBy: expiry + v.eraseAfterDays * DAY_SECONDS,
    mode: v.mode,
    ...(v.regarding ? { regarding: v.regarding } : {}),
  };
}
