/**
 * Building signed transactions. Signing needs the author's secret key, which
 * the caller brings (derived keys in the app, seeded keys in demos and tests),
 * and the network the transaction is for: its genesis hash (SPEC §5: a
 * signature binds its transaction to one network).
 */
import { sign } from './signature';
import { TX_VERSION, type Tx, type TxKind, txId, txSigningMessage } from './tx';
import { publicKeyOf } from './signature';

export interface UnsignedTx {
  readonly kind: TxKind;
  readonly nonce: number;
  readonly time: number;
  readonly payload: Uint8Array;
}

/**
 * Signs a transaction body with a 32-byte Ed25519 secret seed for `network`
 * (the chain's genesis hash; `GENESIS_SIGNING_NETWORK` for a genesis
 * block's own transactions, see `signingNetwork` in tx.ts).
 */
export function signTx(network: Uint8Array, body: UnsignedTx, secretKey: Uint8Array, author = publicKeyOf(secretKey)): Tx {
  const unsigned = { version: TX_VERSION, kind: body.kind, author, nonce: body.nonce, time: body.time, payload: body.payload };
  const signature = sign(txSigningMessage(network, txId(unsigned)), secretKey);
  return { ...unsigned, signature };
}
