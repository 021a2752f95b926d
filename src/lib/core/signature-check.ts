/**
 * One Ed25519 signature to check, as data: who (public key), what (message)
 * and the signature. Transactions and the proofs inside some payloads are
 * listed this way so the same description serves the ledger rule that checks
 * it now and the asynchronous engine that checks a block's signatures ahead
 * (net/block-signatures.ts): the two can never disagree on what is signed.
 */
import type { SignatureVerifier } from './signature';
import { type Tx, txId, txSigningMessage } from './tx';

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

/** Whether `check` verifies under `verifier`. */
export function verifies(verifier: SignatureVerifier, check: SignatureCheck): boolean {
  return verifier.verify(check.signature, check.message, check.publicKey);
}
