/**
 * The identity and consent rules every node checks on every transaction of
 * every block (SPEC §2 to §4; stage 3 of validation). Each kind's rule is in
 * its file under kinds/ (one comment and one `RuleCode` of errors.ts per rule); this
 * module applies them: replays first, then the payload, then the kind's rule.
 * Transactions of a block apply in order, so a later one sees what an earlier
 * one did.
 */
import { foundingRules } from './quorum-rule';
import { toHex } from './bytes';
import { DecodeError, RuleError } from './errors';
import { kindSpec } from './kinds';
import { fail } from './kinds/rule-kit';
import type { TxContext } from './kinds/spec';
import type { Ledger } from './ledger';
import { type Payload, decodePayload } from './payloads';
import type { SignatureVerifier } from './signature';
import type { Tx } from './tx';

export type { TxContext };
export { evidenceSlot, rotationMessage, staffMessage, usableBoxKey } from './kinds/rule-kit';

/** Decodes a transaction's payload; a payload that does not decode breaks BAD_PAYLOAD. */
export function payloadOf(tx: Tx): Payload {
  try {
    return decodePayload(tx.kind, tx.payload);
  } catch (e) {
    if (e instanceof DecodeError) fail('BAD_PAYLOAD', `payload of kind ${tx.kind}: ${e.message}`);
    throw e;
  }
}

/** Applies one transaction to the ledger or throws the {@link RuleError} of the rule it breaks. */
export function applyTx(ledger: Ledger, tx: Tx, ctx: TxContext): void {
  // A transaction takes effect once: the chain refuses replays first, and the ledger does not rely on it.
  if (
    ledger.records.has(ctx.txId) ||
    ledger.grants.has(ctx.txId) ||
    ledger.referrals.has(ctx.txId) ||
    ledger.requests.has(ctx.txId) ||
    ledger.recoveryAsks.has(ctx.txId) ||
    ledger.emergencies.has(ctx.txId) ||
    ledger.delegations.has(ctx.txId)
  )
    fail('ALREADY_DONE', 'transaction already applied');
  const p = payloadOf(tx);
  kindSpec(p.kind).apply(ledger, p, { ...ctx, tx, author: toHex(tx.author) });
}

/** Applies a whole block's transactions in order; a genesis block must found the network. */
export function applyBlockTxs(
  ledger: Ledger,
  txs: readonly Tx[],
  txIds: readonly string[],
  height: number,
  time: number,
  verifier: SignatureVerifier,
  network: Uint8Array,
) {
  return ledger.change(() => {
    txs.forEach((tx, i) => {
      try {
        applyTx(ledger, tx, { height, time, txId: txIds[i]!, verifier, network });
      } catch (e) {
        if (e instanceof RuleError) throw new RuleError(e.code, `transaction ${i}: ${e.message}`);
        throw e;
      }
    });
    // A network's genesis block founds it with at least one hospital.
    if (height === 0 && ledger.members === 0) fail('BAD_GENESIS', 'genesis founds no hospital');
    // Its founders state one quorum rule (quorum-rule.ts): every node of the network counts approvals alike.
    if (height === 0 && new Set(foundingRules(txs)).size > 1) fail('BAD_GENESIS', 'founders state different quorum rules');
  });
}
