/**
 * The authority's reviews of its clinicians' emergency accesses (SPEC §4,
 * issue 15): each access of the hospital with when, who, why, how many
 * shares were released, the clinician's words (opened with the hospital's
 * data secrets) and whether it is reviewed or overdue; and the
 * ReviewEmergency the authority sends, its words sealed to the hospital.
 */
import { hexToBytes } from '../../core/bytes';
import type { LedgerView } from '../../core/ledger';
import type { EmergencyReason, ReviewOutcome } from '../../core/payloads';
import { TxKind } from '../../core/tx';
import { payloadOf } from '../../core/ledger-rules';
import type { ChainView } from '../chain-view';
import { type ActionResult, type ClinicianContext, type Signer, submitPayload } from '../clinician/sign';
import { openWords, sealForHospital } from './notes';
import { isOverdue, reviewDue } from './overdue';

/** One access as the authority's list shows it. */
export interface AccessRow {
  readonly id: string;
  readonly patient: string;
  readonly time: number;
  /** The clinician's name on the staff list ('' if unknown). */
  readonly clinician: string;
  readonly reason: EmergencyReason;
  /** The clinician's words: '' when none, null when this device cannot open them. */
  readonly words: string | null;
  readonly released: number;
  readonly needed: number | null;
  readonly review: { readonly outcome: ReviewOutcome; readonly time: number } | null;
  readonly due: number;
  readonly overdue: boolean;
}

/** `hospital`'s emergency accesses, newest first, as of `now`. */
export function hospitalAccesses(chain: ChainView, ledger: LedgerView, hospital: string, secrets: readonly Uint8Array[], now: number): AccessRow[] {
  const rows: AccessRow[] = [];
  for (const e of ledger.emergencies.values()) {
    if (e.hospital !== hospital) continue;
    const setting = ledger.emergencySettings.get(e.patient);
    rows.push({
      id: e.id,
      patient: e.patient,
      time: e.time,
      clinician: ledger.staff.get(e.clinician)?.name ?? '',
      reason: e.reason,
      words: accessWords(chain, e.patient, e.id, secrets),
      released: e.releases.length,
      needed: setting?.id === e.setting ? setting.threshold : null,
      review: e.review && { outcome: e.review.outcome, time: e.review.time },
      due: reviewDue(e),
      overdue: isOverdue(e, now),
    });
  }
  return rows.sort((a, b) => b.time - a.time);
}

/** The clinician's words of access `id`, from its transaction in the patient's index. */
function accessWords(chain: ChainView, patient: string, id: string, secrets: readonly Uint8Array[]): string | null {
  const found = chain.ofPatient(patient).find((x) => x.id === id);
  const p = found && payloadOf(found.tx);
  return p?.kind === TxKind.EmergencyAccess ? openWords(p.sealedNote, { of: 'access', patient }, secrets) : null;
}

/** Sends the authority's review of access `access` of `patient`, its words sealed to the hospital's data key. */
export async function reviewAccess(
  ctx: ClinicianContext,
  authority: Signer,
  hospital: string,
  patient: string,
  access: string,
  outcome: ReviewOutcome,
  words: string,
): Promise<ActionResult> {
  const sealedNote = sealForHospital(ctx, hospital, { of: 'review', access }, words);
  if (!(sealedNote instanceof Uint8Array)) return sealedNote;
  return submitPayload(ctx, authority, { kind: TxKind.ReviewEmergency, patientId: hexToBytes(patient), access: hexToBytes(access), outcome, sealedNote });
}
