/**
 * What the kinds' ledger rules share (SPEC §2 to §4): failing with a rule
 * code, who acts for a hospital or a patient, claiming a signing key,
 * usable box keys, reader lists and key blobs, and the messages payload
 * proofs sign. Each check keeps its one comment and one RuleCode.
 */
import { x25519 } from '@noble/curves/ed25519.js';
import { toHex } from '../bytes';
import { Writer } from '../encoding';
import { RuleError, type RuleCode } from '../errors';
import { taggedHash } from '../hash';
import type { Ledger } from '../ledger';
import { type BlobRef, type Day, dayOf, keyBlobBytes } from '../payload-fields';

/** All zeros: "no hospital" in a record, "answers nothing" in a grant. */
export const ZERO_KEY = new Uint8Array(32);

/** Throws the RuleError of the rule `code` (the code also ends the message, for logs). */
export function fail(code: RuleCode, message: string): never {
  throw new RuleError(code, `${message} (${code})`);
}

/** The message a new patient key signs to prove it takes over a patient id on `network` (its genesis hash; 32-byte fields only). */
export function rotationMessage(network: Uint8Array, patientId: Uint8Array, newSign: Uint8Array, newBox: Uint8Array): Uint8Array {
  return taggedHash('medchain/rotate-keys/v2', fixed32(network, patientId, newSign, newBox));
}

/** The message a staff key signs to accept certification by a hospital on `network` (so no one can claim another's key, nor carry the consent to another network). */
export function staffMessage(network: Uint8Array, hospital: Uint8Array, staffSign: Uint8Array, staffBox: Uint8Array): Uint8Array {
  return taggedHash('medchain/certify-staff/v2', fixed32(network, hospital, staffSign, staffBox));
}

/** Canonical encoding of 32-byte fields (asserts each length: never a join of variable parts). */
function fixed32(...fields: Uint8Array[]): Uint8Array {
  const w = new Writer();
  for (const f of fields) w.fixed(f, 32);
  return w.finish();
}

/** Whether an X25519 public key allows key agreement (not of low order). */
export function usableBoxKey(key: Uint8Array): boolean {
  const k = toHex(key);
  let ok = usable.get(k);
  if (ok === undefined) {
    try {
      x25519.getSharedSecret(PROBE_SCALAR, key);
      ok = true;
    } catch {
      // noble throws on a low-order point (an all-zero shared secret): that is the answer, not an error.
      ok = false;
    }
    // The answer never changes: remember it (bounded), since every node applies a key's transaction again on each reorganisation.
    if (usable.size >= 4096) usable.delete(usable.keys().next().value!);
    usable.set(k, ok);
  }
  return ok;
}
const usable = new Map<string, boolean>();
const PROBE_SCALAR = new Uint8Array(32).fill(0x42);

/** BAD_KEY unless `key` allows key agreement. */
export function requireBoxKey(key: Uint8Array): void {
  // X25519 keys must allow key agreement: a low-order key would make every wrap to it fail.
  if (!usableBoxKey(key)) fail('BAD_KEY', 'X25519 key of low order');
}

/** Where the ledger records a validator's equivocation at a height. */
export const evidenceSlot = (validator: string, height: number) => `${validator}/${height}`;

/** BAD_KEY_SIZE unless the key blob holds exactly one wrapped key per reader. */
export function requireKeyBlob(keys: BlobRef, readers: number): void {
  // The key blob declares exactly one wrapped key per reader (no more, no fewer), so every reader can open the record.
  if (keys.size !== keyBlobBytes(readers)) fail('BAD_KEY_SIZE', `key blob of ${keys.size} bytes for ${readers} readers`);
}

/** The keys as hex when strictly ascending (so unique); null otherwise. */
export function sortedUnique(keys: readonly Uint8Array[]): string[] | null {
  const hex = keys.map(toHex);
  for (let i = 1; i < hex.length; i++) if (hex[i - 1]! >= hex[i]!) return null;
  return hex;
}

/** The hospital the author acts for: its authority, or one of its active staff. */
export function actingHospital(ledger: Ledger, author: string, hospital: string): void {
  const h = ledger.hospitals.get(hospital);
  // The named hospital must be admitted.
  if (!h?.member) fail('UNKNOWN_HOSPITAL', 'not an admitted hospital');
  const s = ledger.staff.get(author);
  // The author must be the hospital's authority or its active staff.
  if (author !== hospital && !(s?.active && s.hospital === hospital)) fail('NOT_AUTHORISED', 'author does not act for this hospital');
}

/** The patient whose current key signed the transaction, whatever the profile's guardianship (only a passphrase change may use this: it is the handover). */
export function patientKeyHolder(ledger: Ledger, author: string): string {
  const k = ledger.keys.get(author);
  const p = k?.role === 'patient' ? ledger.patients.get(k.patient) : undefined;
  // Only the patient's current signing key acts for the patient.
  if (!p || p.signKey !== author) fail('NOT_AUTHORISED', 'author is not the patient');
  return p.id;
}

/**
 * The patient whose current key signed the transaction at `time`. A minor's
 * profile whose guardianship has reached its end (the 18th birthday) acts
 * only to change its passphrase, the handover (kinds/attest-guardian.ts):
 * until then the guardian, who knows the passphrase, could still act as the
 * adult patient.
 */
export function actingPatient(ledger: Ledger, t: { readonly author: string; readonly time: number }): string {
  const patient = patientKeyHolder(ledger, t.author);
  const g = ledger.guardianships.get(patient);
  // An adult's profile still under the guardian's passphrase acts only to hand over (change the passphrase).
  if (g && g.handedOver === null && dayOf(t.time) >= g.until)
    fail('GUARDIANSHIP_ENDED', 'the patient is an adult: only a passphrase change hands the profile over');
  return patient;
}

/** The registered patient `patient` names (hex); UNKNOWN_PATIENT otherwise. */
export function requirePatient(ledger: Ledger, patient: Uint8Array): string {
  const id = toHex(patient);
  // The patient must be registered.
  if (!ledger.patients.has(id)) fail('UNKNOWN_PATIENT', 'patient not registered');
  return id;
}

/** Gives a signing key its one role; KEY_IN_USE when it holds one already. */
export function claimKey(ledger: Ledger, key: string, role: Parameters<Ledger['keys']['set']>[1]): void {
  // A signing key holds one role, once.
  if (ledger.keys.has(key)) fail('KEY_IN_USE', 'signing key already registered');
  ledger.keys.set(key, role);
}

/** BAD_RANGE unless a date range starts no later than it ends. */
export function requireRange(from: Day, to: Day): void {
  // A date range ends on or after the day it starts.
  if (from > to) fail('BAD_RANGE', 'date range ends before it starts');
}

/**
 * The request or referral `id` may still be answered at `time`: it is
 * answered once (ALREADY_DONE), and a request not after its answer-by time
 * (REQUEST_EXPIRED).
 */
export function requireOpenAsk(ledger: Ledger, id: string, time: number): void {
  // A request or referral is answered once: granted or refused.
  if (ledger.answers.has(id)) fail('ALREADY_DONE', 'already answered');
  const request = ledger.requests.get(id);
  // An unanswered request expires at its answer-by time.
  if (request && request.answerBy <= time) fail('REQUEST_EXPIRED', 'the request expired unanswered');
}
