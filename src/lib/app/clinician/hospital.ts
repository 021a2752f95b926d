/**
 * Joining a network (SPEC §2): a hospital applies with its name and data
 * key and stays pending until more than half of the admitted hospitals
 * approve; admitted hospitals see the open applications and approve them.
 */
import { hexToBytes } from '../../core/bytes';
import type { HospitalState, LedgerView } from '../../core/ledger';
import { MAX_NAME_BYTES } from '../../core/payloads';
import { TxKind } from '../../core/tx';
import { hospitalDataKey } from './data-key';
import { type ActionFailure, type ActionResult, type ClinicianContext, type Signer, refusal, signerId, submitPayload } from './sign';

export type Membership =
  | { readonly state: 'none' }
  | { readonly state: 'pending'; readonly name: string; readonly approvals: number; readonly needed: number }
  | { readonly state: 'member'; readonly hospital: HospitalState };

/** Approvals an application needs: more than half of the admitted hospitals. */
export function approvalsNeeded(ledger: LedgerView): number {
  return Math.floor(ledger.members / 2) + 1;
}

/** Where this authority stands: not applied, pending (with its approvals), or admitted. */
export function membershipOf(ledger: LedgerView, authorityId: string): Membership {
  const h = ledger.hospitals.get(authorityId);
  if (!h) return { state: 'none' };
  if (h.member) return { state: 'member', hospital: h };
  return { state: 'pending', name: h.name, approvals: h.approvals.length, needed: approvalsNeeded(ledger) };
}

/** Applications not yet admitted, oldest key order; `voter` marks those it already approved. */
export function openApplications(ledger: LedgerView, voter: string): { hospital: HospitalState; approvedByMe: boolean }[] {
  const out: { hospital: HospitalState; approvedByMe: boolean }[] = [];
  for (const h of ledger.hospitals.values()) if (!h.member) out.push({ hospital: h, approvedByMe: h.approvals.includes(voter) });
  return out.sort((a, b) => a.hospital.name.localeCompare(b.hospital.name));
}

/** A hospital name problem (empty, or over the payload's byte limit, its argument), or null when it is fine. */
export function hospitalNameProblem(name: string): ActionFailure | null {
  const n = name.trim();
  if (n === '') return refusal('HOSPITAL_NAME_EMPTY');
  if (new TextEncoder().encode(n).length > MAX_NAME_BYTES) return refusal('NAME_TOO_LONG', MAX_NAME_BYTES);
  return null;
}

/** Applies to join with the authority's epoch-0 data key. */
export async function applyToJoin(ctx: ClinicianContext, authority: Signer, name: string): Promise<ActionResult> {
  const problem = hospitalNameProblem(name);
  if (problem) return problem;
  const ledger = ctx.node.ledger();
  if (ledger?.hospitals.has(signerId(authority))) return refusal('ALREADY_APPLIED');
  const key = await hospitalDataKey(authority, 0);
  key.secret.fill(0);
  return submitPayload(ctx, authority, { kind: TxKind.ApplyHospital, hospitalName: name.trim(), dataKey: key.publicKey });
}

/** An admitted hospital's authority approves an application. */
export function approveApplication(ctx: ClinicianContext, authority: Signer, applicantId: string): Promise<ActionResult> {
  return submitPayload(ctx, authority, { kind: TxKind.ApproveHospital, application: hexToBytes(applicantId) });
}
