/**
 * EmergencyAccess (SPEC §4, issue 15): a certified clinician of an admitted
 * hospital breaks the glass for a patient who allowed emergency access,
 * stating a reason (a code; any words sealed to the hospital). It opens
 * nothing by itself: the holders of the patient's emergency-key shares
 * release them to this clinician only once this transaction is final
 * (ReleaseShare), and the hospital's authority must review it
 * (ReviewEmergency). The patient and the nominee see it.
 */
import { toHex } from '../bytes';
import { HASH_BYTES } from '../hash';
import { EmergencyReason, MAX_SEALED_NOTE, StaffRole } from '../payload-fields';
import { TxKind } from '../tx';
import { KEY, exampleBytes, readEnum } from './codec';
import { actingHospital, fail, requirePatient } from './rule-kit';
import type { KindSpec } from './spec';

/** What an EmergencyAccess transaction carries; the field order is its encoding. */
export type EmergencyAccessPayload = {
  kind: typeof TxKind.EmergencyAccess;
  patientId: Uint8Array;
  hospital: Uint8Array;
  reason: EmergencyReason;
  /** The clinician's words, sealed to the hospital's data key (may be empty). */
  sealedNote: Uint8Array;
};

/** EmergencyAccess's entry in the registry (kinds/index.ts). */
export const emergencyAccess: KindSpec<typeof TxKind.EmergencyAccess, EmergencyAccessPayload> = {
  kind: TxKind.EmergencyAccess,
  write: (w, p) => {
    w.fixed(p.patientId, HASH_BYTES).fixed(p.hospital, KEY).u8(p.reason).bytes(p.sealedNote, MAX_SEALED_NOTE);
  },
  read: (r) => ({
    kind: TxKind.EmergencyAccess,
    patientId: r.fixed(HASH_BYTES),
    hospital: r.fixed(KEY),
    reason: readEnum(r, EmergencyReason, 'reason'),
    sealedNote: r.bytes(MAX_SEALED_NOTE, 'note'),
  }),
  apply: (ledger, p, t) => {
    const patient = requirePatient(ledger, p.patientId);
    const hospital = toHex(p.hospital);
    actingHospital(ledger, t.author, hospital);
    const staff = ledger.staff.get(t.author);
    // Only a certified clinician of the hospital breaks the glass (not its authority, a nurse or a clerk).
    if (staff?.role !== StaffRole.Clinician) fail('NOT_AUTHORISED', 'only a certified clinician opens emergency access');
    const setting = ledger.emergencyOn(patient);
    // Only where the patient allowed emergency access.
    if (!setting) fail('EMERGENCY_OFF', 'the patient has not allowed emergency access');
    ledger.emergencies.set(t.txId, {
      id: t.txId,
      patient,
      hospital,
      clinician: t.author,
      clinicianBox: staff.boxKey,
      setting: setting.id,
      reason: p.reason,
      time: t.tx.time,
      height: t.height,
      releases: [],
      review: null,
    });
    ledger.index(patient, t.txId);
  },
  codes: ['UNKNOWN_PATIENT', 'UNKNOWN_HOSPITAL', 'NOT_AUTHORISED', 'EMERGENCY_OFF'],
  signer: 'hospital-actor',
  proofs: null,
  subjects: (p) => [toHex(p.patientId)],
  blobs: null,
  example: {
    kind: TxKind.EmergencyAccess,
    patientId: exampleBytes(48),
    hospital: exampleBytes(49),
    reason: EmergencyReason.Unconscious,
    sealedNote: exampleBytes(50, 120),
  },
};
