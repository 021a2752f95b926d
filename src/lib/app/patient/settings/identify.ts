/**
 * Which patient a signing key acts for (SPEC §2). A patient's public id is
 * the hash of the key they registered with; after a passphrase change the
 * new key acts for that same id, so the id is looked up on the ledger, not
 * recomputed. A key a passphrase change replaced still points at its
 * patient but no longer acts for it: the app says so instead of letting the
 * ledger refuse every action.
 */
import { toHex } from '../../../core/bytes';
import { patientIdOf } from '../../../core/ids';
import type { LedgerView } from '../../../core/ledger';

export type KeyStanding =
  /** The patient's current key. */
  | { readonly status: 'current'; readonly patient: string }
  /** A key a passphrase change replaced: it no longer acts for the patient. */
  | { readonly status: 'rotated'; readonly patient: string }
  /** Not on the ledger (yet): a new patient, or a node that has not synced; the id is the key's own hash. */
  | { readonly status: 'unknown'; readonly patient: string };

/** The standing of a patient signing key on `ledger` (unknown when there is no ledger yet). */
export function keyStanding(ledger: LedgerView | null, signPublic: Uint8Array): KeyStanding {
  const key = toHex(signPublic);
  const role = ledger?.keys.get(key);
  if (ledger && role?.role === 'patient') {
    const p = ledger.patients.get(role.patient);
    return { status: p?.signKey === key ? 'current' : 'rotated', patient: role.patient };
  }
  return { status: 'unknown', patient: toHex(patientIdOf(signPublic)) };
}
