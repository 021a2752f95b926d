/**
 * Building signed transactions. Signing needs the author's secret key, which
 * the caller brings (derived keys in the app, seeded keys in demos and tests).
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

/** Signs a transaction body with a 32-byte Ed25519 secret seed. */
export function signTx(body: UnsignedTx, secretKey: Uint8Array, author = publicKeyOf(secretKey)): Tx {
  const unsigned = { version: TX_VERSION, kind: body.kind, author, nonce: body.nonce, time: body.time, payload: body.payload };
  const signature = sign(txSigningMessage(txId(unsigned)), secretKey);
  return { ...unsigned, signature };
}
