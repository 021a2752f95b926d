/**
 * The registry of transaction kinds (issue 14): one {@link KindSpec} per
 * {@link TxKind}. `KINDS` is typed by a mapped type over TxKind, so a kind
 * without an entry, or an entry missing a field, is a type error; the
 * payload union is derived from the entries, so a kind's payload is written
 * once, in its own file. Adding a kind: docs/ARCHITECTURE.md, "Adding a
 * transaction kind".
 */
import { TxKind } from '../tx';
import { addRecord } from './add-record';
import { applyHospital } from './apply-hospital';
import { approval } from './approval';
import { approveHospital } from './approve-hospital';
import { certifyStaff } from './certify-staff';
import { eraseRecord } from './erase-record';
import { evidence } from './evidence';
import { foundNetwork } from './found-network';
import { grantConsent } from './grant-consent';
import { referral } from './referral';
import { refuseRequest } from './refuse-request';
import { releaseShare } from './release-share';
import { reviewEmergency } from './review-emergency';
import { setEmergencyAccess } from './set-emergency-access';
import { emergencyAccess } from './emergency-access';
import { delegateAccess } from './delegate-access';
import { attestGuardian } from './attest-guardian';
import { setRecovery } from './set-recovery';
import { askRecovery } from './ask-recovery';
import { releaseRecoveryShare } from './release-recovery-share';
import { registerPatient } from './register-patient';
import { removeStaff } from './remove-staff';
import { requestAccess } from './request-access';
import { revokeConsent } from './revoke-consent';
import { rotatePatientKeys } from './rotate-patient-keys';
import { shareKeys } from './share-keys';
import type { KindSpec } from './spec';

const ENTRIES = {
  [TxKind.FoundNetwork]: foundNetwork,
  [TxKind.ApplyHospital]: applyHospital,
  [TxKind.ApproveHospital]: approveHospital,
  [TxKind.CertifyStaff]: certifyStaff,
  [TxKind.RemoveStaff]: removeStaff,
  [TxKind.RegisterPatient]: registerPatient,
  [TxKind.RotatePatientKeys]: rotatePatientKeys,
  [TxKind.AddRecord]: addRecord,
  [TxKind.ShareKeys]: shareKeys,
  [TxKind.GrantConsent]: grantConsent,
  [TxKind.RevokeConsent]: revokeConsent,
  [TxKind.RequestAccess]: requestAccess,
  [TxKind.Referral]: referral,
  [TxKind.EraseRecord]: eraseRecord,
  [TxKind.Approval]: approval,
  [TxKind.Evidence]: evidence,
  [TxKind.RefuseRequest]: refuseRequest,
  [TxKind.SetEmergencyAccess]: setEmergencyAccess,
  [TxKind.EmergencyAccess]: emergencyAccess,
  [TxKind.ReleaseShare]: releaseShare,
  [TxKind.ReviewEmergency]: reviewEmergency,
  [TxKind.DelegateAccess]: delegateAccess,
  [TxKind.AttestGuardian]: attestGuardian,
  [TxKind.SetRecovery]: setRecovery,
  [TxKind.AskRecovery]: askRecovery,
  [TxKind.ReleaseRecoveryShare]: releaseRecoveryShare,
};

/** The payload of a kind's entry. */
type PayloadIn<S> = S extends KindSpec<TxKind, infer P> ? P : never;

/** The payload of each transaction kind (SPEC §2 to §4), one variant per registered kind. */
export type Payload = { [K in keyof typeof ENTRIES]: PayloadIn<(typeof ENTRIES)[K]> }[keyof typeof ENTRIES];
export type PayloadOf<K extends TxKind> = Extract<Payload, { kind: K }>;

/** A complete registry: an entry for every transaction kind, each for its own kind and payload. */
export type KindRegistry = { readonly [K in TxKind]: KindSpec<K, PayloadOf<K>> };

/** Every transaction kind's entry. */
export const KINDS: KindRegistry = ENTRIES;

/** An entry seen through the whole payload union (what the dispatching modules call). */
export type AnyKindSpec = KindSpec<TxKind, Payload>;

/**
 * The entry of `kind`. The cast is sound because {@link KINDS} is keyed by
 * kind: the entry found for a payload's kind handles exactly that payload;
 * TypeScript cannot follow the correlation through a union.
 */
export function kindSpec(kind: TxKind): AnyKindSpec {
  return KINDS[kind] as unknown as AnyKindSpec;
}
