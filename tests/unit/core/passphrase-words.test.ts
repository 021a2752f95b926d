/**
 * Generated passphrases (SPEC §2, the easy path): seven words of the 2048
 * BIP39 English words, 77 bits, drawn without bias from injected randomness.
 */
import { describe, expect, it } from 'vitest';
import { wordlist } from '@scure/bip39/wordlists/english.js';
import { BITS_PER_WORD, GENERATED_WORDS, generatePassphrase } from '../../../src/lib/core/passphrase-words';

/** Randomness that returns the given bytes in order. */
const fixed = (bytes: number[]) => (n: number) => {
  expect(n).toBe(bytes.length);
  return Uint8Array.from(bytes);
};

describe('generatePassphrase', () => {
  it('carries at least 77 bits: 7 words from a list of exactly 2^11', () => {
    expect(wordlist.length).toBe(2 ** BITS_PER_WORD);
    expect(new Set(wordlist).size).toBe(wordlist.length);
    expect(GENERATED_WORDS * BITS_PER_WORD).toBeGreaterThanOrEqual(77);
  });

  it('maps each 16 random bits to one word by its low 11 bits', () => {
    // 0x0000 → 0, 0x07ff → 2047, 0xf801 → 1 (high bits ignored), 0x0400 → 1024 …
    const p = generatePassphrase(fixed([0x00, 0x00, 0x07, 0xff, 0xf8, 0x01, 0x04, 0x00, 0xff, 0xff, 0x12, 0x34, 0x00, 0x05]));
    expect(p.split(' ')).toEqual([wordlist[0], wordlist[2047], wordlist[1], wordlist[1024], wordlist[2047], wordlist[0x234], wordlist[5]]);
  });

  it('every word is equally likely: all 2^16 inputs hit each word exactly 32 times', () => {
    const counts = new Map<string, number>();
    for (let v = 0; v < 1 << 16; v++) {
      const w = generatePassphrase(fixed([v >> 8, v & 0xff]), 1);
      counts.set(w, (counts.get(w) ?? 0) + 1);
    }
    expect(counts.size).toBe(2048);
    expect(new Set(counts.values())).toEqual(new Set([32]));
  });

  it('takes the number of words asked for', () => {
    expect(generatePassphrase(fixed(Array(20).fill(7)), 10).split(' ')).toHaveLength(10);
  });
});
