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
import type { LedgerView, RecoveryHolder, RecoverySetting } from './ledger';

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

/**
 * Whether one holder can still open the share sealed to them: `open`, and
 * for a holder patient who cannot, `changedAt`, when the keys that replaced
 * the ones the share was sealed to took over (their latest passphrase
 * change); null for a holder who can, or a hospital.
 */
export interface HolderStanding {
  readonly holder: RecoveryHolder;
  readonly open: boolean;
  readonly changedAt: number | null;
}

/** Each holder's standing, and whether those who can still open their share, with the printed share, reach the threshold. */
export interface RecoveryStanding {
  readonly holders: readonly HolderStanding[];
  /** Holders who can still open their share. */
  readonly able: number;
  /** `able` plus the printed share reach the threshold: recovery through people still works (as far as the holders' keys go). */
  readonly enough: boolean;
}

/**
 * Who can still open their share of `setting` (docs/recovery-through-people.md,
 * "What it costs and leaks"). A holder patient's share is sealed to the box
 * key they had at setup, and a passphrase change gives them a new one with
 * no way back to the old secret: they can open it only while their box key is still the one
 * recorded. A hospital is different: every data key it ever had derives from
 * its authority and its epoch (app/clinician/staff.ts authorityDataSecrets),
 * so a staff removal's new data key leaves the old one within its reach —
 * as app/emergency releases an emergency share with the secrets of every
 * epoch — and it can open its share for as long as it is admitted (a
 * hospital that is not could not release one: ReleaseRecoveryShare's rule).
 * Whether the setting is stale after the patient's own passphrase change is
 * {@link liveRecovery}'s question, not this one's.
 */
export function holderStanding(ledger: Pick<LedgerView, 'patients' | 'hospitals'>, setting: RecoverySetting): RecoveryStanding {
  const holders = setting.holders.map((holder): HolderStanding => {
    if (holder.role === 'hospital') return { holder, open: ledger.hospitals.get(holder.id)?.member === true, changedAt: null };
    const now = ledger.patients.get(holder.id);
    const open = now?.boxKey === holder.key;
    return { holder, open, changedAt: open || !now ? null : now.keysSince };
  });
  const able = holders.filter((h) => h.open).length;
  return { holders, able, enough: able + setting.paper >= setting.threshold };
}

/** The context of the share of `patient`'s seed (whose signing key is `signKey`) sealed to `holder`, on `network`. */
export function holderShareContext(network: Uint8Array, patient: Uint8Array, signKey: Uint8Array, holder: Uint8Array): Uint8Array {
  return taggedHash('medchain/recovery-share/v1', new Writer().fixed(network, 32).fixed(patient, 32).fixed(signKey, 32).fixed(holder, 32).finish());
}

/** The context of a share released for recovery ask `ask` to the asker's box key `box`. */
export function recoveryReleaseContext(ask: Uint8Array, box: Uint8Array): Uint8Array {
  return taggedHash('medchain/recovery-release/v1', new Writer().fixed(ask, 32).fixed(box, 32).finish());
}
