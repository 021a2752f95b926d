/**
 * The patient's emergency-access setting (SPEC §4, issue 15;
 * docs/emergency-access.md): off unless the patient turns it on; on, it opens
 * the kinds of record chosen (the emergency summary by default) to a
 * clinician who breaks the glass, once a quorum of the admitted hospitals
 * release their shares of the emergency key. This module reads where the
 * setting stands (with the numbers the warning shows: any N of the M
 * hospitals together could open it) and sends the changes; the key and its
 * shares are made by `emergencyOn`, which forgets the secret before it
 * returns. Earlier records of the chosen kinds are re-wrapped to the new key
 * by `shareDueKeys` once the setting is in a block, as after a grant.
 */
import { hexToBytes } from '../../core/bytes';
import type { EmergencySetting, LedgerView } from '../../core/ledger';
import { shortId } from '../../core/ids';
import { EMERGENCY_SCOPE, SCOPE_ALL } from '../../core/payloads';
import { quorumFunction } from '../../core/quorum-rule';
import { TxKind } from '../../core/tx';
import { emergencyOff, emergencyOn } from '../emergency/key-shares';
import { type FindProblem, findPatient } from '../clinician/patients';
import { type ActionFailure, type ActionResult, refusal, submitPayload } from '../clinician/sign';
import type { PatientContext } from './keys';
import { RECORD_KINDS, hasPending } from './pool';

/** The kinds of record emergency access opens unless the patient chooses others: the emergency summary. */
export const DEFAULT_EMERGENCY_SCOPE = EMERGENCY_SCOPE;

/** Where the patient's emergency access stands, with what the screen shows about it. */
export interface EmergencyStatus {
  /** The setting in force when on; null when off or never set. */
  readonly on: EmergencySetting | null;
  /** The nominee named by the latest setting (on or off), as a short id; null for none. */
  readonly nominee: string | null;
  /** Admitted hospitals now (M). */
  readonly hospitals: number;
  /** How many of them together could open it (N, the network's quorum of M). */
  readonly threshold: number;
  /** Whether the network has enough hospitals for it (two at least). */
  readonly possible: boolean;
  /** On, but the admitted hospitals changed since it was set: a new hospital holds no share, a removed one keeps its own. */
  readonly outdated: boolean;
  /** A change of the setting sent from this device, not in a block yet. */
  readonly pending: boolean;
}

/** Where the emergency access of `patient` stands on `ledger`. */
export function emergencyStatus(ledger: LedgerView, patient: string, pending = false): EmergencyStatus {
  const setting = ledger.emergencySettings.get(patient) ?? null;
  const members = ledger.memberIds();
  const threshold = quorumFunction(ledger.quorumRule)(members.length);
  const on = setting?.allowed ? setting : null;
  return {
    on,
    nominee: setting?.nominee ? shortOf(setting.nominee) : null,
    hospitals: members.length,
    threshold,
    possible: members.length >= 2 && threshold >= 2,
    outdated: on !== null && on.holders.join() !== members.join(),
    pending,
  };
}

/** The patient's status as their device sees it (a change of theirs waiting in the pool counts as pending). */
export function myEmergencyStatus(ctx: PatientContext): EmergencyStatus | null {
  const ledger = ctx.node.ledger();
  return ledger ? emergencyStatus(ledger, ctx.me.patientId, hasPending(ctx, [TxKind.SetEmergencyAccess])) : null;
}

/** Why a nominee cannot be named: a mistyped or unknown short id, or the patient's own. */
export type NomineeProblem = FindProblem | 'NOMINEE_SELF';

/** The patient id (hex) of the nominee typed as a short id; blank text names no one. */
export function nomineeFrom(
  ledger: LedgerView,
  typed: string,
  me: string,
): { readonly ok: true; readonly nominee: string | null } | { readonly ok: false; readonly code: NomineeProblem } {
  if (typed.trim() === '') return { ok: true, nominee: null };
  const found = findPatient(ledger, typed);
  if (!found.ok) return found;
  if (found.patient.id === me) return { ok: false, code: 'NOMINEE_SELF' };
  return { ok: true, nominee: found.patient.id };
}

/** Why turning emergency access on stopped before anything was signed: fewer than two admitted hospitals. */
export type EmergencyResult = ActionResult | { readonly ok: false; readonly code: 'TOO_FEW_HOSPITALS' };

/** A failure of {@link EmergencyResult} other than too few hospitals (worded as any refused action). */
export const isActionFailure = (r: EmergencyResult): r is ActionFailure => !r.ok && r.code !== 'TOO_FEW_HOSPITALS';

/**
 * Turns emergency access on (or renews it with a new key for the hospitals
 * admitted now) for the kinds of `scope`, naming `nominee` (hex patient id)
 * or no one. Waits while a record of the patient's is pending: the setting
 * changes which keys a new record is sealed to.
 */
export async function turnEmergencyOn(ctx: PatientContext, scope: number, nominee: string | null): Promise<EmergencyResult> {
  const ledger = ctx.node.ledger();
  if (!ledger) return refusal('NOT_READY');
  if (hasPending(ctx, RECORD_KINDS)) return refusal('WAIT_FOR_RECORD');
  if ((scope & SCOPE_ALL) === 0) return refusal('BAD_SCOPE');
  const payload = await emergencyOn(ledger, hexToBytes(ctx.me.patientId), scope & SCOPE_ALL, nominee ? hexToBytes(nominee) : null, ctx.random);
  if (payload === 'TOO_FEW_HOSPITALS') return { ok: false, code: payload };
  return submitPayload(ctx, ctx.me.signer, payload);
}

/** Turns emergency access off, keeping the nominee (turning it on again offers the same one). */
export function turnEmergencyOff(ctx: PatientContext): Promise<ActionResult> {
  const ledger = ctx.node.ledger();
  if (!ledger) return Promise.resolve(refusal('NOT_READY'));
  if (hasPending(ctx, RECORD_KINDS)) return Promise.resolve(refusal('WAIT_FOR_RECORD'));
  const nominee = ledger.emergencySettings.get(ctx.me.patientId)?.nominee ?? null;
  return submitPayload(ctx, ctx.me.signer, emergencyOff(nominee ? hexToBytes(nominee) : null));
}

/** A new key and shares for the hospitals admitted now, with the same kinds and nominee (when {@link EmergencyStatus.outdated}). */
export function renewEmergency(ctx: PatientContext): Promise<EmergencyResult> {
  const on = ctx.node.ledger()?.emergencyOn(ctx.me.patientId);
  if (!on) return Promise.resolve(refusal('EMERGENCY_OFF'));
  return turnEmergencyOn(ctx, on.scope, on.nominee);
}

/** The hex id of a patient as the short id a person reads. */
export const shortOf = (patient: string): string => shortId(hexToBytes(patient));
