/**
 * A delegation in words (issue 15), the same on the patient's list of
 * caregivers and on the caregiver's view: which records (kinds and dates),
 * and where it stands — readable until its expiry, ended, or revoked.
 */
import type { Messages } from '../../i18n/catalogue';
import { formatDate } from '../../i18n/format';
import type { Lang } from '../../i18n/lang';
import type { DelegationView } from './caregivers';
import { datesWords, scopeWords } from './consent-words';

/** The records a delegation covers: its kinds and the dates of records. */
export function delegationTerms(m: Messages, lang: Lang, v: DelegationView): string {
  return `${scopeWords(m, v.delegation.scope)} · ${datesWords(m, lang, v.delegation.from, v.delegation.to)}`;
}

/** Where a delegation stands, with the date that matters: until when it lasts, or since when it has ended. */
export function delegationState(m: Messages, lang: Lang, v: DelegationView): string {
  const w = m.consent.caregivers.status;
  const date = (seconds: number) => formatDate(lang, seconds * 1000);
  return v.status === 'live' ? w.live(date(v.delegation.expiry)) : w[v.status](date(v.since));
}
