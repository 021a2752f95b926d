/**
 * The patient's side of recovery through people (SPEC §2, issue 15): the
 * holders they chose — other patients by the short id on their card,
 * admitted hospitals from the list — and the threshold, checked before
 * anything is signed; the setting sent with the seed split among them
 * (shares.ts); and what the setting on the chain says now, stale after a
 * passphrase change.
 */
import { hexToBytes, toHex } from '../../core/bytes';
import { shortId } from '../../core/ids';
import type { LedgerView, RecoverySetting } from '../../core/ledger';
import { liveRecovery } from '../../core/recovery';
import { type FindProblem, findPatient } from '../clinician/patients';
import { type ActionResult, networkOf, refusal, submitPayload } from '../clinician/sign';
import type { PatientContext } from '../patient/keys';
import { type HolderChoice, type SetupProblem, recoveryOff, recoverySetup, signKeyOf } from './shares';

/** What the form holds: short ids typed (one per field), hospitals ticked (authority keys, hex), the threshold and the paper share. */
export interface RecoveryForm {
  readonly people: readonly string[];
  readonly hospitals: readonly string[];
  readonly threshold: number;
  readonly paper: boolean;
}

/** A typed short id that names no other patient: which one (from 0) and why. */
export type PersonProblem = { readonly ok: false; readonly index: number; readonly code: FindProblem | 'SELF' | 'TWICE' };

/** The holders the form names, or the first person who cannot be one. */
export function holderChoices(ledger: LedgerView, form: RecoveryForm, me: string): HolderChoice[] | PersonProblem {
  const out: HolderChoice[] = [];
  for (const [index, typed] of form.people.entries()) {
    if (typed.trim() === '') continue;
    const found = findPatient(ledger, typed);
    if (!found.ok) return { ok: false, index, code: found.code };
    if (found.patient.id === me) return { ok: false, index, code: 'SELF' };
    if (out.some((h) => h.id === found.patient.id)) return { ok: false, index, code: 'TWICE' };
    out.push({ role: 'patient', id: found.patient.id });
  }
  for (const id of new Set(form.hospitals)) out.push({ role: 'hospital', id });
  return out;
}

/** Why nothing was signed: the passphrase given does not give this session's keys, or the choice cannot be split (shares.ts). */
export type SetupFailure = { readonly ok: false; readonly setup: 'WRONG_SECRET' | SetupProblem };

/** The result of setting it up: the action, and the printed share to show once (null without one, or when nothing was sent). */
export type SetupResult = { readonly result: ActionResult | PersonProblem | SetupFailure; readonly paperShare: Uint8Array | null };

/**
 * Splits `seed` among the holders the form names and sends the setting.
 * The seed must give this session's signing key (WRONG_SECRET otherwise);
 * the caller wipes it, and the printed share once shown.
 */
export async function setUpRecovery(ctx: PatientContext, seed: Uint8Array, form: RecoveryForm): Promise<SetupResult> {
  const ledger = ctx.node.ledger();
  const network = networkOf(ctx.node);
  const none = (result: SetupResult['result']): SetupResult => ({ result, paperShare: null });
  if (!ledger || !network) return none(refusal('NOT_READY'));
  if (signKeyOf(seed) !== toHex(ctx.me.signer.publicKey)) return none({ ok: false, setup: 'WRONG_SECRET' });
  const holders = holderChoices(ledger, form, ctx.me.patientId);
  if (!Array.isArray(holders)) return none(holders);
  const made = await recoverySetup(ledger, network, hexToBytes(ctx.me.patientId), seed, { holders, threshold: form.threshold, paper: form.paper }, ctx.random);
  if (typeof made === 'string') return none({ ok: false, setup: made });
  const result = await submitPayload(ctx, ctx.me.signer, made.payload);
  if (!result.ok) made.paperShare?.fill(0);
  return { result, paperShare: result.ok ? made.paperShare : null };
}

/** Turns recovery through people off (the shares already given no longer recover anything new: they stay on the chain). */
export const turnOffRecovery = (ctx: PatientContext): Promise<ActionResult> => submitPayload(ctx, ctx.me.signer, recoveryOff());

/** One holder as the patient's screens show them: a patient's short id, or a hospital's name. */
export type HolderView = { readonly id: string; readonly role: 'patient' | 'hospital'; readonly label: string };

/** How a holder is named on screen. */
export function holderView(ledger: LedgerView, h: { readonly role: 'patient' | 'hospital'; readonly id: string }): HolderView {
  const label = h.role === 'patient' ? shortId(hexToBytes(h.id)) : (ledger.hospitals.get(h.id)?.name ?? h.id.slice(0, 8));
  return { ...h, label };
}

/** The patient's setting as the settings screen shows it: none, off, live, or stale (made for keys a passphrase change replaced). */
export type RecoveryStatus =
  { readonly status: 'none' } | { readonly status: 'live' | 'stale'; readonly setting: RecoverySetting; readonly holders: readonly HolderView[] };

export function recoveryStatus(ledger: LedgerView, patient: string): RecoveryStatus {
  const s = ledger.recoverySettings.get(patient);
  if (!s || s.threshold === 0) return { status: 'none' };
  return { status: liveRecovery(ledger, patient) ? 'live' : 'stale', setting: s, holders: s.holders.map((h) => holderView(ledger, h)) };
}
