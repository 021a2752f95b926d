/**
 * The profiles this device has opened (issue 15, SPEC §2 "Family"): a
 * family's phone holds several people, each still signing in with their own
 * Aadhaar number and passphrase. The list only lets a person pick whose login
 * form to open; it holds public data only — the label the person chose, the
 * public patient id, the network and when it was last used — never the
 * Aadhaar number, anything derived from it, a passphrase or a key.
 *
 * Storage is not trusted: a list that does not parse is read as empty, and
 * an entry of the wrong shape is dropped, so a damaged entry never stops the
 * login page. Entries of other networks are kept but not listed: the same
 * person has another id there. Forgetting a profile touches only this list,
 * never the chain.
 */
import type { KeyValueStore } from '../notify/read-state';

/** One profile on this device (public data only). */
export interface Profile {
  /** What the person called it, e.g. "Asha (daughter)"; empty when none was given (the screen shows the short id). */
  readonly label: string;
  /** The ledger's patient id, hex. */
  readonly patient: string;
  /** The network whose id salted this profile's keys. */
  readonly network: string;
  /** When it was last signed in or registered here (ms since 1970, from the app's clock). */
  readonly lastUsed: number;
  /** Registered by a guardian for a child in their care (the hospital's attestation is on the chain, not here). */
  readonly guardian: boolean;
}

/** The storage key; a new shape gets a new version, and the old list is then ignored rather than misread. */
export const PROFILES_KEY = 'medchain.profiles.v1';

/** Longest label kept (the register page's name field allows the same). */
export const MAX_LABEL = 80;

/** Most profiles kept on one device: the least recently used beyond this are forgotten. */
export const MAX_PROFILES = 24;

const HEX64 = /^[0-9a-f]{64}$/;

/** A label as kept: trimmed, at most {@link MAX_LABEL} characters. */
export function cleanLabel(label: string): string {
  return Array.from(label.trim()).slice(0, MAX_LABEL).join('');
}

function isProfile(v: unknown): v is Profile {
  const p = v as Partial<Profile>;
  return (
    typeof v === 'object' &&
    v !== null &&
    typeof p.label === 'string' &&
    HEX64.test(String(p.patient)) &&
    typeof p.network === 'string' &&
    p.network !== '' &&
    Number.isSafeInteger(p.lastUsed) &&
    typeof p.guardian === 'boolean'
  );
}

/** Every profile stored, of every network (empty when the stored text is not a list). */
function readAll(store: KeyValueStore): Profile[] {
  const text = store.get(PROFILES_KEY);
  if (text === null) return [];
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    // Damaged (cut short, edited by hand): the list starts afresh; each person can still log in by number and passphrase.
    return [];
  }
  if (!Array.isArray(v)) return [];
  return v.filter(isProfile).map((p) => ({ label: cleanLabel(p.label), patient: p.patient, network: p.network, lastUsed: p.lastUsed, guardian: p.guardian }));
}

function writeAll(store: KeyValueStore, all: readonly Profile[]): void {
  const kept = [...all].sort((a, b) => b.lastUsed - a.lastUsed).slice(0, MAX_PROFILES);
  store.set(PROFILES_KEY, JSON.stringify(kept));
}

const same = (p: Profile, patient: string, network: string) => p.patient === patient && p.network === network;

/** The profiles of `network`, most recently used first. */
export function listProfiles(store: KeyValueStore, network: string): Profile[] {
  return readAll(store)
    .filter((p) => p.network === network)
    .sort((a, b) => b.lastUsed - a.lastUsed);
}

/** What opening a profile tells the list: `label` null keeps the label it has; `guardian` undefined keeps the flag. */
export interface ProfileUse {
  readonly patient: string;
  readonly network: string;
  readonly label: string | null;
  readonly guardian?: boolean;
}

/**
 * Adds the profile, or updates it when this id is already listed on this
 * network: a new label replaces the old one, and it becomes the most
 * recently used. Returns the profile as kept.
 */
export function rememberProfile(store: KeyValueStore, use: ProfileUse, now: number): Profile {
  if (!HEX64.test(use.patient)) throw new TypeError('a profile needs a hex patient id');
  const all = readAll(store);
  const old = all.find((p) => same(p, use.patient, use.network));
  const kept: Profile = {
    label: use.label === null ? (old?.label ?? '') : cleanLabel(use.label),
    patient: use.patient,
    network: use.network,
    lastUsed: now,
    guardian: use.guardian ?? old?.guardian ?? false,
  };
  writeAll(store, [kept, ...all.filter((p) => !same(p, use.patient, use.network))]);
  return kept;
}

/** Forgets the profile on this device only (its records and consents stay on the chain); returns whether it was listed. */
export function forgetProfile(store: KeyValueStore, patient: string, network: string): boolean {
  const all = readAll(store);
  const rest = all.filter((p) => !same(p, patient, network));
  if (rest.length === all.length) return false;
  writeAll(store, rest);
  return true;
}
