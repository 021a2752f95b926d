/**
 * The signed-in patient, in memory only (SPEC §2): private keys as
 * non-extractable CryptoKeys, public keys, the display name and the public
 * ids. The Aadhaar number is not kept at all, only its masked form; nothing
 * here is written to localStorage, IndexedDB or the URL. Closing or
 * reloading the tab signs out (logging in again derives the same keys).
 */
import { maskAadhaar } from '../../core/aadhaar';
import { hexToBytes } from '../../core/bytes';
import { patientQrPayload, shortId, longId } from '../../core/ids';
import { deriveKeys, wipe } from '../../core/keys';
import { DEFAULT_PARAMS } from '../../core/params';
import { appNode } from '../node/app-node.svelte';
import { ROTATED_MESSAGE, keyStanding } from '../patient/settings/identify';
import { deriveInWorker } from './derive';
import { importIdentity } from './import-keys';

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
  /** Hex patient id: the ledger's, which after a passphrase change is no longer the hash of this key. */
  readonly patientHex: string;
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
  /** Signed in with a recovery kit: the app suggests choosing a new passphrase. */
  readonly fromKit: boolean;
  /** The network whose id salted these keys: on another network they are someone else's (or no one's). */
  readonly networkId: string;
}

export const session = $state<{ current: PatientSession | null }>({ current: null });

/** Keys a passphrase change replaced: they no longer act for the patient, so they do not sign in. */
export class RotatedKeysError extends Error {
  constructor() {
    super(ROTATED_MESSAGE);
  }
}

/** A recovery kit whose keys no patient of the running network has (another network's kit, or mistyped into a valid one). */
export class UnknownKitError extends Error {
  constructor() {
    super('No patient on this network has this recovery kit. Check that this device runs the network you registered on.');
  }
}

type Keys = Pick<PatientSession, 'signKey' | 'signPublic' | 'boxKey' | 'boxSecret' | 'boxPublic'>;

/** The session's public ids for patient `hex`. */
function ids(hex: string): Pick<PatientSession, 'patientHex' | 'patientId' | 'shortId' | 'qrPayload' | 'networkId'> {
  const id = hexToBytes(hex);
  const networkId = keyNetworkId();
  return { patientHex: hex, patientId: longId(id), shortId: shortId(id), qrPayload: patientQrPayload(networkId, id), networkId };
}

/** Signs in with keys: the patient is looked up on this device's ledger when it is open (a replaced key is refused). */
function open(keys: Keys, rest: Pick<PatientSession, 'displayName' | 'maskedAadhaar' | 'kdfSeconds' | 'fromKit'>): PatientSession {
  const ledger = appNode().node?.ledger() ?? null;
  const standing = keyStanding(ledger, keys.signPublic);
  // A kit only restores an existing patient: with the ledger open, an unknown key is someone else's kit.
  const refused = standing.status === 'rotated' ? new RotatedKeysError() : rest.fromKit && ledger && standing.status === 'unknown' ? new UnknownKitError() : null;
  if (refused) {
    keys.boxSecret?.fill(0);
    throw refused;
  }
  const next: PatientSession = { ...rest, ...ids(standing.patient), signKey: keys.signKey, signPublic: keys.signPublic, boxKey: keys.boxKey, boxSecret: keys.boxSecret, boxPublic: keys.boxPublic };
  session.current = next;
  return next;
}

/** Derives the keys in a worker and signs in. `aadhaarDigits` must already be checked. */
export async function signIn(
  aadhaarDigits: string,
  passphrase: string,
  displayName: string | null,
  onProgress: (fraction: number) => void,
): Promise<PatientSession> {
  const started = performance.now();
  const keys = await deriveInWorker(keyNetworkId(), aadhaarDigits, passphrase, onProgress);
  return open(keys, { displayName, maskedAadhaar: maskAadhaar(aadhaarDigits), kdfSeconds: (performance.now() - started) / 1000, fromKit: false });
}

/**
 * Signs in with a recovery kit's seed (SPEC §2): the keys are derived here
 * (HKDF only, no slow KDF) and imported as non-extractable keys; the seed
 * and raw secrets are wiped, whatever happens.
 */
export async function signInWithSeed(seed: Uint8Array): Promise<PatientSession> {
  const raw = deriveKeys(seed);
  wipe(seed);
  const keys = await importIdentity(raw);
  return open(keys, { displayName: null, maskedAadhaar: 'Not known (signed in with a recovery kit)', kdfSeconds: 0, fromKit: true });
}

/** After a passphrase change is in a block: the session acts with the new keys (same patient); the old box secret is wiped. */
export function adoptKeys(keys: Keys): void {
  const s = session.current;
  if (!s) return;
  s.boxSecret?.fill(0);
  session.current = { ...s, signKey: keys.signKey, signPublic: keys.signPublic, boxKey: keys.boxKey, boxSecret: keys.boxSecret, boxPublic: keys.boxPublic, fromKit: false };
}

/** Signed in before the ledger was open: the patient id the ledger gives this key (a no-op when it is the same). */
export function reidentify(patientHex: string): void {
  const s = session.current;
  if (s && s.patientHex !== patientHex) session.current = { ...s, ...ids(patientHex) };
}

export function signOut(): void {
  session.current?.boxSecret?.fill(0);
  session.current = null;
}
