/**
 * Format and version information of a sampled QR symbol (SPEC §2, §7;
 * ISO/IEC 18004 §7.9, §7.10). Both are BCH codewords whose valid values lie
 * at least 7 (format) or 8 (version) bits apart, so the nearest valid value
 * within 3 bits is the one written; each is written twice and either copy
 * will do. Valid values come from the encoder's own functions, so reader and
 * writer cannot disagree. All four levels are recognised, so a code of
 * another level is reported as unsupported rather than unreadable.
 */
import { formatBits, versionBits } from './matrix';

/** Number of bits set. */
function popcount(v: number): number {
  let n = 0;
  for (; v !== 0; v &= v - 1) n++;
  return n;
}

/** The index of the value among `valid` nearest to any of `read`, if within 3 bits, and that distance. */
function nearest(read: readonly number[], valid: readonly number[]): { index: number; distance: number } | null {
  let best = -1;
  let bestDistance = 4;
  for (let i = 0; i < valid.length; i++)
    for (const r of read) {
      const d = popcount(r ^ valid[i]!);
      if (d < bestDistance) (bestDistance = d), (best = i);
    }
  return best < 0 ? null : { index: best, distance: bestDistance };
}

/** Error-correction levels by their 2-bit indicator (ISO/IEC 18004 table 12). */
const LEVELS = ['M', 'L', 'H', 'Q'] as const;
export type EcLevel = (typeof LEVELS)[number];

/**
 * All 32 format codewords, index = level indicator × 8 + mask. The encoder's
 * formatBits computes the BCH codeword of its 5-bit argument, so passing the
 * level bits above the mask gives the other levels' values too.
 */
const FORMAT_CODES = Array.from({ length: 32 }, (_, data) => formatBits(data));

/** What the format information says, and how many bits of the better copy were wrong. */
export interface FormatInfo {
  readonly level: EcLevel;
  readonly mask: number;
  readonly distance: number;
}

/** Level and mask from either copy of the format information; null if neither copy is readable. */
export function readFormat(grid: Uint8Array, size: number): FormatInfo | null {
  const at = (x: number, y: number) => grid[y * size + x]!;
  let a = 0;
  let b = 0;
  // Bit i as the encoder draws it (matrix.ts drawFormat).
  for (let i = 0; i < 15; i++) {
    const [ax, ay] = i <= 5 ? [8, i] : i === 6 ? [8, 7] : i === 7 ? [8, 8] : i === 8 ? [7, 8] : [14 - i, 8];
    const [bx, by] = i < 8 ? [size - 1 - i, 8] : [8, size - 15 + i];
    a |= at(ax, ay) << i;
    b |= at(bx, by) << i;
  }
  const found = nearest([a, b], FORMAT_CODES);
  return found === null ? null : { level: LEVELS[found.index >> 3]!, mask: found.index & 7, distance: found.distance };
}

/** Versions whose version information is checked: 7 (the first that carries it) to 40 (the last QR version). */
const VERSION_CODES = Array.from({ length: 34 }, (_, i) => versionBits(i + 7));

/** The version written in a symbol of `size` modules (version 7 and up), from either copy; null if neither is readable. */
export function readVersion(grid: Uint8Array, size: number): number | null {
  let a = 0;
  let b = 0;
  for (let i = 0; i < 18; i++) {
    const across = size - 11 + (i % 3);
    const along = Math.floor(i / 3);
    a |= grid[along * size + across]! << i;
    b |= grid[across * size + along]! << i;
  }
  const found = nearest([a, b], VERSION_CODES);
  return found === null ? null : found.index + 7;
}
