/**
 * ShareKeys (SPEC §3): the patient wraps an existing record's data key to
 * new readers their live consent allows (a new key blob beside the chain).
 */
import { toHex } from '../bytes';
import { HASH_BYTES } from '../hash';
import { type BlobRef, MAX_READERS, keyBlobBytes } from '../payload-fields';
import { TxKind } from '../tx';
import { exampleBytes, readBlob, readKeys, writeBlob, writeKeys } from './codec';
import { actingPatient, fail, requireKeyBlob, sortedUnique } from './rule-kit';
import { type KindSpec, oneSubject } from './spec';

/** What a ShareKeys transaction carries; the field order is its encoding. */
export type ShareKeysPayload = { kind: typeof TxKind.ShareKeys; record: Uint8Array; readers: Uint8Array[]; keys: BlobRef };

/** ShareKeys's entry in the registry (kinds/index.ts). */
export const shareKeys: KindSpec<typeof TxKind.ShareKeys, ShareKeysPayload> = {
  kind: TxKind.ShareKeys,
  write: (w, p) => {
    w.fixed(p.record, HASH_BYTES);
    writeKeys(w, p.readers, MAX_READERS);
    writeBlob(w, p.keys);
  },
  read: (r) => ({ kind: TxKind.ShareKeys, record: r.fixed(HASH_BYTES), readers: readKeys(r, MAX_READERS, 'readers'), keys: readBlob(r) }),
  apply: (ledger, p, t) => {
    const r = ledger.records.get(toHex(p.record));
    const patient = actingPatient(ledger, t);
    // The record must exist and be this patient's.
    if (!r || r.patient !== patient) fail('UNKNOWN_REFERENCE', 'no such record of this patient');
    // An erased record's keys are never shared again.
    if (r.erased) fail('RECORD_ERASED', 'record was erased');
    const readers = sortedUnique(p.readers);
    const allowed = ledger.allowedReaders(r, t.time);
    // Keys go only to readers the patient's live consent allows, and only to new ones.
    if (!readers || readers.length === 0 || readers.some((k) => !allowed.has(k) || r.readers.includes(k)))
      fail('BAD_READERS', 'a reader is not allowed or already has the key');
    requireKeyBlob(p.keys, readers.length);
    ledger.records.set(r.id, { ...r, readers: [...r.readers, ...readers].sort(), blobs: [...r.blobs, toHex(p.keys.hash)] });
  },
  codes: ['NOT_AUTHORISED', 'UNKNOWN_REFERENCE', 'RECORD_ERASED', 'BAD_READERS', 'BAD_KEY_SIZE', 'GUARDIANSHIP_ENDED'],
  signer: 'patient',
  proofs: null,
  subjects: (p, _tx, lookup) => oneSubject(lookup.patientOfRecord(toHex(p.record))),
  blobs: (p) => ({ record: toHex(p.record), refs: [p.keys] }),
  example: {
    kind: TxKind.ShareKeys,
    record: exampleBytes(27),
    readers: [exampleBytes(28), exampleBytes(29), exampleBytes(30)],
    keys: { hash: exampleBytes(31), size: keyBlobBytes(3) },
  },
};
