/**
 * A generated passphrase, the easy path to the rule (SPEC §2: "offer a
 * generated passphrase of common words"): seven words of the BIP39 English
 * list (2048 short, common, distinct words), 11 bits each, 77 bits in all —
 * about 1.5×10^23 equally likely choices, far beyond the 10^12 guesses the
 * rule asks for even when the attacker knows the list. Randomness is passed
 * in (crypto.getRandomValues in the app and the command line).
 */
import { wordlist } from '@scure/bip39/wordlists/english.js';
import type { RandomBytes } from './record-crypto';

/** Words in a generated passphrase. */
export const GENERATED_WORDS = 7;
/** Bits each word carries: the list has exactly 2^11 words. */
export const BITS_PER_WORD = 11;

/**
 * `words` words drawn uniformly from the list, joined by spaces. Each draw
 * takes 16 random bits and keeps the low 11: 2^16 is a multiple of 2^11, so
 * there is no modulo bias.
 */
export function generatePassphrase(random: RandomBytes, words: number = GENERATED_WORDS): string {
  const bytes = random(2 * words);
  const out: string[] = [];
  for (let i = 0; i < words; i++) out.push(wordlist[((bytes[2 * i]! << 8) | bytes[2 * i + 1]!) & 0x7ff]!);
  return out.join(' ');
}
