/**
 * AddRecord (SPEC §3): a record sealed beside the chain — its body,
 * attachments and key blob as blob references, and the X25519 keys its data
 * key is wrapped to. Written by the patient, or by a hospital with the
 * patient's live consent covering its category.
 */
import { bytesEqual, toHex } from '../bytes';
import { HASH_BYTES } from '../hash';
import { type BlobRef, Category, type Day, MAX_ATTACHMENTS, MAX_READERS, dayOf, keyBlobBytes } from '../payload-fields';
import { TxKind, txId } from '../tx';
import { KEY, exampleBytes, readBlob, readEnum, readKeys, writeBlob, writeCount, writeKeys } from './codec';
import { ZERO_KEY, actingHospital, actingPatient, fail, requireKeyBlob, requirePatient, sortedUnique } from './rule-kit';
import type { KindSpec } from './spec';

/** What an AddRecord transaction carries; the field order is its encoding. */
export type AddRecordPayload = {
  kind: typeof TxKind.AddRecord;
  patientId: Uint8Array;
  /** Authority key of the authoring hospital; all zeros when the patient is the author. */
  hospital: Uint8Array;
  category: Category;
  /** The clinical date (public, bound into the record's header): what consent's date ranges are measured against. */
  day: Day;
  body: BlobRef;
  attachments: BlobRef[];
  /** X25519 public keys the data key is wrapped to, ascending and unique. */
  readers: Uint8Array[];
  /** The blob of wrapped keys, one per reader in the same order. */
  keys: BlobRef;
};

/** AddRecord's entry in the registry (kinds/index.ts). */
export const addRecord: KindSpec<typeof TxKind.AddRecord, AddRecordPayload> = {
  kind: TxKind.AddRecord,
  write: (w, p) => {
    w.fixed(p.patientId, HASH_BYTES).fixed(p.hospital, KEY).u8(p.category).u32(p.day);
    writeBlob(w, p.body);
    writeCount(w, p.attachments.length, MAX_ATTACHMENTS, 'attachments');
    for (const a of p.attachments) writeBlob(w, a);
    writeKeys(w, p.readers, MAX_READERS);
    writeBlob(w, p.keys);
  },
  read: (r) => {
    const patientId = r.fixed(HASH_BYTES);
    const hospital = r.fixed(KEY);
    const category = readEnum(r, Category, 'category');
    const day = r.u32('day');
    const body = readBlob(r);
    const n = r.count(MAX_ATTACHMENTS, 'attachments');
    const attachments = Array.from({ length: n }, () => readBlob(r));
    const readers = readKeys(r, MAX_READERS, 'readers');
    return { kind: TxKind.AddRecord, patientId, hospital, category, day, body, attachments, readers, keys: readBlob(r) };
  },
  apply: (ledger, p, t) => {
    const patient = requirePatient(ledger, p.patientId);
    // A record is dated no later than the day after its block's (a day's grace for time zones).
    if (p.day > dayOf(t.time) + 1) fail('BAD_RECORD_DATE', 'record dated in the future');
    let hospital: string | null = null;
    if (bytesEqual(p.hospital, ZERO_KEY)) {
      // A record without a hospital is the patient's own.
      if (actingPatient(ledger, t) !== patient) fail('NOT_AUTHORISED', 'only the patient adds records without a hospital');
    } else {
      hospital = toHex(p.hospital);
      actingHospital(ledger, t.author, hospital);
      // A hospital adds records only with the patient's live consent.
      if (ledger.liveGrants(patient, t.time, hospital).length === 0) fail('NO_CONSENT', 'no live consent from the patient');
      // ...and only of a category that consent covers (a lab-only grant never lets it write a prescription).
      if (ledger.liveGrants(patient, t.time, hospital, p.category).length === 0) fail('OUT_OF_SCOPE', 'no live consent covers this category');
    }
    const readers = sortedUnique(p.readers);
    // The data key is wrapped to exactly the patient, the author hospital and the consented hospitals in scope.
    if (!readers || readers.join() !== ledger.requiredReaders(patient, hospital, p.category, p.day, t.time).join())
      fail('BAD_READERS', 'readers are not exactly those the rules require');
    requireKeyBlob(p.keys, readers.length);
    const blobs = [p.body, ...p.attachments, p.keys].map((b) => toHex(b.hash));
    ledger.records.set(t.txId, {
      id: t.txId,
      patient,
      hospital,
      author: t.author,
      category: p.category,
      day: p.day,
      time: t.tx.time,
      height: t.height,
      readers,
      blobs,
      erased: false,
    });
    ledger.index(patient, t.txId);
  },
  codes: [
    'UNKNOWN_PATIENT',
    'BAD_RECORD_DATE',
    'NOT_AUTHORISED',
    'UNKNOWN_HOSPITAL',
    'NO_CONSENT',
    'OUT_OF_SCOPE',
    'BAD_READERS',
    'BAD_KEY_SIZE',
    'GUARDIANSHIP_ENDED',
  ],
  signer: 'patient-or-hospital-actor',
  proofs: null,
  subjects: (p) => [toHex(p.patientId)],
  blobs: (p, tx) => ({ record: toHex(txId(tx)), refs: [p.body, ...p.attachments, p.keys] }),
  example: {
    kind: TxKind.AddRecord,
    patientId: exampleBytes(19),
    hospital: exampleBytes(20),
    category: Category.LabReport,
    day: 20_000,
    body: { hash: exampleBytes(21), size: 1234 },
    attachments: [
      { hash: exampleBytes(22), size: 10 },
      { hash: exampleBytes(23), size: 2 ** 20 },
    ],
    readers: [exampleBytes(24), exampleBytes(25)],
    keys: { hash: exampleBytes(26), size: keyBlobBytes(2) },
  },
};
