/**
 * What the sealed boxes of emergency access are bound to (sealed-box.ts), so
 * a share sealed for one purpose opens for no other: a holder's share is
 * bound to the patient, the emergency key and the holder; a released share
 * to the access it answers and the clinician it goes to.
 */
import { Writer } from './encoding';
import { taggedHash } from './hash';

/** The context of the share of `patient`'s emergency key `key` sealed to `hospital`. */
export function shareContext(patient: Uint8Array, key: Uint8Array, hospital: Uint8Array): Uint8Array {
  return taggedHash('medchain/emergency-share/v1', new Writer().fixed(patient, 32).fixed(key, 32).fixed(hospital, 32).finish());
}

/** The context of a share released for emergency access `access` to the clinician's box key `clinicianBox`. */
export function releaseContext(access: Uint8Array, clinicianBox: Uint8Array): Uint8Array {
  return taggedHash('medchain/emergency-release/v1', new Writer().fixed(access, 32).fixed(clinicianBox, 32).finish());
}
