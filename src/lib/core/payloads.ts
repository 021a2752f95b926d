/**
 * The payload of each transaction kind (SPEC §2 to §4), with matched
 * encode/decode pairs. Nothing readable about a patient's health is in clear
 * here: records are blob references and reader keys, purposes are codes,
 * referral notes are sealed bytes. Hospital and staff names are public
 * professional facts.
 */
import { Reader, Writer, decodeAll, encodeWith } from './encoding';
import { DecodeError } from './errors';
import { HASH_BYTES } from './hash';
import { TxKind } from './tx';
import { WRAPPED_KEY_BYTES } from './envelope';
import { assert } from './assert';

const KEY = 32;
const SIG = 64;

/** Record categories (SPEC §3); the numbers are part of the encoding. */
export const Category = {
  Consultation: 0,
  Prescription: 1,
  LabReport: 2,
  Imaging: 3,
  DischargeSummary: 4,
  Immunization: 5,
  Allergy: 6,
  Other: 7,
} as const;
export type Category = (typeof Category)[keyof typeof Category];
export const CATEGORY_COUNT = 8;
/** A consent scope: one bit per category; all bits = every category. */
export const SCOPE_ALL = 0xff;

/** Why access is asked for or given: codes, never free text on a public chain. */
export const Purpose = { Treatment: 1, Referral: 2, SecondOpinion: 3, Emergency: 4, Administration: 5 } as const;
export type Purpose = (typeof Purpose)[keyof typeof Purpose];

/**
 * The share of the hospitals whose approvals make a block final (SPEC §5),
 * chosen by the founders and recorded in every founding transaction of the
 * genesis block: more than two thirds by default, or the paper's bare
 * majority (quorum-rule.ts says what each means; docs/consensus.md why).
 */
export const QuorumRule = { TwoThirds: 0, Majority: 1 } as const;
export type QuorumRule = (typeof QuorumRule)[keyof typeof QuorumRule];

export const StaffRole = { Clinician: 1, Nurse: 2, Technician: 3, Clerk: 4 } as const;
export type StaffRole = (typeof StaffRole)[keyof typeof StaffRole];

export const MAX_NAME_BYTES = 100;
export const MAX_ATTACHMENTS = 20;
export const MAX_READERS = 64;
/**
 * Most live grants a patient may hold at once: with the patient and the
 * authoring hospital, a record's readers then always fit {@link MAX_READERS}.
 */
export const MAX_LIVE_GRANTS = MAX_READERS - 4;
export const MAX_STAFF_WRAPS = 500;
export const MAX_SEALED_NOTE = 2048;
/** The two votes of a round (docs/consensus.md): a prevote proposes, a precommit commits. */
export const VotePhase = { Prevote: 1, Precommit: 2 } as const;
export type VotePhase = (typeof VotePhase)[keyof typeof VotePhase];
/** An encoded Approval transaction is about 190 bytes; evidence carries two. */
export const MAX_EVIDENCE_TX = 512;
/** Attachments up to 10 MB each (SPEC §3), plus AEAD overhead. */
export const MAX_BLOB_BYTES = 10 * 1024 * 1024 + 64;

/**
 * Bytes before the wraps in a key blob: none. A key blob is exactly one
 * {@link WRAPPED_KEY_BYTES} wrap per reader, in the readers' order
 * (record-crypto.ts), so its size follows from the readers list alone.
 */
export const KEY_BLOB_HEADER_BYTES = 0;

/**
 * The exact size of the key blob for `readers` readers. The ledger holds
 * every AddRecord and ShareKeys to it (BAD_KEY_SIZE, issue 13): a shorter
 * blob leaves some reader, perhaps the patient, without a key to the record
 * for ever, and readers open only a blob of exactly this size
 * (record-crypto.ts `recordKeyFor`), so a longer one locks out everyone. The
 * blob store refuses bytes whose length is not the declared size, so the
 * declared size is the one to check.
 */
export function keyBlobBytes(readers: number): number {
  return KEY_BLOB_HEADER_BYTES + readers * WRAPPED_KEY_BYTES;
}

/** A content-addressed blob beside the chain: its SHA-256 and size. */
export interface BlobRef {
  readonly hash: Uint8Array;
  readonly size: number;
}

export type Payload =
  | { kind: typeof TxKind.FoundNetwork; networkName: string; hospitalName: string; dataKey: Uint8Array; quorum: QuorumRule }
  | { kind: typeof TxKind.ApplyHospital; hospitalName: string; dataKey: Uint8Array }
  | { kind: typeof TxKind.ApproveHospital; application: Uint8Array }
  | {
      kind: typeof TxKind.CertifyStaff;
      staffSign: Uint8Array;
      staffBox: Uint8Array;
      role: StaffRole;
      name: string;
      dataKeyWrap: Uint8Array;
      /** The staff key's signature of (network, hospital, staffSign, staffBox): proof the key is theirs and agrees, on this network only. */
      staffProof: Uint8Array;
    }
  | { kind: typeof TxKind.RemoveStaff; staffSign: Uint8Array; newDataKey: Uint8Array; wraps: { staffSign: Uint8Array; wrap: Uint8Array }[] }
  | { kind: typeof TxKind.RegisterPatient; boxKey: Uint8Array }
  | { kind: typeof TxKind.RotatePatientKeys; patientId: Uint8Array; newSign: Uint8Array; newBox: Uint8Array; proof: Uint8Array }
  | {
      kind: typeof TxKind.AddRecord;
      patientId: Uint8Array;
      /** Authority key of the authoring hospital; all zeros when the patient is the author. */
      hospital: Uint8Array;
      category: Category;
      body: BlobRef;
      attachments: BlobRef[];
      /** X25519 public keys the data key is wrapped to, ascending and unique. */
      readers: Uint8Array[];
      /** The blob of wrapped keys, one per reader in the same order. */
      keys: BlobRef;
    }
  | { kind: typeof TxKind.ShareKeys; record: Uint8Array; readers: Uint8Array[]; keys: BlobRef }
  | { kind: typeof TxKind.GrantConsent; grantee: Uint8Array; scope: number; purpose: Purpose; expiry: number; regarding: Uint8Array }
  | { kind: typeof TxKind.RevokeConsent; grant: Uint8Array }
  | { kind: typeof TxKind.RequestAccess; patientId: Uint8Array; hospital: Uint8Array; scope: number; purpose: Purpose }
  | { kind: typeof TxKind.Referral; patientId: Uint8Array; fromHospital: Uint8Array; toHospital: Uint8Array; sealedNote: Uint8Array }
  | { kind: typeof TxKind.EraseRecord; record: Uint8Array }
  /**
   * A validator's vote (docs/consensus.md): `phase` 1 = prevote, 2 = precommit,
   * in `round` of the agreement on `height`; `block` all zeros is a vote for no block (nil).
   */
  | { kind: typeof TxKind.Approval; block: Uint8Array; height: number; round: number; phase: VotePhase }
  /** Two encoded Approval transactions by one validator that no honest validator signs together. */
  | { kind: typeof TxKind.Evidence; first: Uint8Array; second: Uint8Array };

export type PayloadOf<K extends TxKind> = Extract<Payload, { kind: K }>;

function writeBlob(w: Writer, b: BlobRef): void {
  assert(b.size <= MAX_BLOB_BYTES, 'blob size over the limit');
  w.fixed(b.hash, HASH_BYTES).u32(b.size);
}
function writeCount(w: Writer, n: number, max: number, what: string): void {
  assert(n <= max, `${what}: ${n} over the limit ${max}`);
  w.varuint(n);
}
function readBlob(r: Reader): BlobRef {
  const hash = r.fixed(HASH_BYTES, 'blob hash');
  const at = r.offset;
  const size = r.u32('blob size');
  if (size > MAX_BLOB_BYTES) throw new DecodeError('OVERSIZE', `blob of ${size} bytes over the limit`, at);
  return { hash, size };
}
function writeKeys(w: Writer, keys: readonly Uint8Array[], max: number): void {
  writeCount(w, keys.length, max, 'keys');
  for (const k of keys) w.fixed(k, KEY);
}
function readKeys(r: Reader, max: number, what: string): Uint8Array[] {
  const n = r.count(max, what);
  return Array.from({ length: n }, () => r.fixed(KEY, what));
}
function readEnum<T extends number>(r: Reader, allowed: Record<string, T>, what: string): T {
  const at = r.offset;
  const v = r.u8(what);
  if (!(Object.values(allowed) as number[]).includes(v)) throw new DecodeError('UNKNOWN_KIND', `unknown ${what} ${v}`, at);
  return v as T;
}

/** Writes a payload's fields (the kind travels in the transaction envelope). */
export function writePayload(w: Writer, p: Payload): void {
  switch (p.kind) {
    case TxKind.FoundNetwork:
      w.string(p.networkName, MAX_NAME_BYTES).string(p.hospitalName, MAX_NAME_BYTES).fixed(p.dataKey, KEY).u8(p.quorum);
      return;
    case TxKind.ApplyHospital:
      w.string(p.hospitalName, MAX_NAME_BYTES).fixed(p.dataKey, KEY);
      return;
    case TxKind.ApproveHospital:
      w.fixed(p.application, HASH_BYTES);
      return;
    case TxKind.CertifyStaff:
      w.fixed(p.staffSign, KEY).fixed(p.staffBox, KEY).u8(p.role).string(p.name, MAX_NAME_BYTES).fixed(p.dataKeyWrap, WRAPPED_KEY_BYTES).fixed(p.staffProof, SIG);
      return;
    case TxKind.RemoveStaff:
      w.fixed(p.staffSign, KEY).fixed(p.newDataKey, KEY);
      writeCount(w, p.wraps.length, MAX_STAFF_WRAPS, 'staff wraps');
      for (const x of p.wraps) w.fixed(x.staffSign, KEY).fixed(x.wrap, WRAPPED_KEY_BYTES);
      return;
    case TxKind.RegisterPatient:
      w.fixed(p.boxKey, KEY);
      return;
    case TxKind.RotatePatientKeys:
      w.fixed(p.patientId, HASH_BYTES).fixed(p.newSign, KEY).fixed(p.newBox, KEY).fixed(p.proof, SIG);
      return;
    case TxKind.AddRecord:
      w.fixed(p.patientId, HASH_BYTES).fixed(p.hospital, KEY).u8(p.category);
      writeBlob(w, p.body);
      writeCount(w, p.attachments.length, MAX_ATTACHMENTS, 'attachments');
      for (const a of p.attachments) writeBlob(w, a);
      writeKeys(w, p.readers, MAX_READERS);
      writeBlob(w, p.keys);
      return;
    case TxKind.ShareKeys:
      w.fixed(p.record, HASH_BYTES);
      writeKeys(w, p.readers, MAX_READERS);
      writeBlob(w, p.keys);
      return;
    case TxKind.GrantConsent:
      w.fixed(p.grantee, KEY).u8(p.scope).u8(p.purpose).u64(p.expiry).fixed(p.regarding, HASH_BYTES);
      return;
    case TxKind.RevokeConsent:
      w.fixed(p.grant, HASH_BYTES);
      return;
    case TxKind.RequestAccess:
      w.fixed(p.patientId, HASH_BYTES).fixed(p.hospital, KEY).u8(p.scope).u8(p.purpose);
      return;
    case TxKind.Referral:
      w.fixed(p.patientId, HASH_BYTES).fixed(p.fromHospital, KEY).fixed(p.toHospital, KEY).bytes(p.sealedNote, MAX_SEALED_NOTE);
      return;
    case TxKind.EraseRecord:
      w.fixed(p.record, HASH_BYTES);
      return;
    case TxKind.Approval:
      w.fixed(p.block, HASH_BYTES).u32(p.height).u32(p.round).u8(p.phase);
      return;
    case TxKind.Evidence:
      w.bytes(p.first, MAX_EVIDENCE_TX).bytes(p.second, MAX_EVIDENCE_TX);
      return;
  }
}

/** Reads the payload of a transaction of `kind`; throws {@link DecodeError} on bad bytes. */
export function readPayload(r: Reader, kind: TxKind): Payload {
  switch (kind) {
    case TxKind.FoundNetwork:
      return {
        kind,
        networkName: r.string(MAX_NAME_BYTES, 'network name'),
        hospitalName: r.string(MAX_NAME_BYTES, 'hospital name'),
        dataKey: r.fixed(KEY),
        quorum: readEnum(r, QuorumRule, 'quorum rule'),
      };
    case TxKind.ApplyHospital:
      return { kind, hospitalName: r.string(MAX_NAME_BYTES, 'hospital name'), dataKey: r.fixed(KEY) };
    case TxKind.ApproveHospital:
      return { kind, application: r.fixed(HASH_BYTES) };
    case TxKind.CertifyStaff:
      return {
        kind,
        staffSign: r.fixed(KEY),
        staffBox: r.fixed(KEY),
        role: readEnum(r, StaffRole, 'staff role'),
        name: r.string(MAX_NAME_BYTES, 'staff name'),
        dataKeyWrap: r.fixed(WRAPPED_KEY_BYTES),
        staffProof: r.fixed(SIG),
      };
    case TxKind.RemoveStaff: {
      const staffSign = r.fixed(KEY);
      const newDataKey = r.fixed(KEY);
      const n = r.count(MAX_STAFF_WRAPS, 'staff wraps');
      const wraps = Array.from({ length: n }, () => ({ staffSign: r.fixed(KEY), wrap: r.fixed(WRAPPED_KEY_BYTES) }));
      return { kind, staffSign, newDataKey, wraps };
    }
    case TxKind.RegisterPatient:
      return { kind, boxKey: r.fixed(KEY) };
    case TxKind.RotatePatientKeys:
      return { kind, patientId: r.fixed(HASH_BYTES), newSign: r.fixed(KEY), newBox: r.fixed(KEY), proof: r.fixed(SIG) };
    case TxKind.AddRecord: {
      const patientId = r.fixed(HASH_BYTES);
      const hospital = r.fixed(KEY);
      const category = readEnum(r, Category, 'category');
      const body = readBlob(r);
      const n = r.count(MAX_ATTACHMENTS, 'attachments');
      const attachments = Array.from({ length: n }, () => readBlob(r));
      const readers = readKeys(r, MAX_READERS, 'readers');
      return { kind, patientId, hospital, category, body, attachments, readers, keys: readBlob(r) };
    }
    case TxKind.ShareKeys:
      return { kind, record: r.fixed(HASH_BYTES), readers: readKeys(r, MAX_READERS, 'readers'), keys: readBlob(r) };
    case TxKind.GrantConsent:
      return {
        kind,
        grantee: r.fixed(KEY),
        scope: r.u8('scope'),
        purpose: readEnum(r, Purpose, 'purpose'),
        expiry: r.u64('expiry'),
        regarding: r.fixed(HASH_BYTES),
      };
    case TxKind.RevokeConsent:
      return { kind, grant: r.fixed(HASH_BYTES) };
    case TxKind.RequestAccess:
      return { kind, patientId: r.fixed(HASH_BYTES), hospital: r.fixed(KEY), scope: r.u8('scope'), purpose: readEnum(r, Purpose, 'purpose') };
    case TxKind.Referral:
      return { kind, patientId: r.fixed(HASH_BYTES), fromHospital: r.fixed(KEY), toHospital: r.fixed(KEY), sealedNote: r.bytes(MAX_SEALED_NOTE, 'note') };
    case TxKind.EraseRecord:
      return { kind, record: r.fixed(HASH_BYTES) };
    case TxKind.Approval: {
      const block = r.fixed(HASH_BYTES);
      const height = r.u32('approved height');
      const round = r.u32('round');
      return { kind, block, height, round, phase: readEnum(r, VotePhase, 'vote phase') };
    }
    case TxKind.Evidence:
      return { kind, first: r.bytes(MAX_EVIDENCE_TX, 'evidence'), second: r.bytes(MAX_EVIDENCE_TX, 'evidence') };
  }
}

export function encodePayload(p: Payload): Uint8Array {
  return encodeWith(writePayload, p);
}

/** Decodes a payload of `kind` from all of `bytes`. */
export function decodePayload(kind: TxKind, bytes: Uint8Array): Payload {
  return decodeAll(bytes, (r) => readPayload(r, kind), 'payload');
}
