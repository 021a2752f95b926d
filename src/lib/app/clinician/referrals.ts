/**
 * Referrals a hospital sent or received for a patient (SPEC §4), with the
 * note opened when this hospital is the receiver and holds the data key it
 * was sealed to.
 */
import { toHex } from '../../core/bytes';
import type { ChainView } from '../chain-view';
import type { LedgerView } from '../../core/ledger';
import { TxKind } from '../../core/tx';
import { activeTxs } from './chain-scan';
import { openNote } from './write';

export interface ReferralView {
  readonly id: string;
  readonly direction: 'sent' | 'received';
  /** Name of the other hospital. */
  readonly other: string;
  readonly time: number;
  /** The note, when this hospital received it and can open it. */
  readonly note: string | null;
}

/** The patient's referrals from or to `hospital`, oldest first. */
export function referralsFor(chain: ChainView, ledger: LedgerView, hospital: string, patient: string, secrets: readonly Uint8Array[]): ReferralView[] {
  const out: ReferralView[] = [];
  for (const { tx, id, payload } of activeTxs(chain, TxKind.Referral)) {
    if (toHex(payload.patientId) !== patient) continue;
    const from = toHex(payload.fromHospital);
    const to = toHex(payload.toHospital);
    if (from !== hospital && to !== hospital) continue;
    const received = to === hospital;
    const other = ledger.hospitals.get(received ? from : to)?.name ?? 'Unknown hospital';
    out.push({ id, direction: received ? 'received' : 'sent', other, time: tx.time, note: received ? openNote(payload.sealedNote, patient, secrets) : null });
  }
  return out;
}
