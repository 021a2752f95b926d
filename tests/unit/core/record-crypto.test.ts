/**
 * Sealing, opening and sharing records (SPEC §3): one random data key per
 * record, the body and attachments encrypted with the record header as
 * associated data (attachments add their index), the key wrapped to each
 * reader in an 80-byte slot, and ShareKeys re-wrapping it to new readers.
 * Everything that should not open gives null, never a throw.
 *
 * Randomness is a seeded Prng (reproducible) except in one test that uses
 * node:crypto.
 */
import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { randomBytes } from 'node:crypto';
import { x25519 } from '@noble/curves/ed25519.js';
import { MemoryBlobStore, blobRefOf, checkBlob } from '../../../src/lib/core/blobs';
import { bytesEqual, compareBytes, toHex } from '../../../src/lib/core/bytes';
import { NONCE_BYTES, WRAPPED_KEY_BYTES, openRecord, sealRecord, wrapKey } from '../../../src/lib/core/envelope';
import { Category, type Category as CategoryT, decodePayload, encodePayload } from '../../../src/lib/core/payloads';
import { Prng } from '../../../src/lib/core/prng';
import { type RecordBody, type RecordHeader, encodeRecordBody, encodeRecordHeader, recordContext, recordDay } from '../../../src/lib/core/record';
import {
  type NewRecord,
  type RandomBytes,
  type RecordOnChain,
  type SealedRecord,
  headerOf,
  openRecordAs,
  recordKeyFor,
  sealNewRecord,
  shareRecordKeys,
} from '../../../src/lib/core/record-crypto';
import { TxKind } from '../../../src/lib/core/tx';

const seeded = (seed: string): RandomBytes => {
  const p = new Prng(`record-crypto/${seed}`);
  return (n) => p.bytes(n);
};

interface Party {
  readonly secret: Uint8Array;
  readonly pub: Uint8Array;
}
function parties(seed: string, n: number): Party[] {
  const r = seeded(`parties/${seed}`);
  return Array.from({ length: n }, () => {
    const secret = r(32);
    return { secret, pub: x25519.getPublicKey(secret) };
  });
}
const [PATIENT, HOSP_A, HOSP_B, HOSP_C, OUTSIDER] = parties('main', 5) as [Party, Party, Party, Party, Party];
const ascending = (...ps: Party[]) => ps.map((p) => p.pub).sort(compareBytes);

const bytes32 = (fill: number) => new Uint8Array(32).fill(fill);
const PATIENT_ID = bytes32(0x11);
const HOSPITAL = bytes32(0x22);
const AUTHOR = bytes32(0x33);

const BODY: RecordBody = {
  title: 'Chest X-ray',
  date: '2026-05-02',
  authorName: 'Dr. A. Rao',
  fields: [{ name: 'Finding', value: 'No consolidation' }],
  text: 'Lungs clear. पुनः जाँच नहीं चाहिए. 🫁',
  attachments: [
    { name: 'xray.png', mime: 'image/png', size: 5 },
    { name: 'report.pdf', mime: 'application/pdf', size: 7 },
  ],
};
const ATTACHMENTS = [Uint8Array.of(1, 2, 3, 4, 5), Uint8Array.of(9, 8, 7, 6, 5, 4, 3)];

function input(over: Partial<NewRecord> = {}): NewRecord {
  return {
    patientId: PATIENT_ID,
    hospital: HOSPITAL,
    author: AUTHOR,
    category: Category.Imaging,
    body: BODY,
    attachments: ATTACHMENTS,
    readers: ascending(PATIENT, HOSP_A, HOSP_B),
    time: 1_780_000_000,
    ...over,
  };
}

/** The record as the chain shows it right after its AddRecord. */
const onChain = (s: SealedRecord, author: Uint8Array = AUTHOR): RecordOnChain => ({
  payload: s.payload,
  author,
  nonce: s.draft.nonce,
  keySets: [{ readers: s.payload.readers, keys: s.payload.keys }],
});

async function sealStored(over: Partial<NewRecord> = {}, random: RandomBytes = seeded('default')) {
  const inp = input(over);
  const sealed = sealNewRecord(inp, random);
  const store = new MemoryBlobStore();
  for (const b of sealed.blobs) expect(await store.put(b.ref, b.bytes)).toEqual({ ok: true });
  const get = (ref: Parameters<MemoryBlobStore['get']>[0]) => store.get(ref);
  return { inp, sealed, store, get, rec: onChain(sealed, inp.author) };
}

const READERS_OF_DEFAULT = [PATIENT, HOSP_A, HOSP_B];

// --- round trip -----------------------------------------------------------------------

describe('sealNewRecord + openRecordAs', () => {
  it('every reader opens the body and the attachments', async () => {
    const { rec, get } = await sealStored();
    for (const p of READERS_OF_DEFAULT) {
      const opened = await openRecordAs(rec, p.secret, get);
      expect(opened).not.toBeNull();
      expect(opened!.body).toEqual(BODY);
      expect(opened!.attachments).toEqual(ATTACHMENTS);
    }
  });

  it('property: any body, attachments, category and reader set round-trips for every reader', async () => {
    const pool = parties('pool', 6);
    const text = fc.string({ unit: 'binary', maxLength: 40 });
    const bodyArb: fc.Arbitrary<RecordBody> = fc.record({
      title: text,
      date: fc.constantFrom('2026-01-01', '1999-12-31'),
      authorName: fc.string({ unit: 'binary', maxLength: 25 }),
      fields: fc.array(fc.record({ name: fc.string({ unit: 'binary', maxLength: 25 }), value: text }), { maxLength: 3 }),
      text: fc.string({ unit: 'binary', maxLength: 300 }),
      attachments: fc.constant([]),
    });
    await fc.assert(
      fc.asyncProperty(
        bodyArb,
        fc.array(fc.uint8Array({ maxLength: 200 }), { maxLength: 3 }),
        fc.constantFrom(...(Object.values(Category) as CategoryT[])),
        fc.subarray(pool, { minLength: 1 }),
        fc.string(),
        async (b, atts, category, readers, seed) => {
          const { rec, get } = await sealStored({ body: b, attachments: atts, category, readers: ascending(...readers) }, seeded(seed));
          for (const p of readers) {
            const opened = await openRecordAs(rec, p.secret, get);
            expect(opened).toEqual({ body: b, attachments: atts });
          }
          const outsider = pool.find((p) => !readers.includes(p));
          if (outsider) expect(await openRecordAs(rec, outsider.secret, get)).toBeNull();
        },
      ),
      { numRuns: 25 },
    );
  });

  it('works with real randomness (node:crypto randomBytes) as well', async () => {
    const random: RandomBytes = (n) => new Uint8Array(randomBytes(n));
    const a = await sealStored({}, random);
    const b = await sealStored({}, random);
    for (const p of READERS_OF_DEFAULT) expect(await openRecordAs(a.rec, p.secret, a.get)).toEqual({ body: BODY, attachments: ATTACHMENTS });
    expect(toHex(a.sealed.blobs[0]!.bytes)).not.toBe(toHex(b.sealed.blobs[0]!.bytes));
    expect(a.sealed.draft.nonce).not.toBe(b.sealed.draft.nonce);
  });

  it('is deterministic in its randomness: the same random stream gives the same blobs and draft', () => {
    const a = sealNewRecord(input(), seeded('same'));
    const b = sealNewRecord(input(), seeded('same'));
    const c = sealNewRecord(input(), seeded('other'));
    expect(a.blobs.map((x) => toHex(x.bytes))).toEqual(b.blobs.map((x) => toHex(x.bytes)));
    expect(a.draft).toEqual(b.draft);
    expect(toHex(a.blobs[0]!.bytes)).not.toBe(toHex(c.blobs[0]!.bytes));
  });

  it('a non-reader gets null (an outsider, and a hospital that was not in the readers list)', async () => {
    const { rec, get } = await sealStored();
    expect(await openRecordAs(rec, OUTSIDER.secret, get)).toBeNull();
    expect(await openRecordAs(rec, HOSP_C.secret, get)).toBeNull();
    expect(await recordKeyFor(rec, HOSP_C.secret, get)).toBeNull();
  });

  it('a record without attachments opens with an empty attachment list', async () => {
    const { rec, get, sealed } = await sealStored({ body: { ...BODY, attachments: [] }, attachments: [] });
    expect(sealed.blobs).toHaveLength(2);
    expect(await openRecordAs(rec, PATIENT.secret, get)).toEqual({ body: { ...BODY, attachments: [] }, attachments: [] });
  });
});

// --- what sealNewRecord returns ---------------------------------------------------------

describe('the sealed record and its draft', () => {
  it('the draft nonce is below 2^53 and is the nonce bound into the encryption', async () => {
    const { rec, get, sealed } = await sealStored();
    expect(Number.isSafeInteger(sealed.draft.nonce) && sealed.draft.nonce >= 0).toBe(true);
    expect(await openRecordAs({ ...rec, nonce: sealed.draft.nonce }, PATIENT.secret, get)).not.toBeNull();
    expect(await openRecordAs({ ...rec, nonce: sealed.draft.nonce + 1 }, PATIENT.secret, get)).toBeNull();
  });

  it('the nonce is the first 8 random bytes with the top 11 bits cleared (all-ones gives 2^53 - 1, all-zeros 0)', async () => {
    for (const [fill, expected] of [
      [0xff, 2 ** 53 - 1],
      [0x00, 0],
    ] as const) {
      const inner = seeded('nonce');
      let first = true;
      const random: RandomBytes = (n) => {
        if (first) {
          first = false;
          expect(n).toBe(8);
          return new Uint8Array(8).fill(fill);
        }
        return inner(n);
      };
      const { rec, get, sealed } = await sealStored({}, random);
      expect(sealed.draft.nonce).toBe(expected);
      expect(await openRecordAs(rec, HOSP_A.secret, get)).not.toBeNull();
    }
    // An asymmetric stream pins which bytes and which bits are used (big-endian, top 11 bits cleared).
    const first8 = Uint8Array.of(0xe1, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08);
    const rest = seeded('nonce-2');
    let used = false;
    const stream: RandomBytes = (n) => (used ? rest(n) : ((used = true), first8.slice()));
    expect(sealNewRecord(input(), stream).draft.nonce).toBe(0x020304 * 2 ** 32 + 0x05060708);
    fc.assert(
      fc.property(fc.string(), (seed) => {
        const n = sealNewRecord(input({ readers: [PATIENT.pub], attachments: [], body: { ...BODY, attachments: [] } }), seeded(seed)).draft.nonce;
        expect(Number.isSafeInteger(n) && n >= 0).toBe(true);
      }),
      { numRuns: 30 },
    );
  });

  it('the draft is an AddRecord at the given time whose payload encodes the returned payload', () => {
    const inp = input();
    const s = sealNewRecord(inp, seeded('draft'));
    expect(s.draft.kind).toBe(TxKind.AddRecord);
    expect(s.draft.time).toBe(inp.time);
    expect(toHex(s.draft.payload)).toBe(toHex(encodePayload(s.payload)));
    expect(decodePayload(TxKind.AddRecord, s.draft.payload)).toEqual(s.payload);
  });

  it('the payload names the record: patient, hospital, category and exactly the input readers (a copy)', () => {
    const readers = ascending(PATIENT, HOSP_A, HOSP_B, HOSP_C);
    const inp = input({ readers, category: Category.Allergy });
    const s = sealNewRecord(inp, seeded('payload'));
    expect(s.payload.kind).toBe(TxKind.AddRecord);
    expect(s.payload.patientId).toEqual(PATIENT_ID);
    expect(s.payload.hospital).toEqual(HOSPITAL);
    expect(s.payload.category).toBe(Category.Allergy);
    expect(s.payload.readers.map(toHex)).toEqual(readers.map(toHex));
    expect(s.payload.readers).not.toBe(readers);
  });

  it('blobs are: sealed body, sealed attachments in order, key blob; each ref matches its bytes', () => {
    const s = sealNewRecord(input(), seeded('blobs'));
    expect(s.blobs).toHaveLength(2 + ATTACHMENTS.length);
    for (const b of s.blobs) expect(checkBlob(b.ref, b.bytes)).toBeNull();
    const refs = s.blobs.map((b) => toHex(b.ref.hash));
    expect(refs).toEqual([s.payload.body, ...s.payload.attachments, s.payload.keys].map((r) => toHex(r.hash)));
    expect(s.blobs.map((b) => b.ref.size)).toEqual([s.payload.body, ...s.payload.attachments, s.payload.keys].map((r) => r.size));
    // Sizes: nonce + ciphertext + tag; one 80-byte wrap per reader.
    expect(s.payload.body.size).toBe(NONCE_BYTES + encodeRecordBody(BODY).length + 16);
    ATTACHMENTS.forEach((a, i) => expect(s.payload.attachments[i]!.size).toBe(NONCE_BYTES + a.length + 16));
    expect(s.payload.keys.size).toBe(3 * WRAPPED_KEY_BYTES);
  });

  it('nothing readable is in clear: the encoded body is in no blob and not in the draft', () => {
    const needle = toHex(new TextEncoder().encode('Lungs clear'));
    const s = sealNewRecord(input(), seeded('clear'));
    for (const b of s.blobs) expect(toHex(b.bytes)).not.toContain(needle);
    expect(toHex(s.draft.payload)).not.toContain(needle);
    expect(toHex(s.blobs[1]!.bytes)).not.toContain(toHex(ATTACHMENTS[0]!));
  });
});

// --- binding to the header ---------------------------------------------------------------

type HeaderInput = 'author' | 'nonce' | 'category' | 'patientId' | 'hospital';
const HEADER_INPUTS: readonly HeaderInput[] = ['author', 'nonce', 'category', 'patientId', 'hospital'];

function withChangedHeader(rec: RecordOnChain, field: HeaderInput): RecordOnChain {
  const flipped = (b: Uint8Array) => {
    const c = b.slice();
    c[5] = c[5]! ^ 0x40;
    return c;
  };
  switch (field) {
    case 'author':
      return { ...rec, author: flipped(rec.author) };
    case 'nonce':
      return { ...rec, nonce: rec.nonce === 0 ? 1 : rec.nonce - 1 };
    case 'category':
      return { ...rec, payload: { ...rec.payload, category: rec.payload.category === Category.Other ? Category.Allergy : Category.Other } };
    case 'patientId':
      return { ...rec, payload: { ...rec.payload, patientId: flipped(rec.payload.patientId) } };
    case 'hospital':
      return { ...rec, payload: { ...rec.payload, hospital: new Uint8Array(32) } };
  }
}

describe('a ciphertext is bound to its header', () => {
  it.each(HEADER_INPUTS)('changing %s in the record on chain makes opening fail for every reader', async (field) => {
    const { rec, get } = await sealStored();
    const moved = withChangedHeader(rec, field);
    for (const p of READERS_OF_DEFAULT) {
      expect(await openRecordAs(moved, p.secret, get)).toBeNull();
      expect(await recordKeyFor(moved, p.secret, get)).toBeNull();
    }
  });

  it.each(HEADER_INPUTS)(
    'changing %s fails even when an attacker re-wraps the real data key to the changed header (the body AEAD checks the header)',
    async (field) => {
      const { rec, get, store } = await sealStored();
      const dataKey = (await recordKeyFor(rec, PATIENT.secret, get))!;
      expect(dataKey).toHaveLength(32);
      const moved = withChangedHeader(rec, field);
      const rewrap = wrapKey(dataKey, PATIENT.pub, seeded(`eph/${field}`)(32), recordContext(headerOf(moved)));
      const ref = blobRefOf(rewrap);
      await store.put(ref, rewrap);
      const forged: RecordOnChain = { ...moved, keySets: [{ readers: [PATIENT.pub], keys: ref }] };
      // The key unwraps under the forged header...
      expect(await recordKeyFor(forged, PATIENT.secret, get)).toEqual(dataKey);
      // ...but the body does not open under it.
      expect(await openRecordAs(forged, PATIENT.secret, get)).toBeNull();
      const sealedBody = (await get(rec.payload.body))!;
      expect(openRecord(dataKey, encodeRecordHeader(headerOf(moved)), sealedBody)).toBeNull();
      expect(openRecord(dataKey, encodeRecordHeader(headerOf(rec)), sealedBody)).not.toBeNull();

      // Re-seal the body for the forged header too: the attachments still refuse (their AEAD has the header).
      const resealed = sealRecord(dataKey, seeded(`n/${field}`)(NONCE_BYTES), encodeRecordHeader(headerOf(moved)), encodeRecordBody(BODY));
      const bodyRef = blobRefOf(resealed);
      await store.put(bodyRef, resealed);
      const forged2: RecordOnChain = { ...forged, payload: { ...forged.payload, body: bodyRef } };
      expect(await openRecordAs(forged2, PATIENT.secret, get)).toBeNull();
      // Control: without the attachments the forged record does open, so the refusal above is the attachments' binding.
      const noAtt: RecordOnChain = { ...forged2, payload: { ...forged2.payload, attachments: [] } };
      expect((await openRecordAs(noAtt, PATIENT.secret, get))?.body).toEqual(BODY);
    },
  );

  it('swapping the body blobs of two records with the same readers fails both ways', async () => {
    const store = new MemoryBlobStore();
    const get = (ref: Parameters<MemoryBlobStore['get']>[0]) => store.get(ref);
    const s1 = sealNewRecord(input(), seeded('swap-1'));
    const s2 = sealNewRecord(input({ body: { ...BODY, title: 'Other' } }), seeded('swap-2'));
    for (const b of [...s1.blobs, ...s2.blobs]) await store.put(b.ref, b.bytes);
    const r1 = onChain(s1);
    const r2 = onChain(s2);
    expect((await openRecordAs(r1, PATIENT.secret, get))?.body.title).toBe('Chest X-ray');
    expect((await openRecordAs(r2, PATIENT.secret, get))?.body.title).toBe('Other');
    const r1With2 = { ...r1, payload: { ...r1.payload, body: s2.payload.body } };
    const r2With1 = { ...r2, payload: { ...r2.payload, body: s1.payload.body } };
    for (const p of READERS_OF_DEFAULT) {
      expect(await openRecordAs(r1With2, p.secret, get)).toBeNull();
      expect(await openRecordAs(r2With1, p.secret, get)).toBeNull();
    }
  });

  it('attachments are bound to their index: swapping two attachment refs gives null', async () => {
    const { rec, get } = await sealStored();
    const [a0, a1] = rec.payload.attachments as [typeof rec.payload.body, typeof rec.payload.body];
    const swapped: RecordOnChain = { ...rec, payload: { ...rec.payload, attachments: [a1, a0] } };
    for (const p of READERS_OF_DEFAULT) expect(await openRecordAs(swapped, p.secret, get)).toBeNull();
    const twice: RecordOnChain = { ...rec, payload: { ...rec.payload, attachments: [a0, a0] } };
    expect(await openRecordAs(twice, PATIENT.secret, get)).toBeNull();
    // Dropping the last attachment leaves the others at their index: still opens (the count is the chain's business).
    const fewer: RecordOnChain = { ...rec, payload: { ...rec.payload, attachments: [a0] } };
    expect((await openRecordAs(fewer, PATIENT.secret, get))?.attachments).toEqual([ATTACHMENTS[0]]);
  });

  it('an attachment from another record (same readers) does not open', async () => {
    const { rec, get, store } = await sealStored();
    const other = sealNewRecord(input(), seeded('other-record'));
    for (const b of other.blobs) await store.put(b.ref, b.bytes);
    const mixed: RecordOnChain = { ...rec, payload: { ...rec.payload, attachments: [rec.payload.attachments[0]!, other.payload.attachments[1]!] } };
    expect(await openRecordAs(mixed, PATIENT.secret, get)).toBeNull();
  });
});

// --- erasure and damaged key blobs -------------------------------------------------------

describe('erasure and key slots', () => {
  it.each([
    ['the body', (s: SealedRecord) => s.payload.body],
    ['an attachment', (s: SealedRecord) => s.payload.attachments[1]!],
    ['the key blob', (s: SealedRecord) => s.payload.keys],
  ])('deleting %s (erasure) gives null for everyone', async (_, which) => {
    const { rec, get, store, sealed } = await sealStored();
    await store.delete(toHex(which(sealed).hash));
    for (const p of READERS_OF_DEFAULT) expect(await openRecordAs(rec, p.secret, get)).toBeNull();
  });

  it('a corrupted key slot affects only its reader', async () => {
    for (let slot = 0; slot < 3; slot++) {
      const { rec, get, store, sealed } = await sealStored();
      const keys = sealed.blobs[sealed.blobs.length - 1]!.bytes.slice();
      keys[slot * WRAPPED_KEY_BYTES + 40] = keys[slot * WRAPPED_KEY_BYTES + 40]! ^ 0x01;
      const ref = blobRefOf(keys);
      await store.put(ref, keys);
      const damaged: RecordOnChain = { ...rec, keySets: [{ readers: rec.payload.readers, keys: ref }] };
      for (const p of READERS_OF_DEFAULT) {
        const i = rec.payload.readers.findIndex((k) => bytesEqual(k, p.pub));
        const opened = await openRecordAs(damaged, p.secret, get);
        if (i === slot) expect(opened).toBeNull();
        else expect(opened?.attachments).toEqual(ATTACHMENTS);
      }
    }
  });

  it('a key blob of the wrong length is ignored (null), whatever its content', async () => {
    const { rec, get, store, sealed } = await sealStored();
    const keys = sealed.blobs[sealed.blobs.length - 1]!.bytes;
    const longer = new Uint8Array([...keys, 0]);
    const ref = blobRefOf(longer);
    await store.put(ref, longer);
    const bad: RecordOnChain = { ...rec, keySets: [{ readers: rec.payload.readers, keys: ref }] };
    expect(await openRecordAs(bad, PATIENT.secret, get)).toBeNull();
  });

  it('a key blob changed in the store (hash no longer matches) gives null', async () => {
    const { rec, get, store, sealed } = await sealStored();
    store.corrupt(toHex(sealed.payload.keys.hash), new Uint8Array(sealed.payload.keys.size));
    expect(await openRecordAs(rec, PATIENT.secret, get)).toBeNull();
  });
});

// --- sharing ---------------------------------------------------------------------------------

describe('shareRecordKeys', () => {
  const RECORD_ID = bytes32(0x77);

  it('the patient re-wraps to a new reader, who can then open the record', async () => {
    const { rec, get, store } = await sealStored();
    expect(await openRecordAs(rec, HOSP_C.secret, get)).toBeNull();
    const shared = await shareRecordKeys(rec, RECORD_ID, PATIENT.secret, [HOSP_C.pub], get, seeded('share'));
    expect(shared).not.toBeNull();
    const { payload, blob } = shared!;
    expect(payload.kind).toBe(TxKind.ShareKeys);
    expect(payload.record).toEqual(RECORD_ID);
    expect(payload.readers.map(toHex)).toEqual([toHex(HOSP_C.pub)]);
    expect(payload.keys).toEqual(blob.ref);
    expect(checkBlob(blob.ref, blob.bytes)).toBeNull();
    expect(decodePayload(TxKind.ShareKeys, encodePayload(payload))).toEqual(payload);
    expect(await store.put(blob.ref, blob.bytes)).toEqual({ ok: true });
    const after: RecordOnChain = { ...rec, keySets: [...rec.keySets, { readers: payload.readers, keys: payload.keys }] };
    expect(await openRecordAs(after, HOSP_C.secret, get)).toEqual({ body: BODY, attachments: ATTACHMENTS });
    // The earlier readers still open, an outsider still does not.
    expect(await openRecordAs(after, HOSP_A.secret, get)).not.toBeNull();
    expect(await openRecordAs(after, OUTSIDER.secret, get)).toBeNull();
  });

  it('the new key blob has 80 bytes per new reader, each slot for its reader', async () => {
    const { rec, get, store } = await sealStored();
    for (const newReaders of [[HOSP_C], [HOSP_C, OUTSIDER], parties('many', 5)]) {
      const pubs = ascending(...newReaders);
      const shared = (await shareRecordKeys(rec, RECORD_ID, PATIENT.secret, pubs, get, seeded(`share-${newReaders.length}`)))!;
      expect(shared.blob.bytes).toHaveLength(WRAPPED_KEY_BYTES * newReaders.length);
      expect(shared.blob.ref.size).toBe(WRAPPED_KEY_BYTES * newReaders.length);
      await store.put(shared.blob.ref, shared.blob.bytes);
      const after: RecordOnChain = { ...rec, keySets: [...rec.keySets, { readers: shared.payload.readers, keys: shared.payload.keys }] };
      for (const p of newReaders) expect((await openRecordAs(after, p.secret, get))?.body).toEqual(BODY);
    }
  });

  it('a secret that is not a reader gets null (nothing to share)', async () => {
    const { rec, get } = await sealStored();
    expect(await shareRecordKeys(rec, RECORD_ID, OUTSIDER.secret, [HOSP_C.pub], get, seeded('x'))).toBeNull();
    expect(await shareRecordKeys(rec, RECORD_ID, HOSP_C.secret, [HOSP_C.pub], get, seeded('x'))).toBeNull();
  });

  it('after erasure of the original key blob, a shared key set still works for its readers only', async () => {
    const { rec, get, store, sealed } = await sealStored();
    const shared = (await shareRecordKeys(rec, RECORD_ID, PATIENT.secret, [HOSP_C.pub], get, seeded('later')))!;
    await store.put(shared.blob.ref, shared.blob.bytes);
    const after: RecordOnChain = { ...rec, keySets: [...rec.keySets, { readers: shared.payload.readers, keys: shared.payload.keys }] };
    await store.delete(toHex(sealed.payload.keys.hash));
    expect(await openRecordAs(after, HOSP_C.secret, get)).not.toBeNull();
    expect(await openRecordAs(after, PATIENT.secret, get)).toBeNull();
  });

  it("a reader in two key sets still opens when the first set's key blob is gone", async () => {
    const { rec, get, store, sealed } = await sealStored();
    const again = (await shareRecordKeys(rec, RECORD_ID, PATIENT.secret, ascending(PATIENT, HOSP_C), get, seeded('again')))!;
    await store.put(again.blob.ref, again.blob.bytes);
    const after: RecordOnChain = { ...rec, keySets: [...rec.keySets, { readers: again.payload.readers, keys: again.payload.keys }] };
    await store.delete(toHex(sealed.payload.keys.hash));
    expect(await openRecordAs(after, PATIENT.secret, get)).toEqual({ body: BODY, attachments: ATTACHMENTS });
    expect(await openRecordAs(after, HOSP_A.secret, get)).toBeNull();
  });

  it('a shared key set is bound to the record header (moving it to another header fails)', async () => {
    const { rec, get, store } = await sealStored();
    const shared = (await shareRecordKeys(rec, RECORD_ID, PATIENT.secret, [HOSP_C.pub], get, seeded('bound')))!;
    await store.put(shared.blob.ref, shared.blob.bytes);
    const after: RecordOnChain = { ...rec, keySets: [...rec.keySets, { readers: shared.payload.readers, keys: shared.payload.keys }] };
    expect(await recordKeyFor({ ...after, nonce: after.nonce + 1 }, HOSP_C.secret, get)).toBeNull();
  });
});

// --- headerOf ------------------------------------------------------------------------------

describe('headerOf', () => {
  it('is the payload patient, hospital and category with the transaction author and nonce', () => {
    const s = sealNewRecord(input(), seeded('hdr'));
    const h: RecordHeader = headerOf(onChain(s));
    expect(h).toEqual({
      patientId: PATIENT_ID,
      hospital: HOSPITAL,
      author: AUTHOR,
      category: Category.Imaging,
      day: recordDay(input().body.date),
      nonce: s.draft.nonce,
    });
    expect(s.payload.day).toBe(h.day);
  });
});
