/**
 * ReviewEmergency (SPEC §4, issue 15): the authority of the hospital whose
 * clinician broke the glass records its review of the access — justified or
 * not, with its words sealed to the hospital. Due within REVIEW_HOURS; the
 * explorer and the patient's log flag an access left unreviewed longer.
 */
import { toHex } from '../bytes';
import { HASH_BYTES } from '../hash';
import { MAX_SEALED_NOTE, ReviewOutcome } from '../payload-fields';
import { TxKind } from '../tx';
import { exampleBytes, readEnum } from './codec';
import { fail, requirePatient } from './rule-kit';
import type { KindSpec } from './spec';

/** What a ReviewEmergency transaction carries; the field order is its encoding. */
export type ReviewEmergencyPayload = {
  kind: typeof TxKind.ReviewEmergency;
  patientId: Uint8Array;
  access: Uint8Array;
  outcome: ReviewOutcome;
  /** The authority's words, sealed to the hospital's data key (may be empty). */
  sealedNote: Uint8Array;
};

/** ReviewEmergency's entry in the registry (kinds/index.ts). */
export const reviewEmergency: KindSpec<typeof TxKind.ReviewEmergency, ReviewEmergencyPayload> = {
  kind: TxKind.ReviewEmergency,
  write: (w, p) => {
    w.fixed(p.patientId, HASH_BYTES).fixed(p.access, HASH_BYTES).u8(p.outcome).bytes(p.sealedNote, MAX_SEALED_NOTE);
  },
  read: (r) => ({
    kind: TxKind.ReviewEmergency,
    patientId: r.fixed(HASH_BYTES),
    access: r.fixed(HASH_BYTES),
    outcome: readEnum(r, ReviewOutcome, 'outcome'),
    sealedNote: r.bytes(MAX_SEALED_NOTE, 'note'),
  }),
  apply: (ledger, p, t) => {
    const patient = requirePatient(ledger, p.patientId);
    const e = ledger.emergencies.get(toHex(p.access));
    // The access must exist and be this patient's.
    if (!e || e.patient !== patient) fail('UNKNOWN_REFERENCE', 'no such emergency access for this patient');
    // Only the authority of the hospital whose clinician opened it reviews it.
    if (t.author !== e.hospital) fail('NOT_AUTHORISED', 'not the authority of the accessing hospital');
    // An access is reviewed once.
    if (e.review) fail('ALREADY_DONE', 'already reviewed');
    ledger.emergencies.set(e.id, { ...e, review: { id: t.txId, outcome: p.outcome, time: t.tx.time } });
    ledger.index(patient, t.txId);
  },
  codes: ['UNKNOWN_PATIENT', 'UNKNOWN_REFERENCE', 'NOT_AUTHORISED'],
  signer: 'authority',
  proofs: null,
  subjects: (p) => [toHex(p.patientId)],
  blobs: null,
  example: {
    kind: TxKind.ReviewEmergency,
    patientId: exampleBytes(54),
    access: exampleBytes(55),
    outcome: ReviewOutcome.Justified,
    sealedNote: exampleBytes(56, 0),
  },
};
