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

/** Smallest period of `s` (a string made of one unit repeated), or its length. */
function period(s: string): number {
  for (let p = 1; p <= s.length / 2; p++) {
    let ok = true;
    for (let i = p; i < s.length && ok; i++) ok = s[i] === s[i - p];
    if (ok) return p;
  }
  return s.length;
}

/** Bits for one guessable part an attacker tries early (a listed word, a run, a repeat). */
const CHEAP_PART_BITS = 6;

function estimate(passphrase: string, advice: Set<string>): number {
  const lower = passphrase.toLowerCase();
  // A repeated unit is worth the unit plus the number of repeats.
  const p = period(lower);
  if (p < lower.length) {
    advice.add('Avoid repeating the same word or pattern.');
    return estimate(passphrase.slice(0, p), advice) + Math.log2(lower.length / p);
  }
  let rest = lower;
  let bits = 0;
  const take = (piece: string, tip: string) => {
    const n = rest.split(piece).length - 1;
    if (n === 0) return;
    bits += n * CHEAP_PART_BITS;
    rest = rest.split(piece).join('\u0000');
    advice.add(tip);
  };
  for (const w of COMMON) take(w, `Avoid common words and names such as "${w}".`);
  for (const run of RUNS)
    for (let len = run.length; len >= 4; len--)
      for (let i = 0; i + len <= run.length; i++) take(run.slice(i, i + len), 'Avoid sequences like "abcd", "1234" or keyboard rows.');
  for (const r of rest.match(/([^\u0000])\1{2,}/g) ?? []) {
    take(r, 'Avoid repeating the same character.');
  }
  const chars = [...rest].filter((c) => c !== '\u0000');
  const distinct = new Set(chars).size;
  const perChar = Math.log2(Math.min(poolSize(passphrase), Math.max(distinct * 2, 2)));
  return bits + chars.length * Math.min(perChar, 5.5);
}

/** Estimates a passphrase's strength; never stores or logs it. */
export function passphraseStrength(passphrase: string): PassphraseStrength {
  const tips = new Set<string>();
  const bits = Math.round(estimate(passphrase, tips) * 10) / 10;
  const advice = [...tips];
  if ([...passphrase].length < MIN_PASSPHRASE_LENGTH)
    advice.unshift(`Use at least ${MIN_PASSPHRASE_LENGTH} characters; four or five random words work well.`);
  const score = (bits < 28 ? 0 : bits < 40 ? 1 : bits < MIN_PASSPHRASE_BITS ? 2 : bits < 70 ? 3 : 4) as PassphraseStrength['score'];
  const acceptable = [...passphrase].length >= MIN_PASSPHRASE_LENGTH && bits >= MIN_PASSPHRASE_BITS;
  if (!acceptable && advice.length === 0) advice.push('Make it longer: add another word or two.');
  return { bits, score, acceptable, advice };
}
