/** The inboxes in English (issue 15): the patient's and the hospital's notices, the permission button and its states, the system notifications. */
import { formatNumber } from '../format';

const n = (x: number) => formatNumber('en', x);

export const notify = {
  section: 'Inbox',
  /** The section button's label with the unread count beside it. */
  unreadCount: (count: number) => `${n(count)} unread`,
  title: 'Inbox',
  hospitalTitle: 'Hospital inbox',
  nothing: 'Nothing new.',
  unread: 'New',
  markRead: 'Mark as read',
  markAllRead: 'Mark all as read',
  askPermission: 'Tell me even when this tab is in the background',
  askHint: 'Your browser will ask you first. This device shows the notices itself while the app is open; nothing is sent to any other service.',
  granted: 'This device tells you about new items while the app is open, even when the tab is in the background.',
  denied: 'Notifications are blocked for this site in your browser, so new items show only here. You can allow them in your browser’s settings for this site.',
  unsupported: 'This browser cannot show notifications, so new items show only here.',
  unknownHospital: 'Unknown hospital',
  aClinician: 'an unnamed clinician',
  /** One line per notice. */
  notice: {
    request: (hospital: string) => `${hospital} asks for access to your records.`,
    referral: (from: string, to: string) => `${from} referred you to ${to}. Give ${to} consent to see your records?`,
    requestExpiring: (hospital: string, date: string) => `The request from ${hospital} expires on ${date} unless you answer it.`,
    record: (hospital: string, kind: string) => `${hospital} added a record about you: ${kind}.`,
    grantExpiring: (hospital: string, date: string) => `Your consent for ${hospital} ends on ${date}.`,
    keysShared: (hospital: string, count: number) =>
      `${count === 1 ? 'One of your records was' : `${n(count)} of your records were`} shared with ${hospital}, as your consent allows.`,
    emergency: (hospital: string) => `A clinician at ${hospital} opened your records in an emergency.`,
    nomineeEmergency: (hospital: string, patient: string) =>
      `A clinician at ${hospital} opened the records of patient ${patient}, who named you as their nominee, in an emergency.`,
    reviewOverdue: (clinician: string, patient: string, hours: number) =>
      `Emergency access by ${clinician} to the records of patient ${patient} has waited more than ${n(hours)} hours for your review.`,
    requestGranted: (patient: string) => `Patient ${patient} gave the consent you asked for.`,
    requestRefused: (patient: string) => `Patient ${patient} refused your request for access.`,
    recoveryAsk: (patient: string) =>
      `Patient ${patient} asks to recover their profile through you. Release your share only after you have spoken to them and are sure it is them.`,
    recoveryAsked: (patient: string) =>
      `Someone asked to recover your profile (${patient}) through the people you chose. If it was not you, tell them not to release their shares.`,
    recoveryShareLost: (holder: string, date: string, enough: boolean) =>
      `Patient ${holder} changed their passphrase on ${date} and can no longer open the recovery share they hold for you. ${
        enough
          ? 'The others still reach the number needed, but consider setting recovery up again.'
          : 'Recovery through people no longer works: set it up again in Settings.'
      }`,
    guardianOfYou: (hospital: string, guardian: string, date: string) =>
      `${hospital} attested ${guardian} as your guardian. This profile passes to you on ${date}.`,
    guardianOfChild: (hospital: string, child: string, date: string) => `${hospital} attested you as the guardian of ${child} until ${date}.`,
    handoverDue: (date: string) => `Since ${date} this profile is yours: choose your own passphrase (Settings) to take control.`,
    childOfAge: (child: string, date: string) => `${child} came of age on ${date}. Give them the passphrase so they can choose their own.`,
  },
  /** The system notification's title, per kind of notice (short: a phone shows a line). */
  system: {
    request: 'New request for your records',
    referral: 'New referral',
    requestExpiring: 'A request is about to expire',
    record: 'New record',
    grantExpiring: 'A consent is about to end',
    keysShared: 'Records shared',
    emergency: 'Emergency access to your records',
    nomineeEmergency: 'Emergency access: you are the nominee',
    reviewOverdue: 'Emergency access waiting for review',
    requestGranted: 'Consent given',
    requestRefused: 'Request refused',
    recoveryAsk: 'Someone asks to recover their profile',
    recoveryAsked: 'Someone asked to recover your profile',
    recoveryShareLost: 'A recovery share can no longer be opened',
    guardianship: 'Guardianship attested',
    handoverDue: 'A profile comes of age',
  },
  summary: (count: number) => `${n(count)} new items in your inbox`,
  summaryTitle: 'New in your inbox',
};
