/**
 * The Verhoeff check digit (dihedral group D5), which Aadhaar numbers carry
 * as their last digit. It catches every single-digit error and every swap of
 * adjacent digits.
 */

/** Multiplication table of D5. */
const D: readonly (readonly number[])[] = [
  [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
  [1, 2, 3, 4, 0, 6, 7, 8, 9, 5],
  [2, 3, 4, 0, 1, 7, 8, 9, 5, 6],
  [3, 4, 0, 1, 2, 8, 9, 5, 6, 7],
  [4, 0, 1, 2, 3, 9, 5, 6, 7, 8],
  [5, 9, 8, 7, 6, 0, 4, 3, 2, 1],
  [6, 5, 9, 8, 7, 1, 0, 4, 3, 2],
  [7, 6, 5, 9, 8, 2, 1, 0, 4, 3],
  [8, 7, 6, 5, 9, 3, 2, 1, 0, 4],
  [9, 8, 7, 6, 5, 4, 3, 2, 1, 0],
];

/** Position-dependent permutation, repeating every 8 positions. */
const P: readonly (readonly number[])[] = [
  [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
  [1, 5, 7, 6, 2, 8, 3, 0, 9, 4],
  [5, 8, 0, 3, 7, 9, 6, 1, 4, 2],
  [8, 9, 1, 6, 0, 4, 3, 5, 2, 7],
  [9, 4, 5, 3, 1, 2, 6, 8, 7, 0],
  [4, 2, 8, 6, 5, 7, 3, 9, 0, 1],
  [2, 7, 9, 3, 8, 0, 6, 4, 1, 5],
  [7, 0, 4, 6, 9, 1, 3, 2, 5, 8],
];

/** Inverses in D5. */
const INV: readonly number[] = [0, 4, 3, 2, 1, 5, 6, 7, 8, 9];

function digitsOf(s: string): number[] | null {
  if (!/^[0-9]+$/.test(s)) return null;
  return [...s].map(Number);
}

/** Whether a string of digits ends with a correct Verhoeff check digit. */
export function verhoeffValid(s: string): boolean {
  const ds = digitsOf(s);
  if (!ds) return false;
  let c = 0;
  for (let i = 0; i < ds.length; i++) c = D[c]![P[i % 8]![ds[ds.length - 1 - i]!]!]!;
  return c === 0;
}

/** The Verhoeff check digit to append to a string of digits. */
export function verhoeffDigit(s: string): number {
  const ds = digitsOf(s);
  if (!ds) throw new RangeError('verhoeffDigit needs digits');
  let c = 0;
  for (let i = 0; i < ds.length; i++) c = D[c]![P[(i + 1) % 8]![ds[ds.length - 1 - i]!]!]!;
  return INV[c]!;
}
