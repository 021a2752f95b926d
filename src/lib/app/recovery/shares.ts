/**
 * The threshold part of recovery through people (SPEC §2, issue 15;
 * docs/recovery-through-people.md): the patient's app splits the master
 * seed with the audited `shamir-secret-sharing` and seals each share to one
 * holder (a patient's box key, a hospital's data key), printing at most one;
 * a holder re-seals their share to the box key of a recovery ask; the
 * person recovering combines a threshold of shares and keeps the seed only
 * if it gives the patient's signing key on the chain (the library does not
 * check what it combines). The same pattern as emergency access
 * (app/emergency/key-shares.ts), whose subset search it reuses.
 */
import { combine, split } from 'shamir-secret-sharing';
import { hexToBytes, toHex } from '../../core/bytes';
import { deriveKeys, wipe } from '../../core/keys';
import type { LedgerView, RecoveryAskState, RecoverySetting } from '../../core/ledger';
import type { PayloadOf } from '../../core/payloads';
import { holderShareContext, liveRecovery, recoveryReleaseContext } from '../../core/recovery';
import type { RecordReader } from '../../core/record-crypto';
import { sealTo } from '../../core/sealed-box';
import { HolderRole } from '../../core/kinds/set-recovery';
import { TxKind } from '../../core/tx';
import { subsets } from '../emergency/key-shares';
import { openSealedAs } from '../emergency/sealed-reader';

type Random = (n: number) => Uint8Array;

/** A holder the patient chose: another patient (by patient id) or an admitted hospital (by authority key), hex. */
export type HolderChoice = { readonly role: 'patient' | 'hospital'; readonly id: string };

/** Why a choice cannot be set up: too few shares for the threshold, a threshold below two, or a holder the ledger does not know. */
export type SetupProblem = 'BAD_THRESHOLD' | 'UNKNOWN_HOLDER';

/** The signing key a seed gives (hex); the seed's other secrets are wiped. */
export function signKeyOf(seed: Uint8Array): string {
  const k = deriveKeys(seed);
  wipe(k.signSecret, k.boxSecret);
  return toHex(k.signPublic);
}

/** The key a holder's share is sealed to: the patient's box key or the hospital's current data key. */
function holderKey(ledger: LedgerView, h: HolderChoice): string | null {
  if (h.role === 'patient') return ledger.patients.get(h.id)?.boxKey ?? null;
  const hospital = ledger.hospitals.get(h.id);
  return hospital?.member ? hospital.dataKey : null;
}

/**
 * A SetRecovery splitting `seed` (the patient's current master seed) among
 * `holders` and, with `paper`, one printed share (returned to show once,
 * then wipe). The seed is not kept: the caller wipes it.
 */
export async function recoverySetup(
  ledger: LedgerView,
  network: Uint8Array,
  patientId: Uint8Array,
  seed: Uint8Array,
  choice: { readonly holders: readonly HolderChoice[]; readonly threshold: number; readonly paper: boolean },
  random: Random,
): Promise<{ payload: PayloadOf<typeof TxKind.SetRecovery>; paperShare: Uint8Array | null } | SetupProblem> {
  const holders = [...choice.holders].sort((a, b) => (a.id < b.id ? -1 : 1));
  const n = holders.length + (choice.paper ? 1 : 0);
  if (choice.threshold < 2 || choice.threshold > n) return 'BAD_THRESHOLD';
  const keys = holders.map((h) => holderKey(ledger, h));
  if (keys.some((k) => k === null)) return 'UNKNOWN_HOLDER';
  const signKey = hexToBytes(signKeyOf(seed));
  const parts = await split(seed, n, choice.threshold);
  const shares = holders.map((h, i) => {
    const holder = hexToBytes(h.id);
    const sealed = sealTo(hexToBytes(keys[i]!), parts[i]!, holderShareContext(network, patientId, signKey, holder), random);
    parts[i]!.fill(0);
    return { role: h.role === 'patient' ? HolderRole.Patient : HolderRole.Hospital, holder, sealed };
  });
  const payload = { kind: TxKind.SetRecovery, threshold: choice.threshold, paper: choice.paper ? 1 : 0, shares } as const;
  return { payload, paperShare: choice.paper ? parts[n - 1]! : null };
}

/** A SetRecovery turning recovery through people off. */
export const recoveryOff = (): PayloadOf<typeof TxKind.SetRecovery> => ({ kind: TxKind.SetRecovery, threshold: 0, paper: 0, shares: [] });

/**
 * Holder `holder`'s release for `ask`: their share, opened with one of
 * `readers` (a patient's box key; a hospital's data keys of every epoch),
 * sealed to the ask's box key. Null when they hold no share of the ask's
 * setting or cannot open it.
 */
export async function recoveryRelease(
  network: Uint8Array,
  ask: RecoveryAskState,
  setting: RecoverySetting,
  holder: string,
  readers: readonly RecordReader[],
  random: Random,
): Promise<PayloadOf<typeof TxKind.ReleaseRecoveryShare> | null> {
  const i = setting.holders.findIndex((h) => h.id === holder);
  if (i < 0 || setting.id !== ask.setting) return null;
  const context = holderShareContext(network, hexToBytes(ask.patient), hexToBytes(setting.signKey), hexToBytes(holder));
  for (const reader of readers) {
    const share = await openSealedAs(hexToBytes(setting.shares[i]!), reader, context);
    if (!share) continue;
    const askId = hexToBytes(ask.id);
    const box = hexToBytes(ask.box);
    const sealed = sealTo(box, share, recoveryReleaseContext(askId, box), random);
    share.fill(0);
    return { kind: TxKind.ReleaseRecoveryShare, patientId: hexToBytes(ask.patient), ask: askId, sealed };
  }
  return null;
}

/** The shares released to `ask` that the asker's box key opens (the caller wipes them). */
export async function openedReleases(ask: RecoveryAskState, box: RecordReader): Promise<Uint8Array[]> {
  const context = recoveryReleaseContext(hexToBytes(ask.id), hexToBytes(ask.box));
  const opened = await Promise.all(ask.releases.map((r) => openSealedAs(hexToBytes(r.sealed), box, context)));
  return opened.filter((s): s is Uint8Array => s !== null);
}

/**
 * The patient's seed from `shares` (released ones and any paper share):
 * null with fewer than the threshold, when the setting no longer recovers
 * the patient, or when no threshold-sized subset gives the signing key on
 * the chain (a holder released a wrong share). The shares are wiped.
 */
export async function recoveredSeed(ledger: LedgerView, patient: string, shares: readonly Uint8Array[]): Promise<Uint8Array | null> {
  try {
    const setting = liveRecovery(ledger, patient);
    if (!setting || shares.length < setting.threshold) return null;
    for (const subset of subsets(shares, setting.threshold)) {
      const seed = await combineOrNull(subset);
      if (seed && seed.length === 32 && signKeyOf(seed) === setting.signKey) return seed;
      seed?.fill(0);
    }
    return null;
  } finally {
    for (const s of shares) s.fill(0);
  }
}

/** The combined secret, or null when the library refuses the shares (two with the same x-coordinate, or of unequal length). */
async function combineOrNull(shares: Uint8Array[]): Promise<Uint8Array | null> {
  try {
    return await combine(shares);
  } catch {
    // A refused combination is one more subset that does not recover: the caller tries the next.
    return null;
  }
}
