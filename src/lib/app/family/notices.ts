/**
 * Inbox notices of guardianship (issue 15): the child's profile and the
 * guardian hear that a hospital attested the guardianship, and both hear on
 * the day of coming of age that the profile must now pass to its owner (a
 * passphrase change), until it has.
 */
import type { LedgerView } from '../../core/ledger';
import { type Notice, notice } from '../notify/notice';
import { childrenOf, guardianshipOf, type GuardianshipView } from './guardianship';

const DAY = 86_400;

function noticesOf(g: GuardianshipView, role: 'minor' | 'guardian', since: number): Notice[] {
  const other = role === 'minor' ? g.guardianShort : g.minorShort;
  const out: Notice[] = [];
  const hospital = g.hospital;
  if (g.attested >= since) out.push(notice(g.id, g.attested, { kind: 'guardianship', role, patient: other, hospital, until: g.until * DAY }));
  if (g.status === 'awaiting-handover') out.push(notice(g.id, g.until * DAY, { kind: 'handover-due', role, patient: g.minorShort, until: g.until * DAY }));
  return out;
}

/** The guardianship notices of patient `me` at `now` (as the child, and as the guardian of each child), from `since` (seconds). */
export function guardianshipNotices(ledger: LedgerView, me: string, now: number, since: number): Notice[] {
  const own = guardianshipOf(ledger, me, now);
  return [...(own ? noticesOf(own, 'minor', since) : []), ...childrenOf(ledger, me, now).flatMap((c) => noticesOf(c, 'guardian', since))];
}
