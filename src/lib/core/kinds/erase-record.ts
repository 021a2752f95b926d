/**
 * EraseRecord (SPEC §3): the patient erases their record; nodes delete its
 * blobs and never hand them out again.
 */
import { toHex } from '../bytes';
import { HASH_BYTES } from '../hash';
import { TxKind } from '../tx';
import { exampleBytes } from './codec';
import { actingPatient, fail } from './rule-kit';
import { type KindSpec, oneSubject } from './spec';

/** What an EraseRecord transaction carries; the field order is its encoding. */
export type EraseRecordPayload = { kind: typeof TxKind.EraseRecord; record: Uint8Array };

/** EraseRecord's entry in the registry (kinds/index.ts). */
export const eraseRecord: KindSpec<typeof TxKind.EraseRecord, EraseRecordPayload> = {
  kind: TxKind.EraseRecord,
  write: (w, p) => {
    w.fixed(p.record, HASH_BYTES);
  },
  read: (r) => ({ kind: TxKind.EraseRecord, record: r.fixed(HASH_BYTES) }),
  apply: (ledger, p, t) => {
    const patient = actingPatient(ledger, t);
    const r = ledger.records.get(toHex(p.record));
    // Only the patient erases their own record.
    if (!r || r.patient !== patient) fail('UNKNOWN_REFERENCE', 'no such record of this patient');
    // A record is erased once.
    if (r.erased) fail('ALREADY_DONE', 'record already erased');
    ledger.records.set(r.id, { ...r, erased: true });
  },
  codes: ['NOT_AUTHORISED', 'UNKNOWN_REFERENCE', 'ALREADY_DONE', 'GUARDIANSHIP_ENDED'],
  signer: 'patient',
  proofs: null,
  subjects: (p, _tx, lookup) => oneSubject(lookup.patientOfRecord(toHex(p.record))),
  blobs: (p) => ({ erase: toHex(p.record) }),
  example: { kind: TxKind.EraseRecord, record: exampleBytes(40) },
};
