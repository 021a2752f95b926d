/**
 * Fuzzing records as they come from peers (issue 13): the record body
 * decoder, and opening sealed blobs — bodies, attachments and key blobs a
 * peer served, or a record a hostile author sealed properly around garbage.
 *
 * Budgets:
 * - decodeRecordBody throws only DecodeError; canonical; holds ≤ 1 byte per
 *   input byte + 16; ≤ 6 Reader operations per input byte + 8;
 * - openRecord, unwrapKey, unwrapWithShared never throw (null for anything
 *   that does not open); openRecordAs never rejects (null);
 * - what opens holds no more than the sealed bytes it came from (an AEAD
 *   opening is the ciphertext less its nonce and tag).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { x25519 } from '@noble/curves/ed25519.js';
import { blobRefOf } from '../../../src/lib/core/blobs';
import { compareBytes } from '../../../src/lib/core/bytes';
import { NONCE_BYTES, WRAPPED_KEY_BYTES, openRecord, sealRecord, unwrapKey, unwrapWithShared } from '../../../src/lib/core/envelope';
import { Category } from '../../../src/lib/core/payloads';
import { Prng } from '../../../src/lib/core/prng';
import { type RecordBody, decodeRecordBody, encodeRecordBody, encodeRecordHeader } from '../../../src/lib/core/record';
import { type RecordOnChain, headerOf, openRecordAs, sealNewRecord } from '../../../src/lib/core/record-crypto';
import { heldBytes } from './support/budget';
import { decoderProperties } from './support/decoder-suite';
import { applyMutation, mutant, mutation } from './support/mutate';

const BODY: RecordBody = {
  title: 'Chest X-ray',
  date: '2026-05-02',
  authorName: 'Dr. A. Rao',
  fields: [
    { name: 'Finding', value: 'No consolidation' },
    { name: 'Hb', value: '12.9 g/dL' },
  ],
  text: 'Lungs clear. पुनः जाँच नहीं चाहिए. 🫁',
  attachments: [
    { name: 'xray.png', mime: 'image/png', size: 5 },
    { name: 'report.pdf', mime: 'application/pdf', size: 7 },
  ],
};

describe('fuzz: decodeRecordBody', () => {
  decoderProperties({
    decode: decodeRecordBody,
    encode: encodeRecordBody,
    seeds: [encodeRecordBody(BODY), encodeRecordBody({ ...BODY, fields: [], attachments: [], text: '' })],
  });
});

const random = (seed: string) => {
  const p = new Prng(`fuzz-records/${seed}`);
  return (n: number) => p.bytes(n);
};
const party = (seed: string) => {
  const secret = random(seed)(32);
  return { secret, pub: x25519.getPublicKey(secret) };
};
const [PATIENT, HOSPITAL] = [party('patient'), party('hospital')];
const ATTACHMENTS = [Uint8Array.of(1, 2, 3, 4, 5), Uint8Array.of(9, 8, 7, 6, 5, 4, 3)];
const sealed = sealNewRecord(
  {
    patientId: new Uint8Array(32).fill(0x11),
    hospital: new Uint8Array(32).fill(0x22),
    author: new Uint8Array(32).fill(0x33),
    category: Category.Imaging,
    body: BODY,
    attachments: ATTACHMENTS,
    readers: [PATIENT.pub, HOSPITAL.pub].sort(compareBytes),
    time: 1_780_000_000,
  },
  random('seal'),
);
/** The data key sealNewRecord drew: its second draw, after the 8 bytes of nonce. */
const DATA_KEY = (() => {
  const r = random('seal');
  r(8);
  return r(32);
})();
const record: RecordOnChain = {
  payload: sealed.payload,
  author: new Uint8Array(32).fill(0x33),
  nonce: sealed.draft.nonce,
  keySets: [{ readers: sealed.payload.readers, keys: sealed.payload.keys }],
};
const BLOBS = sealed.blobs.map((b) => b.bytes);

describe('fuzz: opening sealed blobs from peers', () => {
  it('the unmutated record opens (the fixture is right)', async () => {
    const get = async (ref: { hash: Uint8Array }) => sealed.blobs.find((b) => compareBytes(b.ref.hash, ref.hash) === 0)?.bytes ?? null;
    expect(await openRecordAs(record, PATIENT.secret, get)).toEqual({ body: BODY, attachments: ATTACHMENTS });
  });

  it('openRecord, unwrapKey and unwrapWithShared: arbitrary or mutated bytes give null or bytes, never a throw', () => {
    const wraps = [BLOBS.at(-1)!.subarray(0, WRAPPED_KEY_BYTES), BLOBS.at(-1)!.subarray(WRAPPED_KEY_BYTES)];
    const sealedOrAny = fc.oneof(
      mutant(BLOBS).map((m) => m.bytes),
      fc.uint8Array({ maxLength: 200 }),
    );
    const wrapOrAny = fc.oneof(
      mutant(wraps).map((m) => m.bytes),
      fc.uint8Array({ minLength: 80, maxLength: 80 }),
      fc.uint8Array({ maxLength: 100 }),
    );
    const key32 = fc.oneof(fc.constant(DATA_KEY), fc.uint8Array({ minLength: 32, maxLength: 32 }), fc.uint8Array({ maxLength: 40 }));
    fc.assert(
      fc.property(sealedOrAny, wrapOrAny, key32, fc.uint8Array({ maxLength: 120 }), (blob, wrap, key, context) => {
        const opened = openRecord(key, context, blob);
        if (opened) expect(opened.length).toBe(blob.length - NONCE_BYTES - 16);
        const unwrapped = unwrapKey(wrap, key, context);
        if (unwrapped) expect(unwrapped.length).toBe(32);
        const withShared = unwrapWithShared(wrap, key, PATIENT.pub, context);
        if (withShared) expect(withShared.length).toBe(32);
      }),
      { numRuns: 300 },
    );
  });

  it('openRecordAs over blobs a peer mutated, or a body sealed around garbage by its author: null or the record, never a throw', async () => {
    const aad = encodeRecordHeader(headerOf(record));
    // A hostile author knows the data key: a body that opens, whose plaintext is anything at all.
    const garbageBody = fc.oneof(
      mutant([encodeRecordBody(BODY)]).map((m) => m.bytes),
      fc.uint8Array({ maxLength: 300 }),
    );
    await fc.assert(
      fc.asyncProperty(fc.nat({ max: BLOBS.length }), fc.array(mutation, { maxLength: 3 }), garbageBody, async (which, ms, plain) => {
        const served = BLOBS.map((b, i) => (i === which ? ms.reduce(applyMutation, b) : b));
        if (which === BLOBS.length) served[0] = sealRecord(DATA_KEY, random('nonce')(NONCE_BYTES), aad, plain);
        const byHash = new Map(sealed.blobs.map((b, i) => [b.ref.hash.join(), served[i]!]));
        const get = async (ref: { hash: Uint8Array }) => byHash.get(ref.hash.join()) ?? null;
        const opened = await openRecordAs(record, HOSPITAL.secret, get);
        if (opened) expect(heldBytes(opened)).toBeLessThanOrEqual(served.reduce((n, b) => n + b.length, 0));
        const untouched = ms.length === 0 && which < BLOBS.length;
        if (untouched) expect(opened).toEqual({ body: BODY, attachments: ATTACHMENTS });
      }),
      { numRuns: 150 },
    );
  });

  it('a key blob of another size is not opened, whatever it holds', async () => {
    const keys = BLOBS.at(-1)!;
    for (const bad of [keys.subarray(0, WRAPPED_KEY_BYTES), Uint8Array.from([...keys, 0])]) {
      const get = async (ref: { hash: Uint8Array }) =>
        compareBytes(ref.hash, sealed.payload.keys.hash) === 0 ? bad : sealed.blobs.find((b) => compareBytes(b.ref.hash, ref.hash) === 0)!.bytes;
      expect(await openRecordAs(record, PATIENT.secret, get)).toBeNull();
    }
    expect(blobRefOf(keys).size).toBe(2 * WRAPPED_KEY_BYTES);
  });
});
