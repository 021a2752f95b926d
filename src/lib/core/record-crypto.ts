/**
 * Sealing, opening and sharing records (SPEC §3): the body and each
 * attachment are encrypted under one random data key with the record header
 * as associated data (attachments add their index); the data key is wrapped
 * to each reader into a key blob, one 80-byte wrap per reader in the order of
 * the readers list. A grant or a key rotation adds further key blobs. The
 * caller brings randomness; nothing here reads a clock or a random source.
 */
import { x25519 } from '@noble/curves/ed25519.js';
import { blobRefOf } from './blobs';
import { bytesEqual, concatBytes } from './bytes';
import { WRAPPED_KEY_BYTES, openRecord, sealRecord, unwrapKey, wrapKey, NONCE_BYTES, DATA_KEY_BYTES } from './envelope';
import { type BlobRef, type Category, type PayloadOf, encodePayload } from './payloads';
import { type RecordBody, type RecordHeader, decodeRecordBody, encodeRecordBody, encodeRecordHeader, recordContext, recordDay } from './record';
import { TxKind } from './tx';
import type { UnsignedTx } from './sign-tx';

/** Random bytes from the caller (crypto.getRandomValues in the browser). */
export type RandomBytes = (n: number) => Uint8Array;

export interface NewRecord {
  readonly patientId: Uint8Array;
  /** Authority key of the authoring hospital, or all zeros for the patient's own record. */
  readonly hospital: Uint8Array;
  /** The signing key that will sign the transaction. */
  readonly author: Uint8Array;
  readonly category: Category;
  readonly body: RecordBody;
  readonly attachments: readonly Uint8Array[];
  /** X25519 keys to wrap to: ascending, unique (the ledger's requiredReaders for the body's date). */
  readonly readers: readonly Uint8Array[];
  /** Creation time for the transaction, seconds. */
  readonly time: number;
}

export interface SealedRecord {
  /** The transaction to sign (its nonce is bound into the encryption). */
  readonly draft: UnsignedTx;
  readonly payload: PayloadOf<typeof TxKind.AddRecord>;
  /** Blobs to store beside the chain: sealed body, sealed attachments, key blob. */
  readonly blobs: readonly { readonly ref: BlobRef; readonly bytes: Uint8Array }[];
}

function attachmentAad(header: Uint8Array, index: number): Uint8Array {
  return concatBytes(header, new Uint8Array([index >> 8, index & 0xff]));
}

function keyBlob(dataKey: Uint8Array, readers: readonly Uint8Array[], context: Uint8Array, random: RandomBytes): Uint8Array {
  return concatBytes(
    ...readers.map((r) => {
      const ephemeral = random(32);
      const wrapped = wrapKey(dataKey, r, ephemeral, context);
      ephemeral.fill(0);
      return wrapped;
    }),
  );
}

/** Encrypts a new record for its readers and drafts its AddRecord transaction. */
export function sealNewRecord(input: NewRecord, random: RandomBytes): SealedRecord {
  const rb = random(8);
  const nb = new DataView(rb.buffer, rb.byteOffset, 8);
  const nonce = (nb.getUint32(0) & 0x1fffff) * 2 ** 32 + nb.getUint32(4);
  const day = recordDay(input.body.date);
  const header: RecordHeader = { patientId: input.patientId, hospital: input.hospital, author: input.author, category: input.category, day, nonce };
  const aad = encodeRecordHeader(header);
  const dataKey = random(DATA_KEY_BYTES);
  const body = sealRecord(dataKey, random(NONCE_BYTES), aad, encodeRecordBody(input.body));
  const attachments = input.attachments.map((a, i) => sealRecord(dataKey, random(NONCE_BYTES), attachmentAad(aad, i), a));
  const keys = keyBlob(dataKey, input.readers, recordContext(header), random);
  dataKey.fill(0);
  const payload: PayloadOf<typeof TxKind.AddRecord> = {
    kind: TxKind.AddRecord,
    patientId: input.patientId,
    hospital: input.hospital,
    category: input.category,
    day,
    body: blobRefOf(body),
    attachments: attachments.map(blobRefOf),
    readers: [...input.readers],
    keys: blobRefOf(keys),
  };
  return {
    draft: { kind: TxKind.AddRecord, nonce, time: input.time, payload: encodePayload(payload) },
    payload,
    blobs: [body, ...attachments, keys].map((bytes) => ({ ref: blobRefOf(bytes), bytes })),
  };
}

/** A record as the chain shows it: its AddRecord payload, author and nonce, and every key set. */
export interface RecordOnChain {
  readonly payload: PayloadOf<typeof TxKind.AddRecord>;
  readonly author: Uint8Array;
  readonly nonce: number;
  /** The original readers and keys, then those of every ShareKeys for it. */
  readonly keySets: readonly { readonly readers: readonly Uint8Array[]; readonly keys: BlobRef }[];
}

/** Blob lookup (a BlobStore's get, or a map in tests). */
export type GetBlob = (ref: BlobRef) => Promise<Uint8Array | null>;

export function headerOf(r: RecordOnChain): RecordHeader {
  return { patientId: r.payload.patientId, hospital: r.payload.hospital, author: r.author, category: r.payload.category, day: r.payload.day, nonce: r.nonce };
}

/**
 * A reader whose X25519 secret may live outside this code (a WebCrypto key):
 * its public key and a way to unwrap one 80-byte wrap bound to `context`.
 */
export interface RecordReader {
  readonly publicKey: Uint8Array;
  unwrap(wrapped: Uint8Array, context: Uint8Array): Promise<Uint8Array | null>;
}

/** A {@link RecordReader} over raw X25519 secret bytes. */
export function secretReader(secret: Uint8Array): RecordReader {
  return { publicKey: x25519.getPublicKey(secret), unwrap: async (w, c) => unwrapKey(w, secret, c) };
}

const asReader = (r: Uint8Array | RecordReader): RecordReader => (r instanceof Uint8Array ? secretReader(r) : r);

/** The record's data key for the holder of `reader` (a secret or a {@link RecordReader}), or null when they are not a reader (or blobs are gone). */
export async function recordKeyFor(r: RecordOnChain, reader: Uint8Array | RecordReader, getBlob: GetBlob): Promise<Uint8Array | null> {
  const who = asReader(reader);
  const context = recordContext(headerOf(r));
  for (const set of r.keySets) {
    const slot = set.readers.findIndex((k) => bytesEqual(k, who.publicKey));
    if (slot < 0) continue;
    const blob = await getBlob(set.keys);
    if (!blob || blob.length !== set.readers.length * WRAPPED_KEY_BYTES) continue;
    const key = await who.unwrap(blob.subarray(slot * WRAPPED_KEY_BYTES, (slot + 1) * WRAPPED_KEY_BYTES), context);
    if (key) return key;
  }
  return null;
}

/** Decrypts a record for a reader: its body and attachments, or null when they cannot read it. */
export async function openRecordAs(
  r: RecordOnChain,
  reader: Uint8Array | RecordReader,
  getBlob: GetBlob,
): Promise<{ body: RecordBody; attachments: Uint8Array[] } | null> {
  const key = await recordKeyFor(r, reader, getBlob);
  if (!key) return null;
  try {
    const aad = encodeRecordHeader(headerOf(r));
    const sealed = await getBlob(r.payload.body);
    const plain = sealed && openRecord(key, aad, sealed);
    if (!plain) return null;
    const attachments: Uint8Array[] = [];
    for (let i = 0; i < r.payload.attachments.length; i++) {
      const blob = await getBlob(r.payload.attachments[i]!);
      const a = blob && openRecord(key, attachmentAad(aad, i), blob);
      if (!a) return null;
      attachments.push(a);
    }
    return { body: decodeRecordBody(plain), attachments };
  } catch {
    return null;
  } finally {
    key.fill(0);
  }
}

/**
 * Re-wraps a record's data key to new readers (a grant, a referral's
 * consent, a passphrase change): the patient unwraps with their box secret.
 * Returns the ShareKeys payload and its key blob, or null if the patient
 * cannot read the record.
 */
export async function shareRecordKeys(
  r: RecordOnChain,
  recordId: Uint8Array,
  patientBox: Uint8Array | RecordReader,
  newReaders: readonly Uint8Array[],
  getBlob: GetBlob,
  random: RandomBytes,
): Promise<{ payload: PayloadOf<typeof TxKind.ShareKeys>; blob: { ref: BlobRef; bytes: Uint8Array } } | null> {
  const key = await recordKeyFor(r, patientBox, getBlob);
  if (!key) return null;
  const bytes = keyBlob(key, newReaders, recordContext(headerOf(r)), random);
  key.fill(0);
  const ref = blobRefOf(bytes);
  return { payload: { kind: TxKind.ShareKeys, record: recordId, readers: [...newReaders], keys: ref }, blob: { ref, bytes } };
}
