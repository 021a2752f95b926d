/**
 * The signed-in patient, in memory only (SPEC §2): private keys as
 * non-extractable CryptoKeys, public keys, the display name and the public
 * ids. The Aadhaar number is not kept at all, only its masked form; nothing
 * here is written to localStorage, IndexedDB or the URL. Closing or
 * reloading the tab signs out (logging in again derives the same keys).
 */
import { maskAadhaar } from '../../core/aadhaar';
import { patientIdOf, patientQrPayload, shortId, longId } from '../../core/ids';
import { DEFAULT_PARAMS } from '../../core/params';
import { appNode } from '../node/app-node.svelte';
import { deriveInWorker } from './derive';

/**
 * The network whose id salts the KDF (SPEC §2): the network this device
 * runs, so the same Aadhaar number and passphrase give the same keys on
 * every device of that network (and different keys on another network);
 * medchain's default id before any network runs.
 */
export function keyNetworkId(): string {
  return appNode().network?.id ?? DEFAULT_PARAMS.id;
}

export interface PatientSession {
  readonly displayName: string | null;
  readonly maskedAadhaar: string;
  readonly patientId: string;
  readonly shortId: string;
  readonly qrPayload: string;
  readonly signKey: CryptoKey;
  readonly signPublic: Uint8Array;
  readonly boxKey: CryptoKey | null;
  readonly boxSecret: Uint8Array | null;
  readonly boxPublic: Uint8Array;
  /** Seconds the KDF took (shown, never asserted). */
  readonly kdfSeconds: number;
}

export const session = $state<{ current: PatientSession | null }>({ current: null });

/** Derives the keys in a worker and signs in. `aadhaarDigits` must already be checked. */
export async function signIn(
  aadhaarDigits: string,
  passphrase: string,
  displayName: string | null,
  onProgress: (fraction: number) => void,
): Promise<PatientSession> {
  const started = performance.now();
  const networkId = keyNetworkId();
  const keys = await deriveInWorker(networkId, aadhaarDigits, passphrase, onProgress);
  const id = patientIdOf(keys.signPublic);
  const next: PatientSession = {
    displayName,
    maskedAadhaar: maskAadhaar(aadhaarDigits),
    patientId: longId(id),
    shortId: shortId(id),
    qrPayload: patientQrPayload(networkId, id),
    signKey: keys.signKey,
    signPublic: keys.signPublic,
    boxKey: keys.boxKey,
    boxSecret: keys.boxSecret,
    boxPublic: keys.boxPublic,
    kdfSeconds: (performance.now() - started) / 1000,
  };
  session.current = next;
  return next;
}

export function signOut(): void {
  session.current?.boxSecret?.fill(0);
  session.current = null;
}
