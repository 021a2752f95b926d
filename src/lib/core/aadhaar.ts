/**
 * Aadhaar numbers at the point of entry (SPEC §2). An Aadhaar number is not
 * a secret and has little entropy, and the law (Aadhaar Act s.29(4)) forbids
 * publishing it: it is only ever an input to the key derivation, checked for
 * format and checksum here, shown masked, and never stored, logged, sent or
 * put on the chain. A real deployment would verify it through a licensed
 * Aadhaar OTP service; this check is format and checksum only.
 */
import { verhoeffValid } from './verhoeff';

export type AadhaarProblem = 'EMPTY' | 'NOT_DIGITS' | 'LENGTH' | 'FIRST_DIGIT' | 'CHECKSUM';

export type AadhaarCheck = { readonly ok: true; readonly digits: string } | { readonly ok: false; readonly problem: AadhaarProblem; readonly message: string };

/**
 * Normalises (spaces and dashes removed) and checks an Aadhaar number:
 * 12 digits, first digit 2 to 9, Verhoeff check digit. Each failure has its
 * own code and a message a person can act on.
 */
export function checkAadhaar(input: string): AadhaarCheck {
  const digits = input.replace(/[\s-]/g, '');
  const no = (problem: AadhaarProblem, message: string): AadhaarCheck => ({ ok: false, problem, message });
  if (digits === '') return no('EMPTY', 'Enter your 12-digit Aadhaar number.');
  if (!/^[0-9]+$/.test(digits)) return no('NOT_DIGITS', 'An Aadhaar number contains digits only (spaces and dashes are fine).');
  if (digits.length !== 12) return no('LENGTH', `An Aadhaar number has 12 digits; this has ${digits.length}.`);
  if (digits[0] === '0' || digits[0] === '1') return no('FIRST_DIGIT', 'An Aadhaar number never starts with 0 or 1.');
  if (!verhoeffValid(digits)) return no('CHECKSUM', 'This is not a valid Aadhaar number: its check digit does not match. Please look for a typo.');
  return { ok: true, digits };
}

/** The masked form shown on screen: `XXXX XXXX 1234` (last four digits only). */
export function maskAadhaar(digits: string): string {
  return `XXXX XXXX ${digits.slice(-4)}`;
}
