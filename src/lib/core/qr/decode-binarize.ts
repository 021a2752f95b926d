/**
 * First step of reading a patient QR code from a camera frame (SPEC §2, §7):
 * colour pixels to dark/light with a threshold that follows the local
 * lighting. A camera frame is rarely lit evenly, so one global threshold
 * fails; each 8×8 block gets its own, taken from the two groups of grey
 * levels it holds. A block with no real edge (all paper, or inside a large
 * dark module) borrows the threshold of the nearest block that has one, so
 * sensor noise in a flat area is never mistaken for modules.
 */

/** Pixels as a canvas gives them (the shape of ImageData, without browser types): RGBA, row-major. */
export interface RgbaImage {
  readonly width: number;
  readonly height: number;
  readonly data: ArrayLike<number>;
}

/** Dark/light pixels: `dark[y * width + x]` is 1 for dark. */
export interface BinaryImage {
  readonly width: number;
  readonly height: number;
  readonly dark: Uint8Array;
}

const BLOCK = 8;
/** Below this gap between a block's darker and lighter halves (grey levels) the block holds no edge. */
const MIN_CONTRAST = 40;

/** Luma of each pixel (ITU-R BT.601 weights, integer arithmetic); transparent pixels read as white. */
function grey(image: RgbaImage): Uint8Array {
  const n = image.width * image.height;
  const out = new Uint8Array(n);
  const d = image.data;
  for (let i = 0, j = 0; i < n; i++, j += 4) {
    const a = d[j + 3]!;
    const y = (d[j]! * 77 + d[j + 1]! * 150 + d[j + 2]! * 29) >> 8;
    out[i] = a === 255 ? y : 255 - (((255 - y) * a) >> 8);
  }
  return out;
}

/** Threshold of one block: the midpoint of the means of its darker and lighter pixels, or -1 when it holds no edge. */
function blockThreshold(g: Uint8Array, width: number, x0: number, y0: number, x1: number, y1: number): number {
  let sum = 0;
  for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) sum += g[y * width + x]!;
  const mean = sum / ((x1 - x0) * (y1 - y0));
  let lo = 0;
  let loN = 0;
  let hi = 0;
  let hiN = 0;
  for (let y = y0; y < y1; y++)
    for (let x = x0; x < x1; x++) {
      const v = g[y * width + x]!;
      if (v < mean) (lo += v), loN++;
      else (hi += v), hiN++;
    }
  if (loN === 0 || hiN === 0) return -1;
  const loMean = lo / loN;
  const hiMean = hi / hiN;
  return hiMean - loMean >= MIN_CONTRAST ? (loMean + hiMean) / 2 : -1;
}

/** Gives every block without an edge the threshold of its nearest block with one (breadth-first from all of them at once). */
function fillFlatBlocks(t: Float64Array, bw: number, bh: number): boolean {
  const queue = new Int32Array(bw * bh);
  let tail = 0;
  for (let i = 0; i < t.length; i++) if (t[i]! >= 0) queue[tail++] = i;
  if (tail === 0) return false;
  for (let head = 0; head < tail; head++) {
    const i = queue[head]!;
    const bx = i % bw;
    const by = (i - bx) / bw;
    const next = [bx > 0 ? i - 1 : -1, bx + 1 < bw ? i + 1 : -1, by > 0 ? i - bw : -1, by + 1 < bh ? i + bw : -1];
    for (const j of next)
      if (j >= 0 && t[j]! < 0) {
        t[j] = t[i]!;
        queue[tail++] = j;
      }
  }
  return true;
}

/** Dark/light pixels of `image` under local thresholds (each block's, averaged with its eight neighbours'). */
export function binarize(image: RgbaImage): BinaryImage {
  const { width, height } = image;
  const g = grey(image);
  const bw = Math.ceil(width / BLOCK);
  const bh = Math.ceil(height / BLOCK);
  const t = new Float64Array(bw * bh);
  for (let by = 0; by < bh; by++)
    for (let bx = 0; bx < bw; bx++)
      t[by * bw + bx] = blockThreshold(g, width, bx * BLOCK, by * BLOCK, Math.min(width, (bx + 1) * BLOCK), Math.min(height, (by + 1) * BLOCK));
  const dark = new Uint8Array(width * height);
  if (!fillFlatBlocks(t, bw, bh)) return { width, height, dark };
  for (let by = 0; by < bh; by++)
    for (let bx = 0; bx < bw; bx++) {
      let sum = 0;
      let n = 0;
      for (let j = Math.max(0, by - 1); j <= Math.min(bh - 1, by + 1); j++)
        for (let i = Math.max(0, bx - 1); i <= Math.min(bw - 1, bx + 1); i++) (sum += t[j * bw + i]!), n++;
      const threshold = sum / n;
      for (let y = by * BLOCK; y < Math.min(height, (by + 1) * BLOCK); y++)
        for (let x = bx * BLOCK; x < Math.min(width, (bx + 1) * BLOCK); x++) dark[y * width + x] = g[y * width + x]! < threshold ? 1 : 0;
    }
  return { width, height, dark };
}
