/**
 * The eight data masks of QR codes and the penalty rules that choose among
 * them (ISO/IEC 18004 §7.8): the mask that leaves the fewest confusing
 * features (long runs, 2×2 blocks, finder-like patterns, imbalance) wins.
 */
import type { Grid } from './matrix';

/** Does mask `m` flip the module at column x, row y? */
export function maskFlips(m: number, x: number, y: number): boolean {
  switch (m) {
    case 0: return (y + x) % 2 === 0;
    case 1: return y % 2 === 0;
    case 2: return x % 3 === 0;
    case 3: return (y + x) % 3 === 0;
    case 4: return (Math.floor(y / 2) + Math.floor(x / 3)) % 2 === 0;
    case 5: return ((y * x) % 2) + ((y * x) % 3) === 0;
    case 6: return (((y * x) % 2) + ((y * x) % 3)) % 2 === 0;
    default: return (((y + x) % 2) + ((y * x) % 3)) % 2 === 0;
  }
}

/** Flips the data modules selected by mask `m` (applying it twice undoes it). */
export function applyMask(grid: Grid, m: number): void {
  const n = grid.size;
  for (let y = 0; y < n; y++)
    for (let x = 0; x < n; x++)
      if (grid.isFunction[y * n + x] === 0 && maskFlips(m, x, y)) grid.dark[y * n + x] = grid.dark[y * n + x]! ^ 1;
}

const FINDER_LIKE = [
  [1, 0, 1, 1, 1, 0, 1, 0, 0, 0, 0],
  [0, 0, 0, 0, 1, 0, 1, 1, 1, 0, 1],
];

/** Penalty of a line of modules: runs of five or more, and finder-like 1:1:3:1:1 patterns with four light modules beside. */
function linePenalty(line: readonly number[]): number {
  let score = 0;
  let run = 1;
  for (let i = 1; i <= line.length; i++) {
    if (i < line.length && line[i] === line[i - 1]) {
      run++;
      continue;
    }
    if (run >= 5) score += 3 + (run - 5);
    run = 1;
  }
  for (let i = 0; i + 11 <= line.length; i++)
    for (const pattern of FINDER_LIKE) if (pattern.every((v, k) => line[i + k] === v)) score += 40;
  return score;
}

/** Total penalty of a finished grid (lower is better). */
export function penalty(grid: Grid): number {
  const n = grid.size;
  const at = (x: number, y: number) => grid.dark[y * n + x]!;
  let score = 0;
  for (let i = 0; i < n; i++) {
    score += linePenalty(Array.from({ length: n }, (_, k) => at(k, i)));
    score += linePenalty(Array.from({ length: n }, (_, k) => at(i, k)));
  }
  for (let y = 0; y + 1 < n; y++)
    for (let x = 0; x + 1 < n; x++) {
      const c = at(x, y);
      if (c === at(x + 1, y) && c === at(x, y + 1) && c === at(x + 1, y + 1)) score += 3;
    }
  let darkCount = 0;
  for (const d of grid.dark) darkCount += d;
  const percent = (darkCount * 100) / (n * n);
  score += 10 * Math.floor(Math.abs(percent - 50) / 5);
  return score;
}
