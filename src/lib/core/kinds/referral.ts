/**
 * Referral (SPEC §4): a hospital with the patient's live consent refers the
 * patient to another admitted hospital; the note is sealed bytes.
 */
import { toHex } from '../bytes';
import { HASH_BYTES } from '../hash';
import { MAX_SEALED_NOTE } from '../payload-fields';
import { TxKind } from '../tx';
import { KEY, exampleBytes } from './codec';
import { actingHospital, fail, requirePatient } from './rule-kit';
import type { KindSpec } from './spec';

/** What a Referral transaction carries; the field order is its encoding. */
export type ReferralPayload = { kind: typeof TxKind.Referral; patientId: Uint8Array; fromHospital: Uint8Array; toHospital: Uint8Array; sealedNote: Uint8Array };

/** Referral's entry in the registry (kinds/index.ts). */
export const referral: KindSpec<typeof TxKind.Referral, ReferralPayload> = {
  kind: TxKind.Referral,
  write: (w, p) => {
    w.fixed(p.patientId, HASH_BYTES).fixed(p.fromHospital, KEY).fixed(p.toHospital, KEY).bytes(p.sealedNote, MAX_SEALED_NOTE);
  },
  read: (r) => ({
    kind: TxKind.Referral,
    patientId: r.fixed(HASH_BYTES),
    fromHospital: r.fixed(KEY),
    toHospital: r.fixed(KEY),
    sealedNote: r.bytes(MAX_SEALED_NOTE, 'note'),
  }),
  apply: (ledger, p, t) => {
    const patient = requirePatient(ledger, p.patientId);
    const from = toHex(p.fromHospital);
    const to = toHex(p.toHospital);
    actingHospital(ledger, t.author, from);
    // A referral goes to another admitted hospital.
    if (to === from || !ledger.hospitals.get(to)?.member) fail('UNKNOWN_HOSPITAL', 'referral to an unknown or the same hospital');
    // Only a hospital with the patient's live consent refers the patient.
    if (ledger.liveGrants(patient, t.time, from).length === 0) fail('NO_CONSENT', 'no live consent to refer');
    ledger.referrals.set(t.txId, { id: t.txId, patient, from, to, time: t.tx.time });
    ledger.index(patient, t.txId);
  },
  codes: ['UNKNOWN_PATIENT', 'UNKNOWN_HOSPITAL', 'NOT_AUTHORISED', 'NO_CONSENT'],
  signer: 'hospital-actor',
  proofs: null,
  subjects: (p) => [toHex(p.patientId)],
  blobs: null,
  example: {
    kind: TxKind.Referral,
    patientId: exampleBytes(36),
    fromHospital: exampleBytes(37),
    toHospital: exampleBytes(38),
    sealedNote: exampleBytes(39, 48),
  },
};
