/**
 * Shares that went out of reach (issue 15, docs/recovery-through-people.md):
 * a holder patient who changed their passphrase since the patient set
 * recovery up can no longer open the share sealed to their old box key
 * (core/recovery.ts holderStanding). Without being told, the patient may
 * believe recovery still works when fewer than the threshold can answer, so
 * both sides are told: the patient which holders lost their share and
 * whether the rest still reach the threshold, the holder which shares they
 * can no longer open and whose.
 */
import { hexToBytes } from '../../core/bytes';
import { shortId } from '../../core/ids';
import type { LedgerView, RecoverySetting } from '../../core/ledger';
import { holderStanding, liveRecovery } from '../../core/recovery';
import { type HolderView, holderView } from './setup';

/** A holder of the patient's live setting who can no longer open their share, and since when (a patient's passphrase change; null for a hospital). */
export type LostHolder = HolderView & { readonly since: number | null };

/** The patient's live setting as far as its holders go: who lost their share, and whether the rest (with the printed share) still reach the threshold. */
export interface SettingReach {
  readonly setting: RecoverySetting;
  readonly lost: readonly LostHolder[];
  /** Shares that can still be opened: the holders who can, and the printed share. */
  readonly openable: number;
  readonly enough: boolean;
}

/** How patient `me`'s live setting stands, or null when there is none (never set, off, or stale after their own passphrase change). */
export function settingReach(ledger: LedgerView, me: string): SettingReach | null {
  const setting = liveRecovery(ledger, me);
  if (!setting) return null;
  const standing = holderStanding(ledger, setting);
  const lost = standing.holders.filter((h) => !h.open).map((h) => ({ ...holderView(ledger, h.holder), since: h.changedAt }));
  return { setting, lost, openable: standing.able + setting.paper, enough: standing.enough };
}

/** A live setting of another patient whose share `holder` can no longer open, and when their passphrase change did it. */
export interface LostShare {
  readonly setting: RecoverySetting;
  readonly patientShortId: string;
  readonly since: number;
}

/** The shares holder patient `holder` was given in settings still live and can no longer open (their passphrase changed since), newest change first. */
export function lostShares(ledger: LedgerView, holder: string): LostShare[] {
  const out: LostShare[] = [];
  for (const s of ledger.recoverySettings.values()) {
    if (!s.holders.some((h) => h.role === 'patient' && h.id === holder) || liveRecovery(ledger, s.patient)?.id !== s.id) continue;
    const mine = holderStanding(ledger, s).holders.find((h) => h.holder.id === holder);
    if (mine && !mine.open && mine.changedAt !== null) out.push({ setting: s, patientShortId: shortId(hexToBytes(s.patient)), since: mine.changedAt });
  }
  return out.sort((a, b) => b.since - a.since || (a.setting.id < b.setting.id ? -1 : 1));
}
