/**
 * Finding the three finder patterns of a QR code in a dark/light image (SPEC
 * §2, §7; ISO/IEC 18004 §6.3.3): any line through a finder's centre crosses
 * dark, light, dark, light, dark in the ratio 1:1:3:1:1, whatever the
 * rotation or scale. Rows are scanned for that ratio; each hit is checked
 * along the column and a diagonal through its centre, and hits on nearby
 * rows are merged into one candidate with a centre and a module size.
 */
import type { BinaryImage } from './decode-binarize';

/** A likely finder pattern: centre in pixels, module size in pixels, how many scan rows confirmed it. */
export interface FinderCandidate {
  readonly x: number;
  readonly y: number;
  readonly module: number;
  readonly count: number;
}

/** Do five run lengths (dark, light, dark, light, dark) look like 1:1:3:1:1? */
export function finderRatio(runs: readonly number[]): boolean {
  const total = runs[0]! + runs[1]! + runs[2]! + runs[3]! + runs[4]!;
  if (total < 7) return false;
  const m = total / 7;
  const tol = m * 0.7;
  return (
    Math.abs(runs[0]! - m) < tol && Math.abs(runs[1]! - m) < tol && Math.abs(runs[2]! - 3 * m) < 2.2 * tol &&
    Math.abs(runs[3]! - m) < tol && Math.abs(runs[4]! - m) < tol
  );
}

/**
 * The five runs through (x, y) along (dx, dy), the centre run being the dark
 * run that holds (x, y); and the offset of that run's middle from (x, y).
 * Null when a run reaches the edge or grows past `limit`.
 */
function runsThrough(img: BinaryImage, x: number, y: number, dx: number, dy: number, limit: number): { runs: number[]; centre: number } | null {
  const at = (k: number) => {
    const px = x + k * dx;
    const py = y + k * dy;
    return px < 0 || py < 0 || px >= img.width || py >= img.height ? -1 : img.dark[py * img.width + px]!;
  };
  if (at(0) !== 1) return null;
  const side = (sign: number): number[] | null => {
    const lengths = [0, 0, 0];
    let k = 0;
    for (let r = 0; r < 3; r++) {
      const want = r === 1 ? 0 : 1;
      while (at(sign * (k + 1)) === want && lengths[r]! < limit) (lengths[r] = lengths[r]! + 1), k++;
      if (lengths[r]! >= limit || (r > 0 && lengths[r] === 0)) return null;
      if (r < 2 && at(sign * (k + 1)) === -1) return null;
    }
    return lengths;
  };
  const fwd = side(1);
  const back = side(-1);
  if (!fwd || !back) return null;
  const core = back[0]! + fwd[0]! + 1;
  return { runs: [back[2]!, back[1]!, core, fwd[1]!, fwd[2]!], centre: (fwd[0]! - back[0]!) / 2 };
}

/** Confirms a row hit centred at (cx, y): column, then row again, then diagonal. Returns the refined centre and module size. */
function confirm(img: BinaryImage, cx: number, y: number, total: number): { x: number; y: number; module: number } | null {
  const limit = Math.ceil(total * 1.5);
  const col = runsThrough(img, cx, y, 0, 1, limit);
  if (!col || !finderRatio(col.runs)) return null;
  const cy = Math.round(y + col.centre);
  const row = runsThrough(img, cx, cy, 1, 0, limit);
  if (!row || !finderRatio(row.runs)) return null;
  const rx = Math.round(cx + row.centre);
  const diag = runsThrough(img, rx, cy, 1, 1, limit);
  if (!diag || !finderRatio(diag.runs)) return null;
  const sum = (r: number[]) => r.reduce((a, b) => a + b, 0);
  const colTotal = sum(col.runs);
  const rowTotal = sum(row.runs);
  if (colTotal > rowTotal * 1.6 || rowTotal > colTotal * 1.6) return null;
  return { x: cx + row.centre + 0.5, y: y + col.centre + 0.5, module: (colTotal + rowTotal) / 14 };
}

/** Adds a confirmed hit to the candidate it belongs to (close and of similar size), or starts a new one. */
function merge(list: FinderCandidate[], hit: { x: number; y: number; module: number }): void {
  for (let i = 0; i < list.length; i++) {
    const c = list[i]!;
    const near = Math.abs(c.x - hit.x) <= c.module * 2 && Math.abs(c.y - hit.y) <= c.module * 2;
    if (near && hit.module < c.module * 1.6 && c.module < hit.module * 1.6) {
      const n = c.count + 1;
      list[i] = { x: (c.x * c.count + hit.x) / n, y: (c.y * c.count + hit.y) / n, module: (c.module * c.count + hit.module) / n, count: n };
      return;
    }
  }
  list.push({ ...hit, count: 1 });
}

/** Finder candidates of an image, most confirmed first. */
export function findFinders(img: BinaryImage): FinderCandidate[] {
  const found: FinderCandidate[] = [];
  const { width, dark } = img;
  const runs = [0, 0, 0, 0, 0];
  for (let y = 0; y < img.height; y++) {
    runs.fill(0);
    let filled = 0;
    let colour = dark[y * width]!;
    let length = 0;
    for (let x = 0; x <= width; x++) {
      const v = x < width ? dark[y * width + x]! : 1 - colour;
      if (v === colour) {
        length++;
        continue;
      }
      runs.shift();
      runs.push(length);
      filled++;
      if (colour === 1 && filled >= 5 && finderRatio(runs)) {
        const total = runs[0]! + runs[1]! + runs[2]! + runs[3]! + runs[4]!;
        const cx = x - runs[4]! - runs[3]! - Math.ceil(runs[2]! / 2);
        const hit = confirm(img, cx, y, total);
        if (hit) merge(found, hit);
      }
      colour = v;
      length = 1;
    }
  }
  return found.sort((a, b) => b.count - a.count);
}
