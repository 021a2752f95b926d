/**
 * The demo network's sample people (issue 6 first screen): made-up Aadhaar
 * numbers (valid format and check digit, SPEC §2) and passphrases, shown on
 * the start screen so a newcomer can log in as the demo hospital's
 * authority or as a sample patient. Their keys are derived exactly as a
 * real log-in derives them (argon2id under the demo network's id), so the
 * demo exercises the real path. These are public fixtures, not anyone's
 * identity; a real network never has such a list.
 */
import { verhoeffDigit } from '../../core/verhoeff';

export interface DemoLogin {
  readonly name: string;
  readonly aadhaar: string;
  readonly passphrase: string;
}

const withCheck = (body: string): string => body + String(verhoeffDigit(body));

/** The demo hospital's authority. */
export const DEMO_AUTHORITY: DemoLogin = { name: 'Dr. Asha Rao (authority)', aadhaar: withCheck('29876543210'), passphrase: 'demo harbour lantern maple' };

/** The sample patients, one sample record each. */
export const DEMO_PATIENTS: readonly DemoLogin[] = [
  { name: 'Meera Iyer', aadhaar: withCheck('31234567890'), passphrase: 'demo copper meadow violet' },
  { name: 'Arjun Singh', aadhaar: withCheck('41234567891'), passphrase: 'demo river saffron kite' },
  { name: 'Fatima Khan', aadhaar: withCheck('51234567892'), passphrase: 'demo orchard pebble tide' },
];

/** An Aadhaar number as people write it: three groups of four digits. */
export const grouped = (digits: string): string => `${digits.slice(0, 4)} ${digits.slice(4, 8)} ${digits.slice(8)}`;
