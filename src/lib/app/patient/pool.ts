/**
 * The patient's own transactions still waiting in this device's pool (SPEC
 * §3, §4). A record is sealed for the readers the ledger requires at the
 * tip; a consent change that reaches a block before it changes those
 * readers and the record would be refused, its sealed key lost. So a new
 * record waits while a consent change is pending, and the other way round.
 */
import { bytesEqual, toHex } from '../../core/bytes';
import type { ChainView } from '../chain-view';
import { payloadOf } from '../../core/ledger-rules';
import { TxKind } from '../../core/tx';
import type { PatientContext } from './keys';

/** Whether a transaction of one of `kinds` signed by the patient is waiting in the pool. */
export function hasPending(ctx: PatientContext, kinds: readonly TxKind[]): boolean {
  const mine = ctx.me.signer.publicKey;
  return (ctx.node.chain()?.pendingTxs() ?? []).some((e) => kinds.includes(e.tx.kind) && bytesEqual(e.tx.author, mine));
}

/** Records with a ShareKeys (anyone's) waiting in the pool: a re-wrap is not sent twice. */
export function pendingShares(chain: ChainView): Set<string> {
  const waiting = new Set<string>();
  for (const e of chain.pendingTxs()) {
    if (e.tx.kind !== TxKind.ShareKeys) continue;
    const p = payloadOf(e.tx);
    if (p.kind === TxKind.ShareKeys) waiting.add(toHex(p.record));
  }
  return waiting;
}

/**
 * A passphrase change swaps the patient's box key, an emergency-access
 * setting adds (or drops) the emergency key, and a delegation adds a
 * caregiver's key, so each changes a new record's readers like consent does.
 */
export const CONSENT_KINDS: readonly TxKind[] = [
  TxKind.GrantConsent,
  TxKind.RevokeConsent,
  TxKind.RotatePatientKeys,
  TxKind.SetEmergencyAccess,
  TxKind.DelegateAccess,
];
export const RECORD_KINDS: readonly TxKind[] = [TxKind.AddRecord];
