/**
 * Passphrase change (SPEC §2): new keys from the new passphrase take over the
 * patient's id. The RotatePatientKeys transaction is signed by the current
 * key and carries a proof signed by the new one; once it is confirmed, the
 * patient re-wraps each record's data key to the new X25519 key with
 * ShareKeys transactions signed by the new key (record-crypto's
 * shareRecordKeys, unwrapping with the old secret). Records stay readable,
 * and the old passphrase stops working for new actions.
 */
import type { IdentityKeys } from './keys';
import { rotationMessage } from './ledger-rules';
import { encodePayload } from './payloads';
import { sign } from './signature';
import type { UnsignedTx } from './sign-tx';
import { TxKind } from './tx';

/** Drafts the rotation to `next` keys on `network` (its genesis hash); the caller signs it with the current key for the same network. */
export function draftKeyRotation(network: Uint8Array, patientId: Uint8Array, next: IdentityKeys, time: number, nonce: number): UnsignedTx {
  const proof = sign(rotationMessage(network, patientId, next.signPublic, next.boxPublic), next.signSecret);
  return {
    kind: TxKind.RotatePatientKeys,
    nonce,
    time,
    payload: encodePayload({ kind: TxKind.RotatePatientKeys, patientId, newSign: next.signPublic, newBox: next.boxPublic, proof }),
  };
}
