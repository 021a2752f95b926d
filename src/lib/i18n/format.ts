/**
 * Dates and numbers as a person in India reads them, through `Intl` with
 * `en-IN` or `hi-IN`: lakh and crore grouping (12,34,567), day before month.
 * One place, so every screen writes them the same way; formatters are cached
 * because building one is far costlier than using it.
 */
import { LOCALE_TAG, type Lang } from './lang';

const numberFormats = new Map<Lang, Intl.NumberFormat>();
const dateFormats = new Map<string, Intl.DateTimeFormat>();

function numberFormat(lang: Lang): Intl.NumberFormat {
  let f = numberFormats.get(lang);
  if (!f) numberFormats.set(lang, (f = new Intl.NumberFormat(LOCALE_TAG[lang], { maximumFractionDigits: 2 })));
  return f;
}

function dateFormat(lang: Lang, kind: 'date' | 'dateTime'): Intl.DateTimeFormat {
  const key = `${lang}/${kind}`;
  let f = dateFormats.get(key);
  if (!f) {
    const options: Intl.DateTimeFormatOptions = kind === 'date' ? { dateStyle: 'medium' } : { dateStyle: 'medium', timeStyle: 'short' };
    dateFormats.set(key, (f = new Intl.DateTimeFormat(LOCALE_TAG[lang], options)));
  }
  return f;
}

/** A count or measure with Indian grouping (1,00,000), at most two decimals. */
export function formatNumber(lang: Lang, n: number | bigint): string {
  return numberFormat(lang).format(n);
}

/** A calendar date (7 Dec 2026 / 7 दिस॰ 2026), from a `Date` or milliseconds since 1970. */
export function formatDate(lang: Lang, when: Date | number): string {
  return dateFormat(lang, 'date').format(when);
}

/** A date with its time of day, for events such as blocks and access log entries. */
export function formatDateTime(lang: Lang, when: Date | number): string {
  return dateFormat(lang, 'dateTime').format(when);
}
