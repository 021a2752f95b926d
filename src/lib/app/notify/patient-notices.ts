/**
 * A patient's inbox (issue 15), derived from the ledger at `now`: requests
 * and referrals waiting for an answer (and those about to expire), records a
 * hospital added, grants about to end, keys of existing records reaching a
 * hospital, emergency access to the patient's records — and, for a person a
 * patient named as nominee, emergency access to that patient's records;
 * recovery asks, and recovery holders who can no longer open their share.
 * Pure: the clock and the ShareKeys list are passed in, so a test sets the
 * time and every device derives the same list.
 */
import { hexToBytes, toHex } from '../../core/bytes';
import { shortId } from '../../core/ids';
import type { LedgerView } from '../../core/ledger';
import { payloadOf } from '../../core/ledger-rules';
import { type Tx, TxKind } from '../../core/tx';
import { asksOf } from '../../core/consent-status';
import { askedNotices, holderNotices, lostShareNotices } from '../recovery/notices';
import { guardianshipNotices } from '../family/notices';
import { GRANT_WARN_DAYS, INBOX_DAYS, type Notice, REQUEST_WARN_HOURS, newestFirst, notice } from './notice';

const HOUR = 3600;
const DAY = 86_400;

/** A transaction of the active chain as the chain view's kind index gives it (app/chain-view.ts `ofKind`). */
export interface ChainTx {
  readonly tx: Tx;
  readonly id: string;
  readonly height: number;
}

/** The name of hospital `id`, or '' when the ledger does not know it (the words say "Unknown hospital"). */
export const hospitalName = (ledger: LedgerView, id: string): string => ledger.hospitals.get(id)?.name ?? '';

/** A patient's short id (core/ids.ts), the form people read and type. */
export const patientLabel = (hex: string): string => shortId(hexToBytes(hex));

/**
 * The notices of patient `me` at `now`, newest first. `keyShares` are the
 * active chain's ShareKeys (`chain.ofKind(TxKind.ShareKeys)`): a ShareKeys
 * names its record, not the patient, so it is not in the patient's index.
 */
export function patientNotices(ledger: LedgerView, keyShares: readonly ChainTx[], me: string, now: number): Notice[] {
  const since = now - INBOX_DAYS * DAY;
  const out: Notice[] = [];
  const name = (h: string) => hospitalName(ledger, h);
  for (const ask of asksOf(ledger, me, now)) {
    if (ask.status !== 'requested') continue;
    if (ask.referral) out.push(notice(ask.id, ask.asked, { kind: 'referral', from: name(ask.referral.from), hospital: name(ask.hospital) }));
    else out.push(notice(ask.id, ask.asked, { kind: 'request', hospital: name(ask.hospital) }));
    const answerBy = ask.request?.answerBy;
    if (answerBy !== undefined && answerBy - now <= REQUEST_WARN_HOURS * HOUR)
      out.push(notice(ask.id, Math.max(ask.asked, answerBy - REQUEST_WARN_HOURS * HOUR), { kind: 'request-expiring', hospital: name(ask.hospital), answerBy }));
  }
  for (const id of ledger.byPatient.get(me) ?? []) {
    const r = ledger.records.get(id);
    if (r?.patient === me && r.hospital && !r.erased && r.time >= since)
      out.push(notice(id, r.time, { kind: 'record', hospital: name(r.hospital), category: r.category }));
    const g = ledger.grants.get(id);
    if (g?.patient === me && !g.revoked && g.expiry > now && g.expiry - now <= GRANT_WARN_DAYS * DAY)
      out.push(notice(id, Math.max(g.time, g.expiry - GRANT_WARN_DAYS * DAY), { kind: 'grant-expiring', hospital: name(g.hospital), expiry: g.expiry }));
  }
  out.push(
    ...sharedKeys(ledger, keyShares, me, since),
    ...holderNotices(ledger, me, now),
    ...askedNotices(ledger, me, now),
    ...lostShareNotices(ledger, me),
    ...guardianshipNotices(ledger, me, now, since),
  );
  for (const e of ledger.emergencies.values()) {
    if (e.time < since) continue;
    if (e.patient === me) out.push(notice(e.id, e.time, { kind: 'emergency', hospital: name(e.hospital) }));
    else if (ledger.emergencySettings.get(e.patient)?.nominee === me)
      out.push(notice(e.id, e.time, { kind: 'nominee-emergency', hospital: name(e.hospital), patient: patientLabel(e.patient) }));
  }
  return newestFirst(out);
}

/**
 * Keys of `me`'s records that reached a hospital: the ShareKeys of one block
 * to one hospital make one notice (a consent shares every record it covers
 * at once), named by the first of them. A reader is a hospital when it is
 * the hospital's data key; the patient's own keys and others are not told.
 */
function sharedKeys(ledger: LedgerView, keyShares: readonly ChainTx[], me: string, since: number): Notice[] {
  const hospitalOfKey = new Map<string, string>();
  for (const h of ledger.hospitals.values()) hospitalOfKey.set(h.dataKey, h.id);
  const groups = new Map<string, { id: string; time: number; hospital: string; records: number }>();
  for (const { tx, id, height } of keyShares) {
    if (tx.time < since) continue;
    const p = payloadOf(tx);
    if (p.kind !== TxKind.ShareKeys || ledger.records.get(toHex(p.record))?.patient !== me) continue;
    for (const reader of p.readers) {
      const hospital = hospitalOfKey.get(toHex(reader));
      if (hospital === undefined) continue;
      const key = `${height}/${hospital}`;
      const g = groups.get(key);
      if (g) g.records++;
      else groups.set(key, { id, time: tx.time, hospital, records: 1 });
    }
  }
  return [...groups.values()].map((g) => notice(g.id, g.time, { kind: 'keys-shared', hospital: hospitalName(ledger, g.hospital), records: g.records }));
}
