/**
 * The recovering person's side (SPEC §2, issue 15): an ask signed by the
 * new key their Aadhaar number and new passphrase give, so signing in
 * again with them finds it; and how far it is — which holders released,
 * how many shares are needed, whether it expired or the patient's keys
 * changed meanwhile.
 */
import { hexToBytes } from '../../core/bytes';
import type { LedgerView, RecoveryAskState } from '../../core/ledger';
import { liveRecovery } from '../../core/recovery';
import { TxKind } from '../../core/tx';
import { type ActionResult, type ClinicianContext, type Signer, refusal, submitPayload } from '../clinician/sign';
import { type HolderView, holderView } from './setup';

/** Days holders have to answer (the ledger allows up to fourteen). */
export const ASK_DAYS = 7;

/** Asks `patient`'s holders to release their shares to `box`, signed by the new key `signer`. */
export function askToRecover(ctx: ClinicianContext, signer: Signer, patient: string, box: Uint8Array): Promise<ActionResult> {
  const ledger = ctx.node.ledger();
  if (!ledger) return Promise.resolve(refusal('NOT_READY'));
  if (!liveRecovery(ledger, patient)) return Promise.resolve(refusal('NO_RECOVERY'));
  const answerBy = ctx.node.now() + ASK_DAYS * 86_400;
  return submitPayload(ctx, signer, { kind: TxKind.AskRecovery, patientId: hexToBytes(patient), box, answerBy });
}

/** The newest ask `asker` (hex) made for `patient` that holders may still answer, or null. */
export function openAsk(ledger: LedgerView, patient: string, asker: string, now: number): RecoveryAskState | null {
  const setting = liveRecovery(ledger, patient);
  let best: RecoveryAskState | null = null;
  for (const id of ledger.byPatient.get(patient) ?? []) {
    const a = ledger.recoveryAsks.get(id);
    if (a && a.asker === asker && a.setting === setting?.id && a.answerBy > now && (!best || a.time >= best.time)) best = a;
  }
  return best;
}

/** How far an ask is. */
export interface AskProgress {
  readonly threshold: number;
  /** Whether the patient keeps a printed share (it counts once typed in). */
  readonly paper: boolean;
  /** Every holder, and whether they released. */
  readonly holders: readonly (HolderView & { readonly released: boolean })[];
  readonly released: number;
  readonly answerBy: number;
}

export function askProgress(ledger: LedgerView, ask: RecoveryAskState): AskProgress | null {
  const setting = ledger.recoverySettings.get(ask.patient);
  if (!setting || setting.id !== ask.setting) return null;
  const released = new Set(ask.releases.map((r) => r.holder));
  const holders = setting.holders.map((h) => ({ ...holderView(ledger, h), released: released.has(h.id) }));
  return { threshold: setting.threshold, paper: setting.paper > 0, holders, released: released.size, answerBy: ask.answerBy };
}
