/**
 * Reed–Solomon error correction of one QR block (SPEC §2, §7; ISO/IEC 18004
 * §7.5.2): a smudged or badly lit module flips bits, and a block with `n`
 * error-correction codewords can repair up to n/2 wrong codewords.
 * Syndromes at the generator's roots α^0 … α^(n−1), the error locator by
 * Berlekamp–Massey, the error positions by Chien search and the error values
 * by Forney's formula. Uses the encoder's field (gf256.ts).
 */
import { gfMul, gfPow2 } from './gf256';

/** Discrete logarithms in the encoder's field, read off its powers of α. */
const LOG = new Uint8Array(256);
for (let i = 0; i < 255; i++) LOG[gfPow2(i)] = i;

function gfInverse(a: number): number {
  return gfPow2(255 - LOG[a]!);
}

/** Value of a polynomial with coefficients from the constant term up, at x. */
function evalAscending(poly: readonly number[], x: number): number {
  let acc = 0;
  for (let i = poly.length - 1; i >= 0; i--) acc = gfMul(acc, x) ^ poly[i]!;
  return acc;
}

/** Syndromes S_j = word(α^j), j = 0 … n−1 (the word's first byte is its highest power). */
function syndromes(word: Uint8Array, n: number): number[] {
  const out: number[] = [];
  for (let j = 0; j < n; j++) {
    const x = gfPow2(j);
    let acc = 0;
    for (const c of word) acc = gfMul(acc, x) ^ c;
    out.push(acc);
  }
  return out;
}

/** The error-locator polynomial Λ (constant term first) of the shortest register producing the syndromes. */
function berlekampMassey(s: readonly number[]): number[] {
  let c = [1];
  let b = [1];
  let length = 0;
  let shift = 1;
  let lastDiscrepancy = 1;
  for (let k = 0; k < s.length; k++) {
    let d = s[k]!;
    for (let i = 1; i <= length; i++) d ^= gfMul(c[i] ?? 0, s[k - i]!);
    if (d === 0) {
      shift++;
      continue;
    }
    const factor = gfMul(d, gfInverse(lastDiscrepancy));
    const next = c.slice();
    for (let i = 0; i < b.length; i++) next[i + shift] = (next[i + shift] ?? 0) ^ gfMul(factor, b[i]!);
    if (2 * length <= k) {
      b = c;
      length = k + 1 - length;
      lastDiscrepancy = d;
      shift = 1;
    } else shift++;
    c = next;
  }
  return c.slice(0, length + 1);
}

/**
 * Corrects `word` (data then error-correction codewords) in place. Returns
 * how many codewords were wrong, or null when there are more errors than
 * `n` error-correction codewords can repair.
 */
export function rsCorrect(word: Uint8Array, n: number): number | null {
  const s = syndromes(word, n);
  if (s.every((v) => v === 0)) return 0;
  const lambda = berlekampMassey(s);
  const errors = lambda.length - 1;
  if (errors === 0 || 2 * errors > n) return null;
  // Ω = S·Λ mod x^n; Λ' keeps the odd terms (characteristic 2).
  const omega = new Array<number>(n).fill(0);
  for (let i = 0; i < n; i++) for (let j = 0; j < lambda.length && i + j < n; j++) omega[i + j] = omega[i + j]! ^ gfMul(s[i]!, lambda[j]!);
  const derivative = lambda.slice(1).map((v, i) => (i % 2 === 0 ? v : 0));
  const last = word.length - 1;
  let fixed = 0;
  for (let k = 0; k <= last; k++) {
    const power = last - k;
    const xInv = gfPow2(255 - power);
    if (evalAscending(lambda, xInv) !== 0) continue;
    const denominator = evalAscending(derivative, xInv);
    if (denominator === 0) return null;
    word[k] = word[k]! ^ gfMul(gfPow2(power), gfMul(evalAscending(omega, xInv), gfInverse(denominator)));
    fixed++;
  }
  if (fixed !== errors) return null;
  return syndromes(word, n).every((v) => v === 0) ? fixed : null;
}
