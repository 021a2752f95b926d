/**
 * A hospital's inbox (issue 15), derived from the ledger at `now`: for its
 * authority, each emergency access by its clinicians still unreviewed
 * REVIEW_HOURS after it was used (docs/emergency-access.md: the authority
 * must review every one); for the authority and its staff, each patient's
 * answer to a request the hospital made — consent given or refused. Pure:
 * the clock is passed in.
 */
import type { LedgerView } from '../../core/ledger';
import { REVIEW_HOURS } from '../../core/payload-fields';
import { asksBy } from '../../core/consent-status';
import { holderNotices } from '../recovery/notices';
import { INBOX_DAYS, type Notice, newestFirst, notice } from './notice';
import { patientLabel } from './patient-notices';

const HOUR = 3600;
const DAY = 86_400;

/** Who reads the inbox: the hospital's authority, or one of its staff. */
export type HospitalRole = 'authority' | 'staff';

/** The notices of hospital `hospital` at `now` for `role`, newest first. */
export function hospitalNotices(ledger: LedgerView, hospital: string, role: HospitalRole, now: number): Notice[] {
  const since = now - INBOX_DAYS * DAY;
  const out: Notice[] = [];
  if (role === 'authority')
    for (const e of ledger.emergencies.values()) {
      const due = e.time + REVIEW_HOURS * HOUR;
      if (e.hospital !== hospital || e.review !== null || due > now) continue;
      out.push(notice(e.id, due, { kind: 'review-overdue', clinician: ledger.staff.get(e.clinician)?.name ?? '', patient: patientLabel(e.patient) }));
    }
  if (role === 'authority') out.push(...holderNotices(ledger, hospital, now));
  for (const ask of asksBy(ledger, hospital, now)) {
    // A referral to this hospital is the referrer's ask; the requester hears the answer to its own requests.
    if (!ask.request || !ask.answer || ask.answer.time < since) continue;
    const patient = patientLabel(ask.patient);
    if (ask.answer.kind === 'refusal') out.push(notice(ask.answer.id, ask.answer.time, { kind: 'request-refused', patient }));
    else out.push(notice(ask.answer.id, ask.answer.time, { kind: 'request-granted', patient }));
  }
  return newestFirst(out);
}
