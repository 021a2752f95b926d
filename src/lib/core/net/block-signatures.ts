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
import { DecodeError } from '../errors';
import { rotationMessage, staffMessage } from '../ledger-rules';
import { decodePayload } from '../payloads';
import { type Tx, TxKind, signingNetwork, txId, txSigningMessage } from '../tx';
import { readEvidence } from '../vote';

/** One signature to check: `publicKey`'s signature of `message`. */
export interface SignatureCheck {
  readonly signature: Uint8Array;
  readonly message: Uint8Array;
  readonly publicKey: Uint8Array;
}

/** The author's signature of a transaction for `network` (`signingNetwork` in tx.ts). */
export function txSignatureCheck(tx: Tx, network: Uint8Array, id: Uint8Array = txId(tx)): SignatureCheck {
  return { signature: tx.signature, message: txSigningMessage(network, id), publicKey: tx.author };
}

/** Signatures inside a transaction's payload (proofs, evidence), in the order the ledger rules check them. */
function payloadChecks(tx: Tx, network: Uint8Array, out: SignatureCheck[]): void {
  if (tx.kind !== TxKind.CertifyStaff && tx.kind !== TxKind.RotatePatientKeys && tx.kind !== TxKind.Evidence) return;
  try {
    const p = decodePayload(tx.kind, tx.payload);
    if (p.kind === TxKind.CertifyStaff) out.push({ signature: p.staffProof, message: staffMessage(network, tx.author, p.staffSign, p.staffBox), publicKey: p.staffSign });
    else if (p.kind === TxKind.RotatePatientKeys) out.push({ signature: p.proof, message: rotationMessage(network, p.patientId, p.newSign, p.newBox), publicKey: p.newSign });
    else if (p.kind === TxKind.Evidence) for (const v of readEvidence(p.first, p.second) ?? []) out.push(txSignatureCheck(v.tx, network));
  } catch (e) {
    if (!(e instanceof DecodeError)) throw e;
  }
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
