/**
 * A notice in words (issue 15), from the catalogue's `notify` area in the
 * language of the messages passed in: its inbox line, and its short system
 * notification. The notices carry names and counts only (notice.ts).
 */
import type { Messages } from '../../i18n/catalogue';
import { REVIEW_HOURS } from '../../core/payload-fields';
import type { AnnounceWords } from './announce';
import type { Notice, NoticeKind } from './notice';

/** Formats a time (seconds) as a date in the language being shown. */
export type DateWords = (seconds: number) => string;

/** The inbox line of `n`. */
export function noticeText(m: Messages, n: Notice, date: DateWords): string {
  const w = m.notify.notice;
  const hospital = (name: string) => name || m.notify.unknownHospital;
  switch (n.kind) {
    case 'request':
      return w.request(hospital(n.hospital));
    case 'referral':
      return w.referral(hospital(n.from), hospital(n.hospital));
    case 'request-expiring':
      return w.requestExpiring(hospital(n.hospital), date(n.answerBy));
    case 'record':
      return w.record(hospital(n.hospital), m.labels.category[n.category]);
    case 'grant-expiring':
      return w.grantExpiring(hospital(n.hospital), date(n.expiry));
    case 'keys-shared':
      return w.keysShared(hospital(n.hospital), n.records);
    case 'emergency':
      return w.emergency(hospital(n.hospital));
    case 'nominee-emergency':
      return w.nomineeEmergency(hospital(n.hospital), n.patient);
    case 'review-overdue':
      return w.reviewOverdue(n.clinician || m.notify.aClinician, n.patient, REVIEW_HOURS);
    case 'request-granted':
      return w.requestGranted(n.patient);
    case 'request-refused':
      return w.requestRefused(n.patient);
    case 'recovery-ask':
      return w.recoveryAsk(n.patient);
    case 'recovery-asked':
      return w.recoveryAsked(n.patient);
    case 'recovery-share-lost':
      return w.recoveryShareLost(n.holder, date(n.time), n.enough);
    case 'guardianship':
      return n.role === 'minor'
        ? w.guardianOfYou(hospital(n.hospital), n.patient, date(n.until))
        : w.guardianOfChild(hospital(n.hospital), n.patient, date(n.until));
    case 'handover-due':
      return n.role === 'minor' ? w.handoverDue(date(n.until)) : w.childOfAge(n.patient, date(n.until));
  }
}

const TITLE: Readonly<Record<NoticeKind, keyof Messages['notify']['system']>> = {
  request: 'request',
  referral: 'referral',
  'request-expiring': 'requestExpiring',
  record: 'record',
  'grant-expiring': 'grantExpiring',
  'keys-shared': 'keysShared',
  emergency: 'emergency',
  'nominee-emergency': 'nomineeEmergency',
  'review-overdue': 'reviewOverdue',
  'request-granted': 'requestGranted',
  'request-refused': 'requestRefused',
  'recovery-ask': 'recoveryAsk',
  'recovery-asked': 'recoveryAsked',
  'recovery-share-lost': 'recoveryShareLost',
  guardianship: 'guardianship',
  'handover-due': 'handoverDue',
};

/** The system notifications' words in `m`'s language: a title per kind, the inbox line as body. */
export function announceWords(m: Messages, date: DateWords): AnnounceWords {
  return {
    one: (n) => ({ title: m.notify.system[TITLE[n.kind]], body: noticeText(m, n, date), tag: n.id }),
    summary: (count) => ({ title: m.notify.summaryTitle, body: m.notify.summary(count), tag: 'medchain-inbox' }),
  };
}
