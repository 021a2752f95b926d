/**
 * The signed-in hospital authority or staff member, in memory only (SPEC §2,
 * §7). Keys are derived like a patient's (Aadhaar number + passphrase in the
 * key-derivation worker); the signing and box keys stay non-extractable
 * WebCrypto keys where the browser allows. Whether the person is an authority or staff is read from the ledger,
 * not chosen.
 */
import { signWebCrypto } from '../../adapters/webcrypto-ed25519';
import { toHex } from '../../core/bytes';
import { checkLogin, type FieldErrors, type LoginInput } from '../identity/form';
import { keyNetworkId } from '../identity/session.svelte';
import { deriveInWorker } from '../identity/derive';
import { type RecordReader, secretReader } from '../../core/record-crypto';
import { webCryptoReader } from '../patient/keys';
import type { Signer } from './sign';

export interface ClinicianSession {
  readonly signer: Signer;
  /** Hex of the signing key: the hospital id for an authority, the staff id for staff. */
  readonly id: string;
  readonly boxPublic: Uint8Array;
  /** Opens wraps with the X25519 key: a non-extractable WebCrypto key, or raw bytes where the browser has no X25519. */
  readonly box: RecordReader;
  /** The raw X25519 secret in that second case, wiped on sign-out. */
  readonly boxSecret: Uint8Array | null;
  /**
   * The raw Ed25519 secret, kept only while these keys may be a hospital's
   * (an authority votes on blocks through its node, which signs in the pure
   * core, SPEC §5): handed to the node once the hospital is admitted, wiped
   * at once for staff and on sign-out.
   */
  validatorSecret: Uint8Array | null;
  /** The network whose id salted these keys. */
  readonly networkId: string;
}

export const clinician = $state<{ current: ClinicianSession | null }>({ current: null });

/**
 * Derives the keys in a worker and signs in; `aadhaarDigits` must already be
 * checked. `networkId` salts the keys: the running network's by default, a
 * new network's when its founder signs in before it exists.
 */
export async function clinicianSignIn(
  aadhaarDigits: string,
  passphrase: string,
  onProgress: (f: number) => void,
  networkId = keyNetworkId(),
): Promise<ClinicianSession> {
  const keys = await deriveInWorker(networkId, aadhaarDigits, passphrase, onProgress, 'sign-secret');
  const signer: Signer = { publicKey: keys.signPublic, sign: (m) => signWebCrypto(keys.signKey, m) };
  const box = keys.boxKey ? webCryptoReader(keys.boxKey, keys.boxPublic) : secretReader(keys.boxSecret ?? new Uint8Array(32));
  const next: ClinicianSession = {
    signer,
    id: toHex(keys.signPublic),
    boxPublic: keys.boxPublic,
    box,
    boxSecret: keys.boxSecret,
    validatorSecret: keys.signSecret,
    networkId,
  };
  clinician.current = next;
  return next;
}

/** Checks the form, then signs in: the field problems, KEYS_FAILED when the keys could not be made, or null on success. */
export async function clinicianLogin(
  input: LoginInput,
  onProgress: (f: number) => void,
): Promise<{ errors: FieldErrors<keyof LoginInput>; failure: 'KEYS_FAILED' | null } | null> {
  const checked = checkLogin(input);
  if (!checked.ok) return { errors: checked.errors, failure: null };
  try {
    await clinicianSignIn(checked.aadhaarDigits, input.passphrase, onProgress);
    return null;
  } catch {
    // The KDF worker or WebCrypto failed: nothing was stored, the screen says so (identity.keysFailed).
    return { errors: {}, failure: 'KEYS_FAILED' };
  }
}

/** Wipes the session's raw signing secret (staff, patients, or once the node holds it). */
export function dropValidatorSecret(session: ClinicianSession): void {
  session.validatorSecret?.fill(0);
  session.validatorSecret = null;
}

export function clinicianSignOut(): void {
  clinician.current?.boxSecret?.fill(0);
  if (clinician.current) dropValidatorSecret(clinician.current);
  clinician.current = null;
}

/** Browser randomness for the actions (outside the pure core). */
export const browserRandom = (n: number): Uint8Array => crypto.getRandomValues(new Uint8Array(n));
