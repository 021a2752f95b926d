/**
 * ApproveHospital (SPEC §5): an admitted hospital approves an application;
 * more than half of the current hospitals admit it.
 */
import { toHex } from '../bytes';
import { HASH_BYTES } from '../hash';
import { TxKind } from '../tx';
import { exampleBytes } from './codec';
import { fail } from './rule-kit';
import type { KindSpec } from './spec';

/** What an ApproveHospital transaction carries; the field order is its encoding. */
export type ApproveHospitalPayload = { kind: typeof TxKind.ApproveHospital; application: Uint8Array };

/** ApproveHospital's entry in the registry (kinds/index.ts). */
export const approveHospital: KindSpec<typeof TxKind.ApproveHospital, ApproveHospitalPayload> = {
  kind: TxKind.ApproveHospital,
  write: (w, p) => {
    w.fixed(p.application, HASH_BYTES);
  },
  read: (r) => ({ kind: TxKind.ApproveHospital, application: r.fixed(HASH_BYTES) }),
  apply: (ledger, p, t) => {
    const voter = ledger.hospitals.get(t.author);
    // Only an admitted hospital's authority approves.
    if (!voter?.member) fail('NOT_AUTHORISED', 'approver is not an admitted hospital');
    const applicant = ledger.hospitals.get(toHex(p.application));
    // The application must exist.
    if (!applicant) fail('UNKNOWN_REFERENCE', 'no such application');
    // A hospital approves an application once, and never one already admitted.
    if (applicant.member || applicant.approvals.includes(t.author)) fail('ALREADY_DONE', 'already approved or admitted');
    const approvals = [...applicant.approvals, t.author];
    // Admitted when more than half of the current hospitals approve.
    const member = approvals.length * 2 > ledger.members;
    ledger.hospitals.set(applicant.id, { ...applicant, approvals, member });
    if (member) ledger.addMember();
  },
  codes: ['NOT_AUTHORISED', 'UNKNOWN_REFERENCE', 'ALREADY_DONE'],
  signer: 'authority',
  proofs: null,
  subjects: null,
  blobs: null,
  example: { kind: TxKind.ApproveHospital, application: exampleBytes(3) },
};
