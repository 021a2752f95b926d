/**
 * Reed–Solomon error correction over GF(2^8) as QR codes use it (ISO/IEC
 * 18004 §7.5.2): the field is built on the primitive polynomial
 * x^8 + x^4 + x^3 + x^2 + 1 (0x11D) with generator α = 2, and the generator
 * polynomial for n error-correction codewords is ∏ (x − α^i), i = 0 … n−1.
 * Used by the patient QR code (SPEC §2, §7).
 */
import { assert } from '../assert';

const EXP = new Uint8Array(512);
const LOG = new Uint8Array(256);
{
  let x = 1;
  for (let i = 0; i < 255; i++) {
    EXP[i] = x;
    LOG[x] = i;
    x <<= 1;
    if (x & 0x100) x ^= 0x11d;
  }
  for (let i = 255; i < 512; i++) EXP[i] = EXP[i - 255]!;
}

/** Product of two field elements. */
export function gfMul(a: number, b: number): number {
  if (a === 0 || b === 0) return 0;
  return EXP[LOG[a]! + LOG[b]!]!;
}

/** α^i for i ≥ 0. */
export function gfPow2(i: number): number {
  return EXP[i % 255]!;
}

/**
 * Coefficients of the generator polynomial of degree `n`, highest power
 * first, without the leading 1 (it is monic).
 */
export function rsGenerator(n: number): Uint8Array {
  assert(Number.isInteger(n) && n >= 1 && n <= 68, 'rsGenerator: degree out of range');
  // Start from the polynomial 1 and multiply by (x − α^i) = (x + α^i) in GF(2^8).
  let poly = [1];
  for (let i = 0; i < n; i++) {
    const next = new Array<number>(poly.length + 1).fill(0);
    for (let j = 0; j < poly.length; j++) {
      next[j] = next[j]! ^ poly[j]!;
      next[j + 1] = next[j + 1]! ^ gfMul(poly[j]!, gfPow2(i));
    }
    poly = next;
  }
  return Uint8Array.from(poly.slice(1));
}

/** The `n` error-correction codewords of `data`: the remainder of data·x^n divided by the generator. */
export function rsRemainder(data: Uint8Array, n: number): Uint8Array {
  const gen = rsGenerator(n);
  const rem = new Uint8Array(n);
  for (const byte of data) {
    const factor = byte ^ rem[0]!;
    rem.copyWithin(0, 1);
    rem[n - 1] = 0;
    for (let j = 0; j < n; j++) rem[j] = rem[j]! ^ gfMul(gen[j]!, factor);
  }
  return rem;
}
