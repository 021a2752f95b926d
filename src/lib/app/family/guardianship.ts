/**
 * Guardianships as both sides see them (SPEC §2 "Family", issue 15): the
 * child's profile (its guardian, who attested it, the coming of age, and
 * whether the profile must now be handed over), the guardian's children, and
 * the hospital's attestation. All of it is read from the ledger, so every
 * device of the family shows the same.
 */
import { hexToBytes } from '../../core/bytes';
import { shortId } from '../../core/ids';
import type { GuardianshipState, LedgerView } from '../../core/ledger';
import { type Day, dayOf } from '../../core/payloads';
import { TxKind } from '../../core/tx';
import { type ActionResult, type ClinicianContext, type Signer, submitPayload } from '../clinician/sign';

/** Before the coming of age; on or after it with the guardian's passphrase still in force; after the patient's own passphrase change. */
export type GuardianshipStatus = 'minor' | 'awaiting-handover' | 'handed-over';

export interface GuardianshipView {
  readonly id: string;
  readonly minor: string;
  readonly guardian: string;
  readonly minorShort: string;
  readonly guardianShort: string;
  /** The attesting hospital's name (its id when the ledger has no name). */
  readonly hospital: string;
  readonly attested: number;
  readonly until: Day;
  readonly status: GuardianshipStatus;
  readonly handedOver: number | null;
}

/** A guardianship's state at `now` (seconds). */
export function guardianshipStatus(g: GuardianshipState, now: number): GuardianshipStatus {
  return g.handedOver ? 'handed-over' : dayOf(now) >= g.until ? 'awaiting-handover' : 'minor';
}

function view(ledger: LedgerView, g: GuardianshipState, now: number): GuardianshipView {
  return {
    id: g.id,
    minor: g.minor,
    guardian: g.guardian,
    minorShort: shortId(hexToBytes(g.minor)),
    guardianShort: shortId(hexToBytes(g.guardian)),
    hospital: ledger.hospitals.get(g.hospital)?.name ?? g.hospital,
    attested: g.time,
    until: g.until,
    status: guardianshipStatus(g, now),
    handedOver: g.handedOver?.time ?? null,
  };
}

/** The guardianship of `patient`'s own profile, if a hospital attested one. */
export function guardianshipOf(ledger: LedgerView, patient: string, now: number): GuardianshipView | null {
  const g = ledger.guardianships.get(patient);
  return g ? view(ledger, g, now) : null;
}

/** Whether `patient`'s profile may only hand over now: of age, with the guardian's passphrase still in force. */
export function mustHandOver(ledger: LedgerView, patient: string, now: number): boolean {
  return guardianshipOf(ledger, patient, now)?.status === 'awaiting-handover';
}

/** The profiles `guardian` is (or was) the attested guardian of, by coming of age. */
export function childrenOf(ledger: LedgerView, guardian: string, now: number): GuardianshipView[] {
  const out: GuardianshipView[] = [];
  for (const g of ledger.guardianships.values()) if (g.guardian === guardian) out.push(view(ledger, g, now));
  return out.sort((a, b) => a.until - b.until);
}

/** The hospital attests `guardian` as the guardian of `minor` until `until` (all hex; checked by guardian-form.ts first). */
export function attestGuardian(ctx: ClinicianContext, signer: Signer, hospital: string, minor: string, guardian: string, until: Day): Promise<ActionResult> {
  return submitPayload(ctx, signer, {
    kind: TxKind.AttestGuardian,
    hospital: hexToBytes(hospital),
    minor: hexToBytes(minor),
    guardian: hexToBytes(guardian),
    until,
  });
}
