/**
 * A holder's side (SPEC §2, issue 15): the recovery asks a patient or a
 * hospital's authority may answer — open, under the setting that gave them
 * a share, not answered by them yet — and the release, only when a person
 * presses the button after speaking to the patient (never on its own, as
 * an emergency share is). The holder's readers open their share: a
 * patient's box key, a hospital's data keys of every epoch.
 */
import { hexToBytes } from '../../core/bytes';
import { shortId } from '../../core/ids';
import type { LedgerView, RecoveryAskState, RecoverySetting } from '../../core/ledger';
import { liveRecovery } from '../../core/recovery';
import type { RecordReader } from '../../core/record-crypto';
import { type ActionResult, type ClinicianContext, type Signer, networkOf, refusal, submitPayload } from '../clinician/sign';
import { recoveryRelease } from './shares';

/** An ask the holder may answer, with the patient's short id (what the holder checks with them). */
export interface AskToAnswer {
  readonly ask: RecoveryAskState;
  readonly setting: RecoverySetting;
  readonly patientShortId: string;
}

/** The asks `holder` (a patient id or a hospital's authority key, hex) may still answer at `now`, newest first. */
export function asksToAnswer(ledger: LedgerView, holder: string, now: number): AskToAnswer[] {
  const out: AskToAnswer[] = [];
  for (const ask of ledger.recoveryAsks.values()) {
    const setting = liveRecovery(ledger, ask.patient);
    if (!setting || setting.id !== ask.setting || ask.answerBy <= now) continue;
    if (!setting.holders.some((h) => h.id === holder) || ask.releases.some((r) => r.holder === holder)) continue;
    out.push({ ask, setting, patientShortId: shortId(hexToBytes(ask.patient)) });
  }
  return out.sort((a, b) => b.ask.time - a.ask.time);
}

/** Releases `holder`'s share to the ask, signed by `signer` (the holder patient's key, or the hospital's authority). */
export async function releaseToAsk(
  ctx: ClinicianContext,
  signer: Signer,
  holder: string,
  readers: readonly RecordReader[],
  item: AskToAnswer,
): Promise<ActionResult> {
  const network = networkOf(ctx.node);
  if (!network) return refusal('NOT_READY');
  const payload = await recoveryRelease(network, item.ask, item.setting, holder, readers, ctx.random);
  // This holder's keys do not open the share (a passphrase change since the patient set it up): nothing to release.
  if (!payload) return refusal('NOT_AUTHORISED');
  return submitPayload(ctx, signer, payload);
}
