/**
 * Founding a network (SPEC §2: "the first hospital founds the network in the
 * genesis block"; issue 6 clinician mode). Pure checks of the founding form
 * and the new network's id: a readable slug of its name plus a random
 * suffix, so two hospitals founding "City Care" get different networks
 * (the id salts every key on the network, so it is fixed at founding).
 */
import { checkAadhaar } from '../../core/aadhaar';
import { toHex } from '../../core/bytes';
import type { StrengthOf } from '../../core/passphrase-policy';
import type { RandomBytes } from '../../core/record-crypto';
import { problem } from '../../core/problem';
import { type FieldErrors, type FormResult, aadhaarProblem, checkNewPassphrase } from '../identity/form';
import { hospitalNameProblem } from './hospital';

export interface FoundInput {
  readonly networkName: string;
  readonly hospitalName: string;
  readonly aadhaar: string;
  readonly passphrase: string;
  readonly confirm: string;
}

/** At most this many characters of the network's name (it is public, in the genesis block). */
export const MAX_NETWORK_NAME = 60;

/** Each field's problem, or the checked Aadhaar digits of the founding authority. */
export function checkFounding(input: FoundInput, strengthOf: StrengthOf): FormResult<keyof FoundInput> {
  const errors: FieldErrors<keyof FoundInput> = {};
  const net = input.networkName.trim();
  if (net === '') errors.networkName = problem('NETWORK_NAME_EMPTY');
  else if ([...net].length > MAX_NETWORK_NAME) errors.networkName = problem('TOO_LONG', MAX_NETWORK_NAME);
  else if (/\p{Cc}/u.test(net)) errors.networkName = problem('UNPRINTABLE');
  const hospital = hospitalNameProblem(input.hospitalName);
  if (hospital)
    errors.hospitalName = hospital.code === 'HOSPITAL_NAME_EMPTY' ? problem('HOSPITAL_NAME_EMPTY') : problem('NAME_TOO_LONG_BYTES', ...(hospital.args ?? []));
  const aadhaar = checkAadhaar(input.aadhaar);
  if (!aadhaar.ok) errors.aadhaar = aadhaarProblem(input.aadhaar, aadhaar);
  const pass = checkNewPassphrase(input.passphrase, strengthOf, aadhaar.ok ? [aadhaar.digits] : []).error;
  if (pass) errors.passphrase = pass;
  if (input.confirm !== input.passphrase) errors.confirm = problem('DIFFER');
  if (!aadhaar.ok || Object.keys(errors).length > 0) return { ok: false, errors };
  return { ok: true, aadhaarDigits: aadhaar.digits };
}

/** A new network's id: its name's slug (letters and digits, dashes between) and 8 random hex digits. */
export function newNetworkId(name: string, random: RandomBytes): string {
  const slug = name
    .toLowerCase()
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40)
    .replace(/-+$/, '');
  return `${slug || 'net'}-${toHex(random(4))}`;
}
