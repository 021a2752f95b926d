/**
 * What the three kinds of recovery through people share (SPEC §2, issue 15;
 * docs/recovery-through-people.md): the limits, which setting still
 * recovers a patient, and what each sealed share is bound to (sealed-box.ts),
 * so a share sealed for one purpose opens for no other. A holder's share is
 * bound to the network, the patient, the signing key the split seed gives
 * (the setting) and the holder; a released share to the ask it answers and
 * the box key of the person recovering.
 */
import { Writer } from './encoding';
import { taggedHash } from './hash';
import type { LedgerView, RecoverySetting } from './ledger';

/** At most this many people and hospitals hold shares of one patient's seed. */
export const MAX_RECOVERY_HOLDERS = 16;
/** Printed shares the patient may keep: none or one (a second would let the paper alone recover). */
export const MAX_PAPER_SHARES = 1;
/** The longest a recovery ask stays open: holders answer within days, not months. */
export const RECOVERY_ANSWER_SECONDS = 14 * 86_400;

/**
 * The patient's setting that can still recover them, or null: never set,
 * turned off, or made for keys a passphrase change has since replaced
 * (the shares then rebuild a seed that no longer acts).
 */
export function liveRecovery(ledger: Pick<LedgerView, 'recoverySettings' | 'patients'>, patient: string): RecoverySetting | null {
  const s = ledger.recoverySettings.get(patient);
  if (!s || s.threshold === 0) return null;
  return ledger.patients.get(patient)?.signKey === s.signKey ? s : null;
}

/** The context of the share of `patient`'s seed (whose signing key is `signKey`) sealed to `holder`, on `network`. */
export function holderShareContext(network: Uint8Array, patient: Uint8Array, signKey: Uint8Array, holder: Uint8Array): Uint8Array {
  return taggedHash('medchain/recovery-share/v1', new Writer().fixed(network, 32).fixed(patient, 32).fixed(signKey, 32).fixed(holder, 32).finish());
}

/** The context of a share released for recovery ask `ask` to the asker's box key `box`. */
export function recoveryReleaseContext(ask: Uint8Array, box: Uint8Array): Uint8Array {
  return taggedHash('medchain/recovery-release/v1', new Writer().fixed(ask, 32).fixed(box, 32).finish());
}
