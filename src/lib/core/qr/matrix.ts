/**
 * The module grid of a QR symbol (ISO/IEC 18004 §7.3, §7.7, §7.9, §7.10):
 * function patterns (finders with separators, timing, alignment, the dark
 * module, reserved format and version areas), the zig-zag placement of the
 * codeword bits, and the format and version information.
 */
import { ALIGNMENT_CENTRES, symbolSize } from './tables';

/** A square grid of modules, row-major; `dark[y * size + x]` is 1 for dark. */
export class Grid {
  readonly size: number;
  readonly dark: Uint8Array;
  /** 1 where a function pattern (or reserved area) sits: no data goes there and masks skip it. */
  readonly isFunction: Uint8Array;

  constructor(readonly version: number) {
    this.size = symbolSize(version);
    this.dark = new Uint8Array(this.size * this.size);
    this.isFunction = new Uint8Array(this.size * this.size);
    this.drawFunctionPatterns();
  }

  get(x: number, y: number): boolean {
    return this.dark[y * this.size + x] === 1;
  }

  private fn(x: number, y: number, dark: boolean): void {
    this.dark[y * this.size + x] = dark ? 1 : 0;
    this.isFunction[y * this.size + x] = 1;
  }

  private drawFunctionPatterns(): void {
    const n = this.size;
    for (let i = 0; i < n; i++) {
      this.fn(6, i, i % 2 === 0);
      this.fn(i, 6, i % 2 === 0);
    }
    this.finder(3, 3);
    this.finder(n - 4, 3);
    this.finder(3, n - 4);
    const centres = ALIGNMENT_CENTRES[this.version - 1]!;
    const last = centres.length - 1;
    for (let i = 0; i <= last; i++) {
      for (let j = 0; j <= last; j++) {
        // The three corners taken by finder patterns get none.
        if ((i === 0 && j === 0) || (i === 0 && j === last) || (i === last && j === 0)) continue;
        this.alignment(centres[i]!, centres[j]!);
      }
    }
    // Reserve the format areas now (drawn later) and the dark module.
    this.drawFormat(0);
    this.drawVersion();
  }

  /** Finder pattern centred at (cx, cy) with its light separator, clipped to the grid. */
  private finder(cx: number, cy: number): void {
    for (let dy = -4; dy <= 4; dy++) {
      for (let dx = -4; dx <= 4; dx++) {
        const x = cx + dx;
        const y = cy + dy;
        if (x < 0 || y < 0 || x >= this.size || y >= this.size) continue;
        const ring = Math.max(Math.abs(dx), Math.abs(dy));
        this.fn(x, y, ring !== 2 && ring !== 4);
      }
    }
  }

  private alignment(cx: number, cy: number): void {
    for (let dy = -2; dy <= 2; dy++)
      for (let dx = -2; dx <= 2; dx++) this.fn(cx + dx, cy + dy, Math.max(Math.abs(dx), Math.abs(dy)) !== 1);
  }

  /** Writes the 15 format bits (both copies) and the dark module. */
  drawFormat(bits: number): void {
    const n = this.size;
    const bit = (i: number) => ((bits >>> i) & 1) === 1;
    // Copy around the top-left finder.
    for (let i = 0; i <= 5; i++) this.fn(8, i, bit(i));
    this.fn(8, 7, bit(6));
    this.fn(8, 8, bit(7));
    this.fn(7, 8, bit(8));
    for (let i = 9; i < 15; i++) this.fn(14 - i, 8, bit(i));
    // Copy split between the other two finders.
    for (let i = 0; i < 8; i++) this.fn(n - 1 - i, 8, bit(i));
    for (let i = 8; i < 15; i++) this.fn(8, n - 15 + i, bit(i));
    this.fn(8, n - 8, true);
  }

  /** Version information (versions 7 and up), both 6×3 copies. */
  private drawVersion(): void {
    if (this.version < 7) return;
    const bits = versionBits(this.version);
    for (let i = 0; i < 18; i++) {
      const dark = ((bits >>> i) & 1) === 1;
      const a = this.size - 11 + (i % 3);
      const b = Math.floor(i / 3);
      this.fn(a, b, dark);
      this.fn(b, a, dark);
    }
  }

  /** Places codeword bits in the zig-zag order, skipping function modules; leftover modules stay light. */
  placeCodewords(codewords: Uint8Array): void {
    const n = this.size;
    let i = 0;
    for (let right = n - 1; right >= 1; right -= 2) {
      if (right === 6) right = 5; // the vertical timing column is skipped
      for (let step = 0; step < n; step++) {
        for (let k = 0; k < 2; k++) {
          const x = right - k;
          const upward = ((right + 1) & 2) === 0;
          const y = upward ? n - 1 - step : step;
          if (this.isFunction[y * n + x] === 1) continue;
          if (i < codewords.length * 8) this.dark[y * n + x] = (codewords[i >>> 3]! >>> (7 - (i & 7))) & 1;
          i++;
        }
      }
    }
  }
}

/** Remainder of `value << degree(poly)` modulo `poly` over GF(2) (a BCH code's check bits). */
function bchRemainder(value: number, poly: number): number {
  const degree = 31 - Math.clz32(poly);
  let r = value << degree;
  while (r >= 1 << degree) r ^= poly << (31 - Math.clz32(r) - degree);
  return r;
}

/** The 15 format bits for level M (indicator 00) and a mask: BCH(15,5) with 0x537, XOR 0x5412. */
export function formatBits(mask: number): number {
  const data = (0b00 << 3) | mask;
  return ((data << 10) | bchRemainder(data, 0x537)) ^ 0x5412;
}

/** The 18 version bits: the version number and its BCH(18,6) check bits with 0x1F25. */
export function versionBits(version: number): number {
  return (version << 12) | bchRemainder(version, 0x1f25);
}
