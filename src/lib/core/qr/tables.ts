/**
 * Per-version data of QR code symbols at error-correction level M, versions
 * 1 to 10 (ISO/IEC 18004 tables 9 and E.1). Ten versions hold up to 213
 * bytes, far more than a patient QR payload (SPEC §2) needs; a longer input is
 * our own misuse.
 */

/** How a version's codewords split into Reed–Solomon blocks at level M. */
export interface BlockLayout {
  /** Error-correction codewords per block. */
  readonly ecPerBlock: number;
  /** Blocks of the first group and their data codewords. */
  readonly group1: readonly [blocks: number, dataCodewords: number];
  /** Blocks of the second group (one more data codeword each), or [0, 0]. */
  readonly group2: readonly [blocks: number, dataCodewords: number];
}

/** Index 0 is version 1. */
export const LEVEL_M_BLOCKS: readonly BlockLayout[] = [
  { ecPerBlock: 10, group1: [1, 16], group2: [0, 0] },
  { ecPerBlock: 16, group1: [1, 28], group2: [0, 0] },
  { ecPerBlock: 26, group1: [1, 44], group2: [0, 0] },
  { ecPerBlock: 18, group1: [2, 32], group2: [0, 0] },
  { ecPerBlock: 24, group1: [2, 43], group2: [0, 0] },
  { ecPerBlock: 16, group1: [4, 27], group2: [0, 0] },
  { ecPerBlock: 18, group1: [4, 31], group2: [0, 0] },
  { ecPerBlock: 22, group1: [2, 38], group2: [2, 39] },
  { ecPerBlock: 22, group1: [3, 36], group2: [2, 37] },
  { ecPerBlock: 26, group1: [4, 43], group2: [1, 44] },
];

/** Highest version this encoder makes. */
export const MAX_VERSION = LEVEL_M_BLOCKS.length;

/** Centre coordinates of alignment patterns (row and column alike); index 0 is version 1. */
export const ALIGNMENT_CENTRES: readonly (readonly number[])[] = [
  [],
  [6, 18],
  [6, 22],
  [6, 26],
  [6, 30],
  [6, 34],
  [6, 22, 38],
  [6, 24, 42],
  [6, 26, 46],
  [6, 28, 50],
];

/** Modules per side: 17 + 4 × version. */
export function symbolSize(version: number): number {
  return 17 + 4 * version;
}

/** The block layout of a version (1 … {@link MAX_VERSION}). */
export function blocksOf(version: number): BlockLayout {
  const layout = LEVEL_M_BLOCKS[version - 1];
  if (layout === undefined) throw new RangeError(`QR version ${version} is not supported`);
  return layout;
}

/** Data codewords a version holds at level M. */
export function dataCapacity(version: number): number {
  const { group1, group2 } = blocksOf(version);
  return group1[0] * group1[1] + group2[0] * group2[1];
}

/** Bytes of payload a version holds in byte mode: capacity minus the mode and count header. */
export function byteCapacity(version: number): number {
  const headerBits = 4 + (version <= 9 ? 8 : 16);
  return Math.floor((dataCapacity(version) * 8 - headerBits) / 8);
}
