/**
 * Passphrase policy and strength estimate (SPEC §2: "passphrase strength is
 * enforced (length and a strength meter)"). The passphrase is the only secret
 * behind a patient's keys (the Aadhaar number is not secret), so it has to
 * resist offline guessing through the KDF.
 *
 * The estimate is deliberately conservative: it charges the guesses of an
 * attacker who tries common words, repeats and keyboard or alphabet runs
 * before brute force, and caps the credit of each such part.
 */

/** Shortest accepted passphrase, in characters. */
export const MIN_PASSPHRASE_LENGTH = 12;
/** Lowest accepted estimate, in bits (score 3). */
export const MIN_PASSPHRASE_BITS = 50;

export interface PassphraseStrength {
  /** Estimated guessing entropy in bits. */
  readonly bits: number;
  /** 0 (very weak) to 4 (strong), for the meter. */
  readonly score: 0 | 1 | 2 | 3 | 4;
  readonly acceptable: boolean;
  /** What to do about it, one short sentence each. */
  readonly advice: readonly string[];
}

const COMMON = [
  'password', 'passw0rd', 'qwerty', 'letmein', 'welcome', 'admin', 'login', 'iloveyou', 'monkey', 'dragon',
  'master', 'sunshine', 'princess', 'football', 'cricket', 'india', 'bharat', 'aadhaar', 'medchain', 'hospital',
  'doctor', 'patient', 'health', 'secret', 'abc123', '123456', 'changeme', 'trustno1', 'baseball', 'shadow',
];
const RUNS = ['abcdefghijklmnopqrstuvwxyz', 'qwertyuiopasdfghjklzxcvbnm', '01234567890', '1qaz2wsx3edc'];

function poolSize(s: string): number {
  let pool = 0;
  if (/[a-z]/.test(s)) pool += 26;
  if (/[A-Z]/.test(s)) pool += 26;
  if (/[0-9]/.test(s)) pool += 10;
  if (/[^a-zA-Z0-9]/.test(s)) pool += 33;
  return Math.max(pool, 1);
}

/** Estimates a passphrase's strength; never stores or logs it. */
export function passphraseStrength(passphrase: string): PassphraseStrength {
  const chars = [...passphrase];
  const advice: string[] = [];
  let lower = passphrase.toLowerCase();
  let penalty = 0;
  for (const w of COMMON) {
    if (lower.includes(w)) {
      lower = lower.split(w).join('\u0000');
      penalty += 1;
      if (advice.length === 0) advice.push('Avoid common words and names such as "' + w + '".');
    }
  }
  // Runs of the alphabet, digits or keyboard rows count as one symbol.
  let runChars = 0;
  for (const run of RUNS)
    for (let len = 6; len >= 4; len--)
      for (let i = 0; i + len <= run.length; i++) {
        const piece = run.slice(i, i + len);
        if (lower.includes(piece)) {
          runChars += len - 1;
          lower = lower.split(piece).join('\u0001');
        }
      }
  if (runChars > 0) advice.push('Avoid sequences like "abcd", "1234" or keyboard rows.');
  // Repeated characters add almost nothing.
  const repeats = (passphrase.match(/(.)\1{2,}/g) ?? []).reduce((n, r) => n + r.length - 1, 0);
  if (repeats > 0) advice.push('Avoid repeating the same character.');
  const effective = Math.max(0, chars.length - runChars - repeats - penalty * 4) + penalty;
  const distinct = new Set(chars).size;
  const perChar = Math.log2(Math.min(poolSize(passphrase), Math.max(distinct * 2, 2)));
  const bits = Math.round(effective * Math.min(perChar, 5.5) * 10) / 10;
  if (chars.length < MIN_PASSPHRASE_LENGTH)
    advice.unshift(`Use at least ${MIN_PASSPHRASE_LENGTH} characters; four or five random words work well.`);
  const score = (bits < 28 ? 0 : bits < 40 ? 1 : bits < MIN_PASSPHRASE_BITS ? 2 : bits < 70 ? 3 : 4) as PassphraseStrength['score'];
  const acceptable = chars.length >= MIN_PASSPHRASE_LENGTH && bits >= MIN_PASSPHRASE_BITS;
  if (!acceptable && advice.length === 0) advice.push('Make it longer: add another word or two.');
  return { bits, score, acceptable, advice };
}
