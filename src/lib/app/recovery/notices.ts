/**
 * Inbox notices of recovery through people (issue 15): a holder hears of
 * each ask they may answer (so they call the patient before releasing), and
 * the patient hears of every ask made for their profile — if they did not
 * make it, someone is trying to take it over, and they can tell their
 * holders not to release. The patient also hears when a holder's
 * passphrase change put their share out of reach (standing.ts), so they do
 * not go on trusting a recovery fewer people can answer.
 */
import { hexToBytes } from '../../core/bytes';
import { shortId } from '../../core/ids';
import type { LedgerView } from '../../core/ledger';
import { type Notice, notice } from '../notify/notice';
import { asksToAnswer } from './holding';
import { settingReach } from './standing';

/** Notices for `holder` (a patient id or a hospital's authority key) of asks they may answer at `now`. */
export function holderNotices(ledger: LedgerView, holder: string, now: number): Notice[] {
  return asksToAnswer(ledger, holder, now).map((a) => notice(a.ask.id, a.ask.time, { kind: 'recovery-ask', patient: a.patientShortId }));
}

/** Notices for patient `me` of asks to recover their profile still open at `now` (not the one that recovered it: its keys are theirs now). */
export function askedNotices(ledger: LedgerView, me: string, now: number): Notice[] {
  const out: Notice[] = [];
  const current = ledger.patients.get(me)?.signKey;
  for (const id of ledger.byPatient.get(me) ?? []) {
    const a = ledger.recoveryAsks.get(id);
    if (a?.patient === me && a.answerBy > now && a.asker !== current)
      out.push(notice(a.id, a.time, { kind: 'recovery-asked', patient: shortId(hexToBytes(me)) }));
  }
  return out;
}

/**
 * Notices for patient `me` of each holder of their live setting whose
 * passphrase change put their share out of reach, dated by that change, and
 * whether the rest still reach the threshold. One per setting and holder:
 * setting recovery up again ends them.
 */
export function lostShareNotices(ledger: LedgerView, me: string): Notice[] {
  const reach = settingReach(ledger, me);
  if (!reach) return [];
  return reach.lost.flatMap((h) =>
    h.since === null ? [] : [notice(`${reach.setting.id}/${h.id}`, h.since, { kind: 'recovery-share-lost', holder: h.label, enough: reach.enough })],
  );
}
