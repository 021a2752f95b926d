/**
 * The end of a recovery through people (SPEC §2, issue 15), on the
 * recovering device: the released shares the ask's box key opens, and the
 * printed share if typed in, are combined into the seed, kept only if it
 * gives the patient's signing key on the chain (shares.ts); the seed then
 * signs in as a recovery kit would (it is wiped there), and the passphrase
 * change to the new keys is sent as any other is (passphrase-change: the
 * re-wraps included; every node checks the rotation).
 */
import type { LedgerView, RecoveryAskState } from '../../core/ledger';
import type { RecordReader } from '../../core/record-crypto';
import { secretReader } from '../../core/record-crypto';
import { browserRandom } from '../clinician/session.svelte';
import type { DerivedKeys } from '../identity/derive';
import { rememberSession } from '../identity/device-profiles.svelte';
import { signInWithSeed } from '../identity/session.svelte';
import type { NodeAccess } from '../node-access';
import { sessionKeys, webCryptoReader } from '../patient/keys';
import { rotateTo } from '../patient/settings/passphrase-change.svelte';
import { openedReleases, recoveredSeed } from './shares';

/** The reader of the new box key (non-extractable where the browser can hold X25519 keys). */
export function newBoxReader(keys: DerivedKeys): RecordReader {
  return keys.boxKey ? webCryptoReader(keys.boxKey, keys.boxPublic) : secretReader(keys.boxSecret ?? new Uint8Array(32));
}

/** Shares this device can use now: those released to the ask, and the printed one (copied: the caller keeps and wipes its own). */
export async function sharesAtHand(ask: RecoveryAskState, keys: DerivedKeys, paper: Uint8Array | null): Promise<Uint8Array[]> {
  const shares = await openedReleases(ask, newBoxReader(keys));
  if (paper) shares.push(paper.slice());
  return shares;
}

/**
 * Combines, signs in with the recovered seed and sends the rotation to
 * `keys`. False when the shares do not give the patient's key (too few, or
 * a wrong one among them); the sign-in's errors are thrown as a kit's are.
 */
export async function finishRecovery(
  node: NodeAccess,
  ledger: LedgerView,
  ask: RecoveryAskState,
  keys: DerivedKeys,
  paper: Uint8Array | null,
): Promise<boolean> {
  const seed = await recoveredSeed(ledger, ask.patient, await sharesAtHand(ask, keys, paper));
  if (!seed) return false;
  // Only the patient asked for opens (as a kit chosen for a profile would), and this device remembers the profile.
  const s = await signInWithSeed(seed, ask.patient);
  rememberSession(s, null);
  const me = sessionKeys({
    patientIdHex: ask.patient,
    signKey: s.signKey,
    signPublic: s.signPublic,
    boxKey: s.boxKey,
    boxSecret: s.boxSecret,
    boxPublic: s.boxPublic,
  });
  await rotateTo({ node, random: browserRandom, me }, keys);
  return true;
}
