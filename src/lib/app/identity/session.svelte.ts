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
import type { LoginRefusal } from '../../messages';
import { rules } from '../../i18n/en/rules';
import { bestHeight } from '../explorer/mesh';
import { appNode } from '../node/app-node.svelte';
import { keyStanding } from '../patient/settings/identify';
import { ROTATED_MESSAGE } from '../../i18n/en/patient';
import { deriveInWorker } from './derive';
import { importIdentity } from './import-keys';
import { type LoginView, decideLogin, forProfile } from './login-decision';

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
  /** The masked number (`XXXX XXXX 1234`); null in a session opened with a recovery kit, which does not know it. */
  readonly maskedAadhaar: string | null;
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
  /** Opened by the register page: only such a session may put the patient on the chain (logging in never registers). */
  readonly registering: boolean;
}

export const session = $state<{ current: PatientSession | null }>({ current: null });

/** Keys a passphrase change replaced: they no longer act for the patient, so they do not sign in. */
export class RotatedKeysError extends Error {
  constructor() {
    super(ROTATED_MESSAGE);
  }
}

/** Log in found no patient to open (login-decision.ts): the message says why, in English; `code` picks the Hindi. */
export class LoginRefusedError extends Error {
  constructor(readonly code: LoginRefusal) {
    super(rules.login[code]);
  }
}

/** A recovery kit whose keys no patient of the running network has (another network's kit, or mistyped into a valid one). */
export class UnknownKitError extends Error {
  constructor() {
    super('no patient on this network has this recovery kit'); // for logs: the screen words it (identity.unknownKit)
  }
}

/** The keys opened another patient than the profile chosen on this device (login-decision.ts forProfile): nothing is opened. */
export class OtherProfileError extends Error {
  constructor() {
    super('these keys open another profile'); // for logs: the screen words it (profiles.otherProfile)
  }
}

type Keys = Pick<PatientSession, 'signKey' | 'signPublic' | 'boxKey' | 'boxSecret' | 'boxPublic'>;

/** The session's public ids for patient `hex`. */
function ids(hex: string): Pick<PatientSession, 'patientHex' | 'patientId' | 'shortId' | 'qrPayload' | 'networkId'> {
  const id = hexToBytes(hex);
  const networkId = keyNetworkId();
  return { patientHex: hex, patientId: longId(id), shortId: shortId(id), qrPayload: patientQrPayload(networkId, id), networkId };
}

/** What this device's node knows now, for the log-in decision (null: no node runs). */
function loginView(): LoginView | null {
  const node = appNode().node;
  if (!node) return null;
  const height = node.status().height;
  return { ledger: node.ledger(), height, bestHeight: bestHeight(height, node.peers()), pending: (node.chain()?.pendingTxs() ?? []).map((e) => e.tx) };
}

/** Refuses before the slow KDF when no node runs or starts: there is nothing to look the patient up in. */
function requireNode(): void {
  const app = appNode();
  if (!app.node && app.phase !== 'starting') throw new LoginRefusedError('NO_NETWORK');
}

/** No node to decide with (yet): one that is starting will know soon. */
const noNode = (): LoginRefusedError => new LoginRefusedError(appNode().phase === 'starting' ? 'SYNCING' : 'NO_NETWORK');

type How = Pick<PatientSession, 'displayName' | 'maskedAadhaar' | 'kdfSeconds' | 'fromKit' | 'registering'>;

/**
 * Signs in with keys. Registering opens them whatever the ledger says (a
 * replaced key is refused); logging in, with a passphrase or a kit, opens
 * only a patient this device's node knows (decideLogin) and, when the person
 * chose a profile first (`chosen`, its hex id), only that one (forProfile).
 */
function open(keys: Keys, how: How, chosen: string | null = null): PatientSession {
  let patient: string | null = null;
  let refused: Error | null = null;
  if (how.registering) {
    const standing = keyStanding(appNode().node?.ledger() ?? null, keys.signPublic);
    if (standing.status === 'rotated') refused = new RotatedKeysError();
    else patient = standing.patient;
  } else {
    const view = loginView();
    const decision = view ? forProfile(decideLogin(view, keys.signPublic), chosen) : null;
    if (!decision) refused = noNode();
    else if (decision.kind === 'open') patient = decision.patient;
    else if (decision.kind === 'other-profile') refused = new OtherProfileError();
    else if (decision.kind === 'rotated') refused = new RotatedKeysError();
    else if (decision.kind === 'syncing') refused = new LoginRefusedError('SYNCING');
    else refused = how.fromKit ? new UnknownKitError() : new LoginRefusedError('UNKNOWN_PATIENT');
  }
  if (refused || patient === null) {
    keys.boxSecret?.fill(0);
    throw refused ?? new LoginRefusedError('UNKNOWN_PATIENT');
  }
  // Whoever was signed in is signed out first (keys wiped): one person's keys never stay beside the next one's.
  if (session.current) signOut();
  const next: PatientSession = {
    ...how,
    ...ids(patient),
    signKey: keys.signKey,
    signPublic: keys.signPublic,
    boxKey: keys.boxKey,
    boxSecret: keys.boxSecret,
    boxPublic: keys.boxPublic,
  };
  session.current = next;
  return next;
}

/** Registers (register page only): derives the keys in a worker and opens them; the patient page then puts them on the chain. `aadhaarDigits` must already be checked. */
export async function register(
  aadhaarDigits: string,
  passphrase: string,
  displayName: string,
  onProgress: (fraction: number) => void,
): Promise<PatientSession> {
  const started = performance.now();
  const keys = await deriveInWorker(keyNetworkId(), aadhaarDigits, passphrase, onProgress);
  return open(keys, {
    displayName,
    maskedAadhaar: maskAadhaar(aadhaarDigits),
    kdfSeconds: (performance.now() - started) / 1000,
    fromKit: false,
    registering: true,
  });
}

/**
 * Logs in: derives the keys in a worker and opens them only if this
 * device's node knows the patient (and it is `chosen`, the hex id of the
 * profile picked on this device, when one was); otherwise throws
 * LoginRefusedError (unknown, still syncing, no network), RotatedKeysError
 * or OtherProfileError, and nothing is kept or sent. `aadhaarDigits` must
 * already be checked.
 */
export async function logIn(
  aadhaarDigits: string,
  passphrase: string,
  onProgress: (fraction: number) => void,
  chosen: string | null = null,
): Promise<PatientSession> {
  requireNode();
  const started = performance.now();
  const keys = await deriveInWorker(keyNetworkId(), aadhaarDigits, passphrase, onProgress);
  return open(
    keys,
    {
      displayName: null,
      maskedAadhaar: maskAadhaar(aadhaarDigits),
      kdfSeconds: (performance.now() - started) / 1000,
      fromKit: false,
      registering: false,
    },
    chosen,
  );
}

/**
 * Signs in with a recovery kit's seed (SPEC §2): the keys are derived here
 * (HKDF only, no slow KDF) and imported as non-extractable keys; the seed
 * and raw secrets are wiped, whatever happens. A kit only restores a
 * patient the node knows, like logging in (and only `chosen`, when the
 * person picked a profile on this device).
 */
export async function signInWithSeed(seed: Uint8Array, chosen: string | null = null): Promise<PatientSession> {
  try {
    requireNode();
  } catch (e) {
    wipe(seed);
    throw e;
  }
  const raw = deriveKeys(seed);
  wipe(seed);
  const keys = await importIdentity(raw);
  return open(keys, { displayName: null, maskedAadhaar: null, kdfSeconds: 0, fromKit: true, registering: false }, chosen);
}

/** After a passphrase change is in a block: the session acts with the new keys (same patient); the old box secret is wiped. */
export function adoptKeys(keys: Keys): void {
  const s = session.current;
  if (!s) return;
  s.boxSecret?.fill(0);
  session.current = {
    ...s,
    signKey: keys.signKey,
    signPublic: keys.signPublic,
    boxKey: keys.boxKey,
    boxSecret: keys.boxSecret,
    boxPublic: keys.boxPublic,
    fromKit: false,
  };
}

/** Signed in before the ledger was open: the patient id the ledger gives this key (a no-op when it is the same). */
export function reidentify(patientHex: string): void {
  const s = session.current;
  if (s && s.patientHex !== patientHex) session.current = { ...s, ...ids(patientHex) };
}

/** What else holds a session's secrets in memory (a passphrase change's new keys): wiped at every sign-out. */
const onSignOutHooks: (() => void)[] = [];

/**
 * Runs `wipe` at every sign-out, so nothing of one profile is left in memory
 * when the next one opens on the same device (SPEC §2 "Family"). Modules
 * that hold keys of their own register here (they import this module, so it
 * cannot import them).
 */
export function onSignOut(wipe: () => void): void {
  if (!onSignOutHooks.includes(wipe)) onSignOutHooks.push(wipe);
}

/** Signs out: the box secret is zeroed, the keys dropped, and every {@link onSignOut} hook wipes what it holds. */
export function signOut(): void {
  session.current?.boxSecret?.fill(0);
  session.current = null;
  for (const wipe of onSignOutHooks) wipe();
}
