/**
 * The patient's own transactions still waiting in this device's pool (SPEC
 * §3, §4). A record is sealed for the readers the ledger requires at the
 * tip; a consent change that reaches a block before it changes those
 * readers and the record would be refused, its sealed key lost. So a new
 * record waits while a consent change is pending, and the other way round.
 */
import { bytesEqual, toHex } from '../../core/bytes';
import type { ChainState } from '../../core/chain';
import { payloadOf } from '../../core/ledger-rules';
import { TxKind } from '../../core/tx';
import type { PatientContext } from './keys';

/** Whether a transaction of one of `kinds` signed by the patient is waiting in the pool. */
export function hasPending(ctx: PatientContext, kinds: readonly TxKind[]): boolean {
  const mine = ctx.me.signer.publicKey;
  return (ctx.node.chain()?.pending.list() ?? []).some((e) => kinds.includes(e.tx.kind) && bytesEqual(e.tx.author, mine));
}

/** Records with a ShareKeys (anyone's) waiting in the pool: a re-wrap is not sent twice. */
export function pendingShares(chain: ChainState): Set<string> {
  const waiting = new Set<string>();
  for (const e of chain.pending.list()) {
    if (e.tx.kind !== TxKind.ShareKeys) continue;
    const p = payloadOf(e.tx);
    if (p.kind === TxKind.ShareKeys) waiting.add(toHex(p.record));
  }
  return waiting;
}

/** A passphrase change swaps the patient's box key, so it changes a new record's readers like consent does. */
export const CONSENT_KINDS: readonly TxKind[] = [TxKind.GrantConsent, TxKind.RevokeConsent, TxKind.RotatePatientKeys];
export const RECORD_KINDS: readonly TxKind[] = [TxKind.AddRecord];
export const WAIT_FOR_RECORD = 'A record you added is not in a block yet; give or revoke consent once it is (usually within a minute), so it stays readable by the right hospitals.';
export const WAIT_FOR_CONSENT = 'A consent or passphrase change of yours is not in a block yet; add the record once it is (usually within a minute), so it is shared with the right hospitals.';
