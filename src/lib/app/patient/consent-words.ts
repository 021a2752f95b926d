/**
 * The terms of a request or grant in words (SPEC §4, §7): categories,
 * purpose, dates of records, expiry, view or download and erase-by, as short
 * phrases in the language shown. One place, so the requests, the grants, the
 * history of answers and the access log word a consent the same way. Record
 * dates are calendar days: shown as that day wherever the reader is.
 */
import { AccessMode, Category, type Day, OPEN_END, SCOPE_ALL } from '../../core/payloads';
import { dayDate } from '../../core/record';
import type { Messages } from '../../i18n/catalogue';
import { formatDate } from '../../i18n/format';
import type { Lang } from '../../i18n/lang';
import type { ConsentTerms } from './consent';

/** The categories of a scope, or "All records". */
export function scopeWords(m: Messages, scope: number): string {
  if ((scope & SCOPE_ALL) === SCOPE_ALL) return m.consent.allRecordsCap;
  return Object.values(Category)
    .filter((c) => scope & (1 << c))
    .map((c) => m.labels.category[c])
    .join(', ');
}

/** A record day as the reader's calendar date (its own day, not shifted by the time zone). */
export function dayWords(lang: Lang, day: Day): string {
  const [y, mo, d] = dayDate(day).split('-').map(Number) as [number, number, number];
  return formatDate(lang, new Date(y, mo - 1, d));
}

/** The dates of records covered: any, from a day on, up to a day, or between two. */
export function datesWords(m: Messages, lang: Lang, from: Day, to: Day): string {
  const w = m.consent.terms;
  if (to === OPEN_END) return from === 0 ? w.datesAll : w.datesFrom(dayWords(lang, from));
  return from === 0 ? w.datesUpTo(dayWords(lang, to)) : w.datesBetween(dayWords(lang, from), dayWords(lang, to));
}

/** The terms beyond kinds, purpose and expiry: the dates of records, view or download, and (a grant's) erase-by. */
export function detailWords(m: Messages, lang: Lang, t: ConsentTerms): string[] {
  const w = m.consent.terms;
  const out = [datesWords(m, lang, t.from, t.to), t.mode === AccessMode.Download ? w.download : w.view];
  if (t.eraseBy !== null) out.push(t.eraseBy === t.expiry ? w.eraseAtEnd : w.eraseBy(formatDate(lang, t.eraseBy * 1000)));
  return out;
}

/** Every term as a phrase, in the order the screens show them. */
export function termsWords(m: Messages, lang: Lang, t: ConsentTerms): string[] {
  return [
    scopeWords(m, t.scope),
    m.consent.terms.purposeFor(m.labels.purpose[t.purpose]),
    m.consent.until(formatDate(lang, t.expiry * 1000)),
    ...detailWords(m, lang, t),
  ];
}

/** The terms on one line. */
export function termsLine(m: Messages, lang: Lang, t: ConsentTerms): string {
  return termsWords(m, lang, t).join(' · ');
}
