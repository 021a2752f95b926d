/**
 * Transaction payloads (SPEC §2 to §5): every kind round-trips through its
 * canonical encoding; decoding refuses trailing bytes, truncation, unknown
 * category / purpose / role codes, and lists or strings over their explicit
 * limits, the limit checked before anything is read or allocated.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { AssertionError } from '../../../src/lib/core/assert';
import { concatBytes, utf8 } from '../../../src/lib/core/bytes';
import { Writer } from '../../../src/lib/core/encoding';
import { DecodeError } from '../../../src/lib/core/errors';
import { HolderRole } from '../../../src/lib/core/kinds/set-recovery';
import {
  AccessMode,
  type BlobRef,
  CATEGORY_COUNT,
  Category,
  EmergencyReason,
  MAX_SEALED_SHARE,
  ReviewOutcome,
  MAX_ATTACHMENTS,
  MAX_BLOB_BYTES,
  MAX_NAME_BYTES,
  MAX_READERS,
  MAX_SEALED_NOTE,
  MAX_STAFF_WRAPS,
  type Payload,
  Purpose,
  StaffRole,
  VotePhase,
  decodePayload,
  encodePayload,
  QuorumRule,
} from '../../../src/lib/core/payloads';
import { WRAPPED_KEY_BYTES } from '../../../src/lib/core/envelope';
import { TxKind } from '../../../src/lib/core/tx';
import { decodeCode } from './codes';

const bytes = (n: number) => fc.uint8Array({ minLength: n, maxLength: n });
const key = bytes(32);
const hash = bytes(32);
const name = fc.string({ unit: 'grapheme', maxLength: 40 }).filter((s) => utf8(s).length <= MAX_NAME_BYTES);
const blob: fc.Arbitrary<BlobRef> = fc.record({ hash, size: fc.integer({ min: 0, max: MAX_BLOB_BYTES }) });
const category = fc.constantFrom(...(Object.values(Category) as Category[]));
const purpose = fc.constantFrom(...(Object.values(Purpose) as Purpose[]));
const role = fc.constantFrom(...(Object.values(StaffRole) as StaffRole[]));
const keys = fc.array(key, { maxLength: MAX_READERS });
const u53 = fc.maxSafeNat();
const day = fc.nat({ max: 0xffffffff });
const mode = fc.constantFrom(...(Object.values(AccessMode) as AccessMode[]));

/** An arbitrary payload of each kind, every field over its whole range. */
const ARBS: { [K in TxKind]: fc.Arbitrary<Extract<Payload, { kind: K }>> } = {
  [TxKind.FoundNetwork]: fc.record({
    kind: fc.constant(TxKind.FoundNetwork),
    networkName: name,
    hospitalName: name,
    dataKey: key,
    quorum: fc.constantFrom(QuorumRule.TwoThirds, QuorumRule.Majority),
  }),
  [TxKind.ApplyHospital]: fc.record({ kind: fc.constant(TxKind.ApplyHospital), hospitalName: name, dataKey: key }),
  [TxKind.ApproveHospital]: fc.record({ kind: fc.constant(TxKind.ApproveHospital), application: hash }),
  [TxKind.CertifyStaff]: fc.record({
    kind: fc.constant(TxKind.CertifyStaff),
    staffSign: key,
    staffBox: key,
    role,
    name,
    dataKeyWrap: bytes(WRAPPED_KEY_BYTES),
    staffProof: bytes(64),
  }),
  [TxKind.RemoveStaff]: fc.record({
    kind: fc.constant(TxKind.RemoveStaff),
    staffSign: key,
    newDataKey: key,
    wraps: fc.array(fc.record({ staffSign: key, wrap: bytes(WRAPPED_KEY_BYTES) }), { maxLength: 12 }),
  }),
  [TxKind.RegisterPatient]: fc.record({ kind: fc.constant(TxKind.RegisterPatient), boxKey: key }),
  [TxKind.RotatePatientKeys]: fc.record({ kind: fc.constant(TxKind.RotatePatientKeys), patientId: hash, newSign: key, newBox: key, proof: bytes(64) }),
  [TxKind.AddRecord]: fc.record({
    kind: fc.constant(TxKind.AddRecord),
    patientId: hash,
    hospital: key,
    category,
    day,
    body: blob,
    attachments: fc.array(blob, { maxLength: MAX_ATTACHMENTS }),
    readers: keys,
    keys: blob,
  }),
  [TxKind.ShareKeys]: fc.record({ kind: fc.constant(TxKind.ShareKeys), record: hash, readers: keys, keys: blob }),
  [TxKind.GrantConsent]: fc.record({
    kind: fc.constant(TxKind.GrantConsent),
    grantee: key,
    scope: fc.integer({ min: 0, max: 255 }),
    purpose,
    from: day,
    to: day,
    expiry: u53,
    eraseBy: u53,
    mode,
    regarding: hash,
  }),
  [TxKind.RevokeConsent]: fc.record({ kind: fc.constant(TxKind.RevokeConsent), grant: hash }),
  [TxKind.RequestAccess]: fc.record({
    kind: fc.constant(TxKind.RequestAccess),
    patientId: hash,
    hospital: key,
    scope: fc.integer({ min: 0, max: 255 }),
    purpose,
    from: day,
    to: day,
    expiry: u53,
    mode,
    answerBy: u53,
  }),
  [TxKind.Referral]: fc.record({
    kind: fc.constant(TxKind.Referral),
    patientId: hash,
    fromHospital: key,
    toHospital: key,
    sealedNote: fc.uint8Array({ maxLength: MAX_SEALED_NOTE }),
  }),
  [TxKind.EraseRecord]: fc.record({ kind: fc.constant(TxKind.EraseRecord), record: hash }),
  [TxKind.Approval]: fc.record({
    kind: fc.constant(TxKind.Approval),
    block: hash,
    height: fc.nat({ max: 0xffffffff }),
    round: fc.nat({ max: 0xffffffff }),
    phase: fc.constantFrom(VotePhase.Prevote, VotePhase.Precommit),
  }),
  [TxKind.Evidence]: fc.record({ kind: fc.constant(TxKind.Evidence), first: fc.uint8Array({ maxLength: 512 }), second: fc.uint8Array({ maxLength: 512 }) }),
  [TxKind.RefuseRequest]: fc.record({ kind: fc.constant(TxKind.RefuseRequest), regarding: hash }),
  [TxKind.DelegateAccess]: fc.record({
    kind: fc.constant(TxKind.DelegateAccess),
    caregiver: hash,
    scope: fc.integer({ min: 0, max: 255 }),
    from: day,
    to: day,
    expiry: u53,
  }),
  [TxKind.AttestGuardian]: fc.record({
    kind: fc.constant(TxKind.AttestGuardian),
    hospital: key,
    minor: hash,
    guardian: hash,
    until: day,
  }),
  [TxKind.SetRecovery]: fc.record({
    kind: fc.constant(TxKind.SetRecovery),
    threshold: fc.integer({ min: 0, max: 255 }),
    paper: fc.constantFrom(0, 1),
    shares: fc.array(
      fc.record({ role: fc.constantFrom(HolderRole.Patient, HolderRole.Hospital), holder: key, sealed: fc.uint8Array({ maxLength: MAX_SEALED_SHARE }) }),
      {
        maxLength: 8,
      },
    ),
  }),
  [TxKind.AskRecovery]: fc.record({ kind: fc.constant(TxKind.AskRecovery), patientId: hash, box: key, answerBy: u53 }),
  [TxKind.ReleaseRecoveryShare]: fc.record({
    kind: fc.constant(TxKind.ReleaseRecoveryShare),
    patientId: hash,
    ask: hash,
    sealed: fc.uint8Array({ maxLength: MAX_SEALED_SHARE }),
  }),
  [TxKind.SetEmergencyAccess]: fc.record({
    kind: fc.constant(TxKind.SetEmergencyAccess),
    allowed: fc.boolean(),
    scope: fc.integer({ min: 0, max: 255 }),
    key,
    threshold: fc.integer({ min: 0, max: 255 }),
    shares: fc.array(fc.record({ hospital: key, sealed: fc.uint8Array({ maxLength: MAX_SEALED_SHARE }) }), { maxLength: 8 }),
    nominee: key,
  }),
  [TxKind.EmergencyAccess]: fc.record({
    kind: fc.constant(TxKind.EmergencyAccess),
    patientId: hash,
    hospital: key,
    reason: fc.constantFrom(...(Object.values(EmergencyReason) as EmergencyReason[])),
    sealedNote: fc.uint8Array({ maxLength: MAX_SEALED_NOTE }),
  }),
  [TxKind.ReleaseShare]: fc.record({
    kind: fc.constant(TxKind.ReleaseShare),
    patientId: hash,
    access: hash,
    sealed: fc.uint8Array({ maxLength: MAX_SEALED_SHARE }),
  }),
  [TxKind.ReviewEmergency]: fc.record({
    kind: fc.constant(TxKind.ReviewEmergency),
    patientId: hash,
    access: hash,
    outcome: fc.constantFrom(...(Object.values(ReviewOutcome) as ReviewOutcome[])),
    sealedNote: fc.uint8Array({ maxLength: MAX_SEALED_NOTE }),
  }),
};

const KINDS = Object.entries(TxKind).map(([n, k]) => [n, k, ARBS[k] as fc.Arbitrary<Payload>] as const);

describe('every payload kind round-trips', () => {
  it('the table covers every kind', () => {
    expect(
      Object.keys(ARBS)
        .map(Number)
        .sort((a, b) => a - b),
    ).toEqual(Object.values(TxKind).sort((a, b) => a - b));
  });

  it.each(KINDS)('%s: decode(encode(p)) = p and encode(decode(b)) = b', (_n, kind, arb) => {
    fc.assert(
      fc.property(arb, (p) => {
        const b = encodePayload(p);
        const back = decodePayload(kind, b);
        expect(back).toEqual(p);
        expect(encodePayload(back)).toEqual(b);
      }),
      { numRuns: 60 },
    );
  });

  it.each(KINDS)('%s: a trailing byte is refused (TRAILING_BYTES)', (_n, kind, arb) => {
    fc.assert(
      fc.property(arb, fc.uint8Array({ minLength: 1, maxLength: 4 }), (p, extra) => {
        expect(decodeCode(() => decodePayload(kind, concatBytes(encodePayload(p), extra)))).toBe('TRAILING_BYTES');
      }),
      { numRuns: 30 },
    );
  });

  it.each(KINDS)('%s: every strict prefix is refused (TRUNCATED)', (_n, kind, arb) => {
    fc.assert(
      fc.property(arb, fc.nat(), (p, cut) => {
        const b = encodePayload(p);
        expect(decodeCode(() => decodePayload(kind, b.subarray(0, cut % b.length)))).toBe('TRUNCATED');
      }),
      { numRuns: 30 },
    );
  });

  it('boundary values: names of exactly MAX_NAME_BYTES, full lists, the largest blob', () => {
    const fullName = 'é'.repeat(MAX_NAME_BYTES / 2);
    const k = new Uint8Array(32).fill(7);
    const cases: Payload[] = [
      { kind: TxKind.FoundNetwork, networkName: fullName, hospitalName: 'x'.repeat(MAX_NAME_BYTES), dataKey: k, quorum: QuorumRule.Majority },
      {
        kind: TxKind.AddRecord,
        patientId: k,
        hospital: k,
        category: Category.Other,
        day: 0xffffffff,
        body: { hash: k, size: MAX_BLOB_BYTES },
        attachments: Array.from({ length: MAX_ATTACHMENTS }, () => ({ hash: k, size: 0 })),
        readers: Array.from({ length: MAX_READERS }, () => k),
        keys: { hash: k, size: 1 },
      },
      {
        kind: TxKind.RemoveStaff,
        staffSign: k,
        newDataKey: k,
        wraps: Array.from({ length: MAX_STAFF_WRAPS }, () => ({ staffSign: k, wrap: new Uint8Array(WRAPPED_KEY_BYTES) })),
      },
      { kind: TxKind.Referral, patientId: k, fromHospital: k, toHospital: k, sealedNote: new Uint8Array(MAX_SEALED_NOTE) },
      {
        kind: TxKind.GrantConsent,
        grantee: k,
        scope: 255,
        purpose: Purpose.PatientRequest,
        from: 0xffffffff,
        to: 0xffffffff,
        expiry: Number.MAX_SAFE_INTEGER,
        eraseBy: Number.MAX_SAFE_INTEGER,
        mode: AccessMode.Download,
        regarding: k,
      },
    ];
    for (const p of cases) expect(decodePayload(p.kind, encodePayload(p))).toEqual(p);
  });
});

/** Valid encodings with one byte at `offset` replaced by `v`. */
function withByte(p: Payload, offset: number, v: number): Uint8Array {
  const b = encodePayload(p);
  b[offset] = v;
  return b;
}

describe('unknown codes are refused (UNKNOWN_KIND)', () => {
  const k = new Uint8Array(32).fill(1);
  const record: Payload = {
    kind: TxKind.AddRecord,
    patientId: k,
    hospital: k,
    category: Category.Consultation,
    day: 1,
    body: { hash: k, size: 1 },
    attachments: [],
    readers: [k],
    keys: { hash: k, size: 80 },
  };
  const grant: Payload = {
    kind: TxKind.GrantConsent,
    grantee: k,
    scope: 1,
    purpose: Purpose.Treatment,
    from: 0,
    to: 9,
    expiry: 5,
    eraseBy: 5,
    mode: AccessMode.View,
    regarding: k,
  };
  const request: Payload = {
    kind: TxKind.RequestAccess,
    patientId: k,
    hospital: k,
    scope: 1,
    purpose: Purpose.Treatment,
    from: 0,
    to: 9,
    expiry: 5,
    mode: AccessMode.View,
    answerBy: 5,
  };
  const certify: Payload = {
    kind: TxKind.CertifyStaff,
    staffSign: k,
    staffBox: k,
    role: StaffRole.Nurse,
    name: 'N',
    dataKeyWrap: new Uint8Array(WRAPPED_KEY_BYTES),
    staffProof: new Uint8Array(64),
  };
  // The known codes, written out: they are part of the encoding, not whatever the tables hold today.
  const table = [
    // [what, payload, byte offset, the known codes]
    ['category of a record', record, 64, [0, 1, 2, 3, 4, 5, 6, 7]],
    ['purpose of a grant', grant, 33, [1, 2, 3, 4, 5, 6, 7, 8]],
    ['access mode of a grant', grant, 58, [0, 1]],
    ['purpose of a request', request, 65, [1, 2, 3, 4, 5, 6, 7, 8]],
    ['access mode of a request', request, 82, [0, 1]],
    ['role of a staff member', certify, 64, [1, 2, 3, 4]],
  ] as const;

  it.each(table)('%s: every known code decodes, every other byte value is refused', (_what, p, offset, known) => {
    for (let v = 0; v < 256; v++) {
      const b = withByte(p, offset, v);
      if ((known as readonly number[]).includes(v)) expect(encodePayload(decodePayload(p.kind, b))).toEqual(b);
      else expect(decodeCode(() => decodePayload(p.kind, b))).toBe('UNKNOWN_KIND');
    }
  });

  it('the code tables are exactly the encoding numbers', () => {
    expect(Category).toEqual({ Consultation: 0, Prescription: 1, LabReport: 2, Imaging: 3, DischargeSummary: 4, Immunization: 5, Allergy: 6, Other: 7 });
    expect(CATEGORY_COUNT).toBe(8);
    expect(Purpose).toEqual({ Treatment: 1, Referral: 2, SecondOpinion: 3, Emergency: 4, Payment: 5, PublicHealth: 6, Research: 7, PatientRequest: 8 });
    expect(AccessMode).toEqual({ View: 0, Download: 1 });
    expect(StaffRole).toEqual({ Clinician: 1, Nurse: 2, Technician: 3, Clerk: 4 });
  });
});

describe('oversize lists and strings are refused before anything is read (OVERSIZE)', () => {
  const k = new Uint8Array(32).fill(3);
  const head = (write: (w: Writer) => void) => {
    const w = new Writer();
    write(w);
    return w.finish();
  };
  const prefixes = {
    // Everything before the readers count of a record with no attachments.
    recordReaders: head((w) => w.fixed(k, 32).fixed(k, 32).u8(0).u32(1).fixed(k, 32).u32(1).varuint(0)),
    recordAttachments: head((w) => w.fixed(k, 32).fixed(k, 32).u8(0).u32(1).fixed(k, 32).u32(1)),
    shareReaders: head((w) => w.fixed(k, 32)),
    staffWraps: head((w) => w.fixed(k, 32).fixed(k, 32)),
    referralNote: head((w) => w.fixed(k, 32).fixed(k, 32).fixed(k, 32)),
  };
  const varuint = (n: number) => head((w) => w.varuint(n));
  const table = [
    ['readers of a record', TxKind.AddRecord, prefixes.recordReaders, MAX_READERS],
    ['attachments of a record', TxKind.AddRecord, prefixes.recordAttachments, MAX_ATTACHMENTS],
    ['readers of a key share', TxKind.ShareKeys, prefixes.shareReaders, MAX_READERS],
    ['wraps of a staff removal', TxKind.RemoveStaff, prefixes.staffWraps, MAX_STAFF_WRAPS],
    ['sealed note of a referral', TxKind.Referral, prefixes.referralNote, MAX_SEALED_NOTE],
    ['hospital name of an application', TxKind.ApplyHospital, new Uint8Array(0), MAX_NAME_BYTES],
    ['network name of a founding', TxKind.FoundNetwork, new Uint8Array(0), MAX_NAME_BYTES],
  ] as const;

  it.each(table)('%s: limit + 1 with nothing after the count', (_what, kind, prefix, max) => {
    // Only the count is there: a decoder that read items first would say TRUNCATED.
    expect(decodeCode(() => decodePayload(kind, concatBytes(prefix, varuint(max + 1))))).toBe('OVERSIZE');
  });

  it.each(table)('%s: a count of 2^53 - 1 is refused without allocating', (_what, kind, prefix) => {
    expect(decodeCode(() => decodePayload(kind, concatBytes(prefix, varuint(Number.MAX_SAFE_INTEGER))))).toBe('OVERSIZE');
  });

  it.each(table)('%s: exactly the limit is not OVERSIZE', (_what, kind, prefix, max) => {
    // The items are missing, so the decoder goes on to read them and runs out.
    expect(decodeCode(() => decodePayload(kind, concatBytes(prefix, varuint(max))))).toBe('TRUNCATED');
  });

  it('a blob over MAX_BLOB_BYTES', () => {
    const p: Payload = { kind: TxKind.ShareKeys, record: k, readers: [k], keys: { hash: k, size: MAX_BLOB_BYTES } };
    const b = encodePayload(p);
    const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
    view.setUint32(b.length - 4, MAX_BLOB_BYTES + 1);
    expect(decodeCode(() => decodePayload(TxKind.ShareKeys, b))).toBe('OVERSIZE');
  });

  it('a name over MAX_NAME_BYTES is refused by the encoder too', () => {
    expect(() => encodePayload({ kind: TxKind.ApplyHospital, hospitalName: 'x'.repeat(MAX_NAME_BYTES + 1), dataKey: k })).toThrow(AssertionError);
  });

  /**
   * What the encoder writes, the decoder must read (encoding.ts: "`max` is the
   * same limit the reader enforces"). Lists and blob sizes over their limits
   * must be refused when written, not only when read.
   */
  it.each([
    [
      '65 readers on a record',
      {
        kind: TxKind.AddRecord,
        patientId: k,
        hospital: k,
        category: Category.Other,
        body: { hash: k, size: 1 },
        attachments: [],
        readers: Array.from({ length: MAX_READERS + 1 }, () => k),
        keys: { hash: k, size: 1 },
      },
    ],
    ['65 readers on a key share', { kind: TxKind.ShareKeys, record: k, readers: Array.from({ length: MAX_READERS + 1 }, () => k), keys: { hash: k, size: 1 } }],
    [
      '21 attachments',
      {
        kind: TxKind.AddRecord,
        patientId: k,
        hospital: k,
        category: Category.Other,
        body: { hash: k, size: 1 },
        attachments: Array.from({ length: MAX_ATTACHMENTS + 1 }, () => ({ hash: k, size: 1 })),
        readers: [],
        keys: { hash: k, size: 1 },
      },
    ],
    [
      '501 staff wraps',
      {
        kind: TxKind.RemoveStaff,
        staffSign: k,
        newDataKey: k,
        wraps: Array.from({ length: MAX_STAFF_WRAPS + 1 }, () => ({ staffSign: k, wrap: new Uint8Array(WRAPPED_KEY_BYTES) })),
      },
    ],
    ['a blob over MAX_BLOB_BYTES', { kind: TxKind.ShareKeys, record: k, readers: [k], keys: { hash: k, size: MAX_BLOB_BYTES + 1 } }],
  ] as [string, Payload][])('the encoder refuses %s (or what it writes decodes)', (_what, p) => {
    let b: Uint8Array;
    try {
      b = encodePayload(p);
    } catch (e) {
      expect(e).toBeInstanceOf(AssertionError);
      return;
    }
    const read = () => decodePayload(p.kind, b);
    expect(read, 'encodePayload wrote bytes that decodePayload refuses').not.toThrow(DecodeError);
  });
});
