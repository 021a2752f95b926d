/**
 * From a sampled module grid back to the data codewords (SPEC §2, §7;
 * ISO/IEC 18004 §7.6–7.8): the data modules are read in the encoder's
 * zig-zag order (the function patterns come from the encoder's own Grid, the
 * mask from its maskFlips), the codewords are split back into their
 * Reed–Solomon blocks, and each block is corrected.
 */
import { rsCorrect } from './decode-rs';
import { maskFlips } from './mask';
import { Grid } from './matrix';
import { blocksOf } from './tables';

/** Every codeword of a `version` symbol, unmasked, in the order they were placed (matrix.ts placeCodewords). */
export function readCodewords(grid: Uint8Array, version: number, mask: number): Uint8Array {
  const layout = new Grid(version);
  const n = layout.size;
  const { ecPerBlock, group1, group2 } = blocksOf(version);
  const total = group1[0] * (group1[1] + ecPerBlock) + group2[0] * (group2[1] + ecPerBlock);
  const out = new Uint8Array(total);
  let bit = 0;
  for (let right = n - 1; right >= 1; right -= 2) {
    if (right === 6) right = 5;
    const upward = ((right + 1) & 2) === 0;
    for (let step = 0; step < n; step++) {
      const y = upward ? n - 1 - step : step;
      for (let x = right; x >= right - 1; x--) {
        if (layout.isFunction[y * n + x] === 1 || bit >= total * 8) continue;
        const dark = grid[y * n + x]! ^ (maskFlips(mask, x, y) ? 1 : 0);
        out[bit >>> 3] = out[bit >>> 3]! | (dark << (7 - (bit & 7)));
        bit++;
      }
    }
  }
  return out;
}

export type CorrectedData = { readonly ok: true; readonly data: Uint8Array; readonly corrected: number } | { readonly ok: false };

/** Undoes the interleaving, corrects every block and joins their data codewords; not ok if any block is beyond repair. */
export function correctBlocks(codewords: Uint8Array, version: number): CorrectedData {
  const { ecPerBlock, group1, group2 } = blocksOf(version);
  const sizes: number[] = [];
  for (const [count, size] of [group1, group2]) for (let b = 0; b < count; b++) sizes.push(size);
  const blocks = sizes.map((size) => new Uint8Array(size + ecPerBlock));
  const longest = Math.max(...sizes);
  let at = 0;
  for (let i = 0; i < longest; i++) for (let b = 0; b < blocks.length; b++) if (i < sizes[b]!) blocks[b]![i] = codewords[at++]!;
  for (let i = 0; i < ecPerBlock; i++) for (let b = 0; b < blocks.length; b++) blocks[b]![sizes[b]! + i] = codewords[at++]!;
  const data: number[] = [];
  let corrected = 0;
  for (let b = 0; b < blocks.length; b++) {
    const fixed = rsCorrect(blocks[b]!, ecPerBlock);
    if (fixed === null) return { ok: false };
    corrected += fixed;
    data.push(...blocks[b]!.subarray(0, sizes[b]!));
  }
  return { ok: true, data: Uint8Array.from(data), corrected };
}
