/**
 * RegisterPatient (SPEC §2): a patient's first signing key registers, with
 * the box key records are wrapped to; the patient id is a hash of that key.
 */
import { toHex } from '../bytes';
import { patientIdOf } from '../ids';
import { TxKind } from '../tx';
import { KEY, exampleBytes } from './codec';
import { claimKey, requireBoxKey } from './rule-kit';
import type { KindSpec } from './spec';

/** What a RegisterPatient transaction carries; the field order is its encoding. */
export type RegisterPatientPayload = { kind: typeof TxKind.RegisterPatient; boxKey: Uint8Array };

/** RegisterPatient's entry in the registry (kinds/index.ts). */
export const registerPatient: KindSpec<typeof TxKind.RegisterPatient, RegisterPatientPayload> = {
  kind: TxKind.RegisterPatient,
  write: (w, p) => {
    w.fixed(p.boxKey, KEY);
  },
  read: (r) => ({ kind: TxKind.RegisterPatient, boxKey: r.fixed(KEY) }),
  apply: (ledger, p, t) => {
    requireBoxKey(p.boxKey);
    const id = toHex(patientIdOf(t.tx.author));
    claimKey(ledger, t.author, { role: 'patient', patient: id });
    ledger.patients.set(id, { id, signKey: t.author, boxKey: toHex(p.boxKey), keysSince: t.tx.time });
  },
  codes: ['BAD_KEY', 'KEY_IN_USE'],
  signer: 'new-key',
  proofs: null,
  subjects: (_p, tx) => [toHex(patientIdOf(tx.author))],
  blobs: null,
  example: { kind: TxKind.RegisterPatient, boxKey: exampleBytes(14) },
};
