/**
 * Reed–Solomon correction of one QR block (issue 6): up to n/2 wrong
 * codewords are repaired exactly; beyond that the decoder either refuses or
 * lands on another valid codeword, never on an invalid one.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { rsCorrect } from '../../../../src/lib/core/qr/decode-rs';
import { rsRemainder } from '../../../../src/lib/core/qr/gf256';
import { Prng } from '../../../../src/lib/core/prng';

/** Data followed by its `n` error-correction codewords, as a QR block holds them. */
function block(data: Uint8Array, n: number): Uint8Array {
  const out = new Uint8Array(data.length + n);
  out.set(data);
  out.set(rsRemainder(data, n), data.length);
  return out;
}

/** Adds a non-zero error at `count` distinct positions. */
function damage(word: Uint8Array, count: number, prng: Prng): void {
  const positions = new Set<number>();
  while (positions.size < count) positions.add(prng.nextU32() % word.length);
  for (const p of positions) word[p] = word[p]! ^ (1 + (prng.nextU32() % 255));
}

describe('rsCorrect', () => {
  it('leaves a clean block alone and reports no error', () => {
    const word = block(Uint8Array.from([32, 91, 11, 120, 209, 114, 220, 77, 67, 64, 236, 17, 236, 17, 236, 17]), 10);
    const copy = word.slice();
    expect(rsCorrect(word, 10)).toBe(0);
    expect(word).toEqual(copy);
  });

  it('property: any t ≤ n/2 wrong codewords are repaired exactly, for every block shape of versions 1–10', () => {
    const shapes = [[16, 10], [28, 16], [44, 26], [32, 18], [43, 24], [27, 16], [31, 18], [38, 22], [39, 22], [36, 22], [43, 26], [44, 26]] as const;
    fc.assert(
      fc.property(fc.constantFrom(...shapes), fc.string(), fc.nat(), (shape, seed, errorsSeed) => {
        const [k, n] = shape;
        const prng = new Prng(seed);
        const data = Uint8Array.from({ length: k }, () => prng.nextU32() & 255);
        const word = block(data, n);
        const original = word.slice();
        const errors = errorsSeed % (n / 2 + 1);
        damage(word, errors, prng);
        expect(rsCorrect(word, n)).toBe(errors);
        expect(word).toEqual(original);
      }),
      { numRuns: 200 },
    );
  });

  it('beyond n/2 errors: refused, or (rarely) another valid codeword — never an invalid one called correct', () => {
    let refused = 0;
    for (let i = 0; i < 200; i++) {
      const prng = new Prng(`beyond-${i}`);
      const data = Uint8Array.from({ length: 16 }, () => prng.nextU32() & 255);
      const word = block(data, 10);
      damage(word, 6 + (i % 4), prng);
      const fixed = rsCorrect(word, 10);
      if (fixed === null) refused++;
      else expect(word).toEqual(block(word.subarray(0, 16), 10));
    }
    expect(refused).toBeGreaterThan(180);
  });
});
