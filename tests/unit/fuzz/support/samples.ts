/**
 * Valid values of every kind a peer or a file can send, as seeds for the
 * mutation fuzzers: one payload per transaction kind (lists and strings
 * non-empty, so their length prefixes are there to rewrite), transactions
 * carrying them (signed through the shared test helpers), headers and
 * blocks of a mined test chain.
 */
import type { Block } from '../../../../src/lib/core/block';
import { utf8 } from '../../../../src/lib/core/bytes';
import type { BlockHeader } from '../../../../src/lib/core/header';
import { AccessMode, Category, OPEN_END, type Payload, Purpose, StaffRole, VotePhase, encodePayload, QuorumRule } from '../../../../src/lib/core/payloads';
import { type Tx, TxKind, encodeTx } from '../../../../src/lib/core/tx';
import { ALICE, BOB, T0, makeTx } from '../../core/helpers';
import { GENESIS, baseBlocks } from '../../core/net/fixtures';

/** 32 bytes of `b` (a key, a hash). */
export const h = (b: number): Uint8Array => new Uint8Array(32).fill(b);
const bytes = (n: number, b: number) => new Uint8Array(n).fill(b);

/** One Approval transaction (a vote) and one conflicting with it, by the same validator. */
export const VOTE_A = makeTx(
  TxKind.Approval,
  ALICE,
  T0,
  encodePayload({ kind: TxKind.Approval, block: h(7), height: 5, round: 2, phase: VotePhase.Precommit }),
  2,
);
export const VOTE_B = makeTx(
  TxKind.Approval,
  ALICE,
  T0,
  encodePayload({ kind: TxKind.Approval, block: h(8), height: 5, round: 2, phase: VotePhase.Precommit }),
  2,
);

/** A payload of every transaction kind. */
export const PAYLOADS: { readonly [K in TxKind]: Extract<Payload, { kind: K }> } = {
  [TxKind.FoundNetwork]: {
    kind: TxKind.FoundNetwork,
    networkName: 'medchain-test',
    hospitalName: 'City Hospital',
    dataKey: h(1),
    quorum: QuorumRule.TwoThirds,
  },
  [TxKind.ApplyHospital]: { kind: TxKind.ApplyHospital, hospitalName: 'District Clinic', dataKey: h(2) },
  [TxKind.ApproveHospital]: { kind: TxKind.ApproveHospital, application: h(3) },
  [TxKind.CertifyStaff]: {
    kind: TxKind.CertifyStaff,
    staffSign: h(4),
    staffBox: h(5),
    role: StaffRole.Nurse,
    name: 'R. Iyer',
    dataKeyWrap: bytes(80, 6),
    staffProof: bytes(64, 7),
  },
  [TxKind.RemoveStaff]: {
    kind: TxKind.RemoveStaff,
    staffSign: h(8),
    newDataKey: h(9),
    wraps: [
      { staffSign: h(10), wrap: bytes(80, 11) },
      { staffSign: h(12), wrap: bytes(80, 13) },
    ],
  },
  [TxKind.RegisterPatient]: { kind: TxKind.RegisterPatient, boxKey: h(14) },
  [TxKind.RotatePatientKeys]: { kind: TxKind.RotatePatientKeys, patientId: h(15), newSign: h(16), newBox: h(17), proof: bytes(64, 18) },
  [TxKind.AddRecord]: {
    kind: TxKind.AddRecord,
    patientId: h(19),
    hospital: h(20),
    category: Category.LabReport,
    day: 19_000,
    body: { hash: h(21), size: 1234 },
    attachments: [
      { hash: h(22), size: 10 },
      { hash: h(23), size: 2 ** 20 },
    ],
    readers: [h(24), h(25)],
    keys: { hash: h(26), size: 160 },
  },
  [TxKind.ShareKeys]: { kind: TxKind.ShareKeys, record: h(27), readers: [h(28), h(29), h(30)], keys: { hash: h(31), size: 240 } },
  [TxKind.GrantConsent]: {
    kind: TxKind.GrantConsent,
    grantee: h(32),
    scope: 0xff,
    purpose: Purpose.Referral,
    expiry: T0 + 86_400,
    from: 0,
    to: OPEN_END,
    eraseBy: T0 + 86_400,
    mode: AccessMode.Download,
    regarding: h(0),
  },
  [TxKind.RevokeConsent]: { kind: TxKind.RevokeConsent, grant: h(33) },
  [TxKind.RequestAccess]: {
    kind: TxKind.RequestAccess,
    patientId: h(34),
    hospital: h(35),
    scope: 3,
    purpose: Purpose.Treatment,
    from: 0,
    to: OPEN_END,
    expiry: T0 + 86_400,
    mode: AccessMode.View,
    answerBy: T0 + 3_600,
  },
  [TxKind.Referral]: { kind: TxKind.Referral, patientId: h(36), fromHospital: h(37), toHospital: h(38), sealedNote: utf8('sealed note bytes') },
  [TxKind.EraseRecord]: { kind: TxKind.EraseRecord, record: h(39) },
  [TxKind.Approval]: { kind: TxKind.Approval, block: h(40), height: 12, round: 1, phase: VotePhase.Prevote },
  [TxKind.Evidence]: { kind: TxKind.Evidence, first: encodeTx(VOTE_A), second: encodeTx(VOTE_B) },
  [TxKind.RefuseRequest]: { kind: TxKind.RefuseRequest, regarding: h(41) },
  [TxKind.DelegateAccess]: { kind: TxKind.DelegateAccess, caregiver: h(57), scope: 0x44, from: 0, to: OPEN_END, expiry: T0 + 86_400 },
  [TxKind.AttestGuardian]: { kind: TxKind.AttestGuardian, hospital: h(61), minor: h(62), guardian: h(63), until: Math.floor(T0 / 86_400) + 3650 },
  [TxKind.SetRecovery]: {
    kind: TxKind.SetRecovery,
    threshold: 2,
    paper: 1,
    shares: [
      { role: 1, holder: h(64), sealed: bytes(153, 65) },
      { role: 2, holder: h(66), sealed: bytes(153, 67) },
    ],
  },
  [TxKind.AskRecovery]: { kind: TxKind.AskRecovery, patientId: h(68), box: h(69), answerBy: T0 + 86_400 },
  [TxKind.ReleaseRecoveryShare]: { kind: TxKind.ReleaseRecoveryShare, patientId: h(68), ask: h(70), sealed: bytes(153, 71) },
  [TxKind.SetEmergencyAccess]: {
    kind: TxKind.SetEmergencyAccess,
    allowed: true,
    scope: 0x52,
    key: h(42),
    threshold: 2,
    shares: [
      { hospital: h(43), sealed: bytes(153, 44) },
      { hospital: h(45), sealed: bytes(153, 46) },
    ],
    nominee: h(47),
  },
  [TxKind.EmergencyAccess]: { kind: TxKind.EmergencyAccess, patientId: h(48), hospital: h(49), reason: 1, sealedNote: bytes(40, 50) },
  [TxKind.ReleaseShare]: { kind: TxKind.ReleaseShare, patientId: h(51), access: h(52), sealed: bytes(153, 53) },
  [TxKind.ReviewEmergency]: { kind: TxKind.ReviewEmergency, patientId: h(54), access: h(55), outcome: 1, sealedNote: bytes(0, 56) },
};

/** Every transaction kind. */
export const KINDS = Object.values(TxKind) as TxKind[];

/** A signed transaction of every kind, its payload the kind's sample. */
export const TXS: readonly Tx[] = KINDS.map((kind, i) => makeTx(kind, i % 2 ? ALICE : BOB, T0 + i, encodePayload(PAYLOADS[kind]), 1000 + i));

/** Blocks of the mesh tests' fixed chain, and one carrying several of the sample transactions. */
export const BLOCKS: readonly Block[] = [...baseBlocks(2), { header: baseBlocks(1)[0]!.header, txs: TXS.slice(0, 4) }];

export const HEADERS: readonly BlockHeader[] = [GENESIS.header, ...BLOCKS.map((b) => b.header)];
