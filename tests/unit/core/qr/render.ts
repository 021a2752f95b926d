/**
 * A grid of QR modules drawn as a camera might see it, for the reader's
 * tests: a module size, a quiet zone, a placement in a larger frame, a
 * rotation (any angle), grey levels, a box blur and seeded noise. Each
 * pixel's centre is mapped back into module coordinates.
 */
import { Prng } from '../../../../src/lib/core/prng';

/** Modules row by row: `dark[y * size + x]` is 1 for a dark module (no quiet zone). */
export interface Modules {
  readonly size: number;
  readonly dark: Uint8Array;
}

export interface RenderOptions {
  /** Pixels per module. */
  module?: number;
  /** Quiet zone in modules (4 by the standard). */
  quiet?: number;
  /** Degrees, clockwise. */
  rotate?: number;
  /** Extra pixels of background on every side. */
  pad?: number;
  /** Amplitude of uniform noise added to every pixel (grey levels). */
  noise?: number;
  /** Radius of a box blur over the picture (out of focus). */
  blur?: number;
  /** Grey levels of dark and light modules. */
  darkLevel?: number;
  lightLevel?: number;
  seed?: string;
}

/** RGBA pixels, shaped like the DOM's ImageData. */
export interface Pixels {
  readonly width: number;
  readonly height: number;
  readonly data: Uint8ClampedArray;
}

export function render(symbol: Modules, o: RenderOptions = {}): Pixels {
  const module = o.module ?? 4;
  const quiet = o.quiet ?? 4;
  const pad = o.pad ?? 0;
  const side = (symbol.size + 2 * quiet) * module;
  const angle = ((o.rotate ?? 0) * Math.PI) / 180;
  const cos = Math.cos(angle);
  const sin = Math.sin(angle);
  const box = Math.ceil(side * (Math.abs(cos) + Math.abs(sin)));
  const width = box + 2 * pad;
  const height = box + 2 * pad;
  const darkLevel = o.darkLevel ?? 20;
  const lightLevel = o.lightLevel ?? 235;
  let grey: Float64Array = new Float64Array(width * height);
  for (let py = 0; py < height; py++)
    for (let px = 0; px < width; px++) {
      // Undo the rotation about the frame's centre.
      const cx = px + 0.5 - width / 2;
      const cy = py + 0.5 - height / 2;
      const u = cos * cx + sin * cy + side / 2;
      const v = -sin * cx + cos * cy + side / 2;
      const mx = Math.floor(u / module) - quiet;
      const my = Math.floor(v / module) - quiet;
      const inside = u >= 0 && v >= 0 && u < side && v < side;
      const dark = inside && mx >= 0 && my >= 0 && mx < symbol.size && my < symbol.size && symbol.dark[my * symbol.size + mx] === 1;
      grey[py * width + px] = inside ? (dark ? darkLevel : lightLevel) : 200;
    }
  if (o.blur) grey = boxBlur(grey, width, height, o.blur);
  const prng = new Prng(o.seed ?? 'render');
  const data = new Uint8ClampedArray(width * height * 4);
  for (let i = 0; i < width * height; i++) {
    const level = grey[i]! + (o.noise ? (prng.next() * 2 - 1) * o.noise : 0);
    data[i * 4] = data[i * 4 + 1] = data[i * 4 + 2] = level;
    data[i * 4 + 3] = 255;
  }
  return { width, height, data };
}

/** The mean over a (2r+1)² square around each pixel, clamped at the edges. */
function boxBlur(grey: Float64Array, width: number, height: number, r: number): Float64Array {
  const out = new Float64Array(grey.length);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      let sum = 0;
      let n = 0;
      for (let dy = -r; dy <= r; dy++)
        for (let dx = -r; dx <= r; dx++) {
          const yy = y + dy;
          const xx = x + dx;
          if (yy < 0 || xx < 0 || yy >= height || xx >= width) continue;
          sum += grey[yy * width + xx]!;
          n++;
        }
      out[y * width + x] = sum / n;
    }
  return out;
}

/** A picture of `width`×`height` grey pixels, `level(x, y)` each. */
export function picture(width: number, height: number, level: (x: number, y: number) => number): Pixels {
  const data = new Uint8ClampedArray(width * height * 4);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 4;
      data[i] = data[i + 1] = data[i + 2] = level(x, y);
      data[i + 3] = 255;
    }
  return { width, height, data };
}
