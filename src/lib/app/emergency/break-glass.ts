/**
 * A clinician breaking the glass (SPEC §4, issue 15; docs/emergency-access.md
 * steps 3 and 5): who may, the EmergencyAccess they send (a reason code, any
 * words sealed to their own hospital), how far the access has come (in a
 * block, final, shares released), and, once a quorum of holders released,
 * the patient's records of the emergency scope opened with the combined
 * secret. The secret is the caller's to keep in memory and wipe.
 */
import { hexToBytes } from '../../core/bytes';
import type { EmergencySetting, EmergencyState, LedgerView } from '../../core/ledger';
import { type EmergencyReason, StaffRole } from '../../core/payloads';
import type { GetBlob, RecordReader } from '../../core/record-crypto';
import { TxKind } from '../../core/tx';
import type { ChainView } from '../chain-view';
import { type HistoryEntry, readHistory } from '../clinician/history';
import { type ActionResult, type ClinicianContext, type Signer, submitPayload } from '../clinician/sign';
import { emergencySecret } from './key-shares';
import { sealForHospital } from './notes';

/** Whether `staffId` may break the glass for `patient` now: active staff with the clinician role, and the patient allowed it. */
export function mayBreakGlass(ledger: LedgerView, staffId: string, patient: string): boolean {
  const s = ledger.staff.get(staffId);
  return !!s?.active && s.role === StaffRole.Clinician && ledger.emergencyOn(patient) !== null;
}

/** Sends an EmergencyAccess for `patient` by `clinician` of `hospital`, its words sealed to the hospital's data key. */
export async function breakGlass(
  ctx: ClinicianContext,
  clinician: Signer,
  hospital: string,
  patient: string,
  reason: EmergencyReason,
  words: string,
): Promise<ActionResult> {
  const sealedNote = sealForHospital(ctx, hospital, { of: 'access', patient }, words);
  if (!(sealedNote instanceof Uint8Array)) return sealedNote;
  return submitPayload(ctx, clinician, { kind: TxKind.EmergencyAccess, patientId: hexToBytes(patient), hospital: hexToBytes(hospital), reason, sealedNote });
}

/** The newest access `clinician` opened for `patient` on the chain, or null. */
export function latestAccess(ledger: LedgerView, clinician: string, patient: string): EmergencyState | null {
  let best: EmergencyState | null = null;
  for (const e of ledger.emergencies.values())
    if (e.clinician === clinician && e.patient === patient && (!best || e.height > best.height || (e.height === best.height && e.time > best.time))) best = e;
  return best;
}

/**
 * How far an access has come: waiting for its block to be final (no holder
 * releases before), shares released of the `needed` quorum, or stopped
 * because the patient changed the setting since (no more releases come).
 */
export type AccessProgress =
  | { readonly state: 'waiting-final' }
  | { readonly state: 'releasing'; readonly released: number; readonly needed: number; readonly holders: number }
  | { readonly state: 'setting-changed' };

/** The progress of `access` at `finalHeight`, against the patient's current setting. */
export function accessProgress(ledger: LedgerView, access: EmergencyState, finalHeight: number): AccessProgress {
  const setting = settingOf(ledger, access);
  if (!setting) return { state: 'setting-changed' };
  if (access.height > finalHeight) return { state: 'waiting-final' };
  return { state: 'releasing', released: access.releases.length, needed: setting.threshold, holders: setting.holders.length };
}

/** The setting `access` was opened under, while it is still the patient's (a newer one holds other keys). */
function settingOf(ledger: LedgerView, access: EmergencyState): EmergencySetting | null {
  const s = ledger.emergencySettings.get(access.patient);
  return s && s.id === access.setting ? s : null;
}

/** The emergency secret and the records of its scope it opened. */
export interface OpenedRecords {
  /** The combined emergency X25519 secret: in memory only, the caller wipes it. */
  readonly secret: Uint8Array;
  readonly entries: HistoryEntry[];
}

/**
 * Combines the shares released to this clinician (`box`, their session's
 * reader) and opens the patient's records of the setting's scope: null
 * before a quorum released (or after the setting changed). With `secret`
 * already combined, only reads again.
 */
export async function openEmergencyRecords(
  chain: ChainView,
  ledger: LedgerView,
  access: EmergencyState,
  box: RecordReader,
  getBlob: GetBlob,
  secret: Uint8Array | null = null,
): Promise<OpenedRecords | null> {
  const setting = settingOf(ledger, access);
  if (!setting) return null;
  const key = secret ?? (await emergencySecret(access, setting, box));
  if (!key) return null;
  const all = await readHistory(chain, ledger, access.patient, [key], getBlob);
  return { secret: key, entries: all.filter((e) => (setting.scope & (1 << e.category)) !== 0) };
}
