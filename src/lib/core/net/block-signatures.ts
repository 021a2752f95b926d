/**
 * Every Ed25519 signature the validation of a block will check (SPEC §5:
 * every signature is checked): each transaction's author signature over its
 * id, and the proofs some payloads carry (a staff key accepting its
 * certification, a new patient key taking over a patient id, the two votes
 * of equivocation evidence). Listing them lets an asynchronous engine check
 * them all at once, ahead of the synchronous core, which then finds the
 * answers ready (adapters/webcrypto-ed25519.ts `primedVerifier`). A payload
 * that does not decode adds nothing here: the core refuses it anyway.
 * Listing is only a hint: a signature missed here is still checked by the
 * core, through the fallback engine.
 */
import type { Block } from '../block';
import { kindSpec } from '../kinds';
import { payloadOrNull } from '../payloads';
import { type SignatureCheck, txSignatureCheck } from '../signature-check';
import { type Tx, signingNetwork } from '../tx';

export { type SignatureCheck, txSignatureCheck };

/** Signatures inside a transaction's payload (proofs, evidence: its kind's `proofs`, kinds/), in the order the ledger rules check them. */
function payloadChecks(tx: Tx, network: Uint8Array, out: SignatureCheck[]): void {
  const { proofs } = kindSpec(tx.kind);
  if (!proofs) return;
  const p = payloadOrNull(tx);
  if (p) out.push(...proofs(p, tx, network));
}

/**
 * Every signature validating `block` checks, on the network of genesis hash
 * `genesis`: transaction signatures first, then payload proofs.
 */
export function blockSignatureChecks(block: Block, genesis: Uint8Array): SignatureCheck[] {
  const network = signingNetwork(genesis, block.header.height);
  const out: SignatureCheck[] = [];
  for (const tx of block.txs) out.push(txSignatureCheck(tx, network));
  for (const tx of block.txs) payloadChecks(tx, network, out);
  return out;
}
