/**
 * The hospital's request for consent as its form holds it (SPEC §4, like
 * ABDM's consent request): kinds of record, purpose, the dates of the
 * records asked for, how many days of access, view or download, and how
 * many days the patient has to answer. It is checked here, field by field,
 * before anything is signed, so the clinician reads what to fix beside the
 * field instead of a ledger code after the fact.
 */
import { type AccessMode, type Category, type Day, OPEN_END, type Purpose, SCOPE_ALL } from '../../core/payloads';
import { type Problem, problem } from '../../core/problem';
import { FIRST_RECORD_DATE, isCalendarDate, recordDay } from '../../core/record';
import type { RequestTerms } from './patients';

/** What the form holds; dates are YYYY-MM-DD as a date input gives them, or empty. */
export interface RequestFormInput {
  readonly kinds: readonly Category[];
  readonly purpose: Purpose;
  /** Every record whatever its date; otherwise only those dated `from`…`to` (either may be empty, not both). */
  readonly allDates: boolean;
  readonly from: string;
  readonly to: string;
  /** Days of access asked for, from now. */
  readonly days: number;
  readonly mode: AccessMode;
  /** Days the patient has to answer before the request expires. */
  readonly answerDays: number;
}

/** The form's fields a problem can be shown beside. */
export type RequestField = 'kinds' | 'from' | 'to' | 'days' | 'answerDays';

export type RequestFormCode =
  /** No kind of record ticked. */
  | 'NO_KIND'
  /** Only some dates, but neither a first nor a last date given. */
  | 'NO_DATES'
  | 'BAD_DATE'
  /** Before 1970-01-01, the first day a record can carry; argument: that date. */
  | 'DATE_TOO_OLD'
  | 'TO_BEFORE_FROM'
  /** Not a whole number of days from 1 to the maximum; argument: the maximum. */
  | 'BAD_DAYS'
  /** The patient would have longer to answer than the access asked lasts. */
  | 'ANSWER_AFTER_END';

export interface RequestFormProblem extends Problem<RequestFormCode> {
  readonly field: RequestField;
}

/** The longest access a request asks for: ten years, the longest the patient's grant form offers. */
export const MAX_ASK_DAYS = 3650;
/** The longest a request waits for an answer: a request left open for months is forgotten, not answered. */
export const MAX_ANSWER_DAYS = 90;

export type CheckedRequest =
  | { readonly ok: true; readonly scope: number; readonly purpose: Purpose; readonly terms: Required<RequestTerms> }
  | { readonly ok: false; readonly problems: readonly RequestFormProblem[] };

const wholeDays = (n: number, max: number) => Number.isInteger(n) && n >= 1 && n <= max;

/** The day a typed date stands for, or the problem with it; empty gives `empty`. */
function dayOfInput(date: string, empty: Day): Day | RequestFormCode {
  if (date === '') return empty;
  if (!isCalendarDate(date)) return 'BAD_DATE';
  if (date < FIRST_RECORD_DATE) return 'DATE_TOO_OLD';
  return recordDay(date);
}

/** Checks the form at `now` (seconds): the scope and terms to send, or every problem, each naming its field. */
export function checkRequestForm(f: RequestFormInput, now: number): CheckedRequest {
  const problems: RequestFormProblem[] = [];
  const add = (field: RequestField, code: RequestFormCode, ...args: (string | number)[]) => problems.push({ field, ...problem(code, ...args) });
  const scope = f.kinds.reduce<number>((s, c) => s | (1 << c), 0) & SCOPE_ALL;
  if (scope === 0) add('kinds', 'NO_KIND');
  let from: Day = 0;
  let to: Day = OPEN_END;
  if (!f.allDates) {
    const a = dayOfInput(f.from, 0);
    const b = dayOfInput(f.to, OPEN_END);
    for (const [field, d] of [['from', a] as const, ['to', b] as const])
      if (typeof d === 'string') add(field, d, ...(d === 'DATE_TOO_OLD' ? [FIRST_RECORD_DATE] : []));
    if (f.from === '' && f.to === '') add('from', 'NO_DATES');
    if (typeof a === 'number' && typeof b === 'number') {
      if (a > b) add('to', 'TO_BEFORE_FROM');
      [from, to] = [a, b];
    }
  }
  if (!wholeDays(f.days, MAX_ASK_DAYS)) add('days', 'BAD_DAYS', MAX_ASK_DAYS);
  if (!wholeDays(f.answerDays, MAX_ANSWER_DAYS)) add('answerDays', 'BAD_DAYS', MAX_ANSWER_DAYS);
  else if (wholeDays(f.days, MAX_ASK_DAYS) && f.answerDays > f.days) add('answerDays', 'ANSWER_AFTER_END');
  if (problems.length > 0) return { ok: false, problems };
  const terms = { from, to, expiry: now + f.days * 86_400, mode: f.mode, answerBy: now + f.answerDays * 86_400 };
  return { ok: true, scope, purpose: f.purpose, terms };
}
