/**
 * This device's profiles for the screens (issue 15, SPEC §2 "Family"): the
 * list in the browser's storage (profiles.ts) read reactively, and the
 * profile a person picked to log in as. Picking one signs the current person
 * out first — their keys are wiped from memory — so nothing of one profile
 * is readable while another is open; the picked profile still needs its own
 * Aadhaar number and passphrase (or kit), and log in refuses keys of anyone
 * else (login-decision.ts forProfile).
 */
import { hexToBytes } from '../../core/bytes';
import { shortId } from '../../core/ids';
import { browserStore } from '../notify/read-state';
import { type Profile, type ProfileUse, forgetProfile, listProfiles, rememberProfile } from './profiles';
import { type PatientSession, keyNetworkId, signOut } from './session.svelte';

export type { Profile };

const store = browserStore();
/** Bumped on every change this tab makes, so lists re-read the store. */
const changes = $state({ count: 0 });

/** The profile picked on this device for the next log in (memory only; null: anyone, by number and passphrase). */
export const picked = $state<{ current: Profile | null }>({ current: null });

/** The profiles of the network this device runs, most recently used first (reactive). */
export function deviceProfiles(): Profile[] {
  void changes.count;
  return listProfiles(store, keyNetworkId());
}

/** Adds or updates a profile as it is opened (register or log in), using the app's clock for "last used". */
export function rememberOnDevice(use: ProfileUse): Profile {
  const kept = rememberProfile(store, use, Date.now());
  changes.count++;
  return kept;
}

/**
 * After a register or log in on this device: the session's profile is added
 * or updated (`label` null keeps the label it has; a new one with none is
 * shown by its short id) and the pick is spent.
 */
export function rememberSession(s: PatientSession, label: string | null, guardian?: boolean): Profile {
  picked.current = null;
  return rememberOnDevice({ patient: s.patientHex, network: s.networkId, label, guardian });
}

/** Forgets a profile on this device only; nothing is sent to the chain. */
export function forgetOnDevice(profile: Profile): void {
  if (picked.current?.patient === profile.patient) picked.current = null;
  if (forgetProfile(store, profile.patient, profile.network)) changes.count++;
}

/** Signs out whoever is signed in (keys wiped) and picks `profile` (null: someone not listed) for the log-in form. */
export function switchTo(profile: Profile | null): void {
  signOut();
  picked.current = profile;
}

/** The short id people read, of a profile's hex id. */
export const profileShortId = (p: Pick<Profile, 'patient'>): string => shortId(hexToBytes(p.patient));

/** The name a profile is shown by: its label, or `unnamed` of its short id when it has none. */
export const profileName = (p: Pick<Profile, 'label' | 'patient'>, unnamed: (short: string) => string): string => p.label || unnamed(profileShortId(p));
