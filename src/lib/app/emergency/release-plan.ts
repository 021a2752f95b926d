/**
 * When a holder hospital releases its share of an emergency key (SPEC §4,
 * issue 15; docs/emergency-access.md step 4). The ledger cannot know
 * whether a block is final when it applies a release, so honest holders
 * decide here: only for an access in a final block, only under the setting
 * it was opened with (a setting turned off or given a new key since stops
 * releases), only where this hospital holds a share, and once per access.
 * Pure: the caller gives the ledger, the final height and what it already sent.
 */
import type { EmergencySetting, EmergencyState, LedgerView } from '../../core/ledger';

/** An access this hospital should release its share for now, with the setting it was opened under. */
export interface DueRelease {
  readonly access: EmergencyState;
  readonly setting: EmergencySetting;
}

/**
 * The accesses `hospital` owes a release at `finalHeight`: final, under the
 * patient's current setting, held by `hospital`, not released by it on the
 * chain and not in `sent` (releases it submitted that are not in a block yet).
 */
export function releasesDue(ledger: LedgerView, hospital: string, finalHeight: number, sent: ReadonlySet<string>): DueRelease[] {
  if (!ledger.hospitals.get(hospital)?.member) return [];
  const out: DueRelease[] = [];
  for (const access of ledger.emergencies.values()) {
    if (access.height > finalHeight || sent.has(access.id)) continue;
    if (access.releases.some((r) => r.hospital === hospital)) continue;
    const setting = ledger.emergencySettings.get(access.patient);
    if (!setting?.allowed || setting.id !== access.setting || !setting.holders.includes(hospital)) continue;
    out.push({ access, setting });
  }
  return out;
}
