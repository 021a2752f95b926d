/**
 * RotatePatientKeys (SPEC §2, passphrase change): new signing and box keys
 * take over a patient id. The patient's current key signs the transaction;
 * the new key signs its takeover (a proof inside the payload). On a minor's
 * profile whose guardianship has reached the 18th birthday it is the handover
 * (kinds/attest-guardian.ts), the one thing such a profile may still sign.
 */
import { toHex } from '../bytes';
import { HASH_BYTES } from '../hash';
import { dayOf } from '../payload-fields';
import { type SignatureCheck, verifies } from '../signature-check';
import { type Tx, TxKind } from '../tx';
import { KEY, SIG, exampleBytes } from './codec';
import { patientKeyHolder, claimKey, fail, requireBoxKey, rotationMessage } from './rule-kit';
import type { KindSpec } from './spec';

/** What a RotatePatientKeys transaction carries; the field order is its encoding. */
export type RotatePatientKeysPayload = {
  kind: typeof TxKind.RotatePatientKeys;
  patientId: Uint8Array;
  newSign: Uint8Array;
  newBox: Uint8Array;
  proof: Uint8Array;
};

/** The new key's takeover, as a signature to check. */
function takeover(p: RotatePatientKeysPayload, _tx: Tx, network: Uint8Array): SignatureCheck {
  return { signature: p.proof, message: rotationMessage(network, p.patientId, p.newSign, p.newBox), publicKey: p.newSign };
}

/** RotatePatientKeys's entry in the registry (kinds/index.ts). */
export const rotatePatientKeys: KindSpec<typeof TxKind.RotatePatientKeys, RotatePatientKeysPayload> = {
  kind: TxKind.RotatePatientKeys,
  write: (w, p) => {
    w.fixed(p.patientId, HASH_BYTES).fixed(p.newSign, KEY).fixed(p.newBox, KEY).fixed(p.proof, SIG);
  },
  read: (r) => ({ kind: TxKind.RotatePatientKeys, patientId: r.fixed(HASH_BYTES), newSign: r.fixed(KEY), newBox: r.fixed(KEY), proof: r.fixed(SIG) }),
  apply: (ledger, p, t) => {
    const patient = patientKeyHolder(ledger, t.author);
    // The rotation names the patient whose key signs it.
    if (toHex(p.patientId) !== patient) fail('NOT_AUTHORISED', 'rotation for another patient');
    requireBoxKey(p.newBox);
    // The new key proves it takes over this patient id.
    if (!verifies(t.verifier, takeover(p, t.tx, t.network))) fail('BAD_PROOF', 'new key did not sign the rotation');
    claimKey(ledger, toHex(p.newSign), { role: 'patient', patient });
    ledger.patients.set(patient, { id: patient, signKey: toHex(p.newSign), boxKey: toHex(p.newBox), keysSince: t.tx.time });
    const g = ledger.guardianships.get(patient);
    // On or after the 18th birthday a minor's passphrase change is the handover: the guardian's passphrase no longer opens the profile.
    if (g && g.handedOver === null && dayOf(t.time) >= g.until) ledger.guardianships.set(patient, { ...g, handedOver: { id: t.txId, time: t.tx.time } });
  },
  codes: ['NOT_AUTHORISED', 'BAD_KEY', 'BAD_PROOF', 'KEY_IN_USE'],
  signer: 'patient',
  proofs: (p, tx, network) => [takeover(p, tx, network)],
  subjects: (p) => [toHex(p.patientId)],
  blobs: null,
  example: { kind: TxKind.RotatePatientKeys, patientId: exampleBytes(15), newSign: exampleBytes(16), newBox: exampleBytes(17), proof: exampleBytes(18, SIG) },
};
