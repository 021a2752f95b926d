/**
 * Renders an encoded QR symbol to RGBA pixels the way a camera might see it,
 * for the decoder's tests: a module size, a quiet zone, a placement in a
 * larger frame, a rotation (any angle), an optional perspective tilt,
 * grey levels and seeded noise. Pixels are drawn by mapping each pixel's
 * centre back into module coordinates (through the decoder's own homography
 * for the perspective case; decode-geometry.test.ts checks it on its own).
 */
import { Prng } from '../../../../src/lib/core/prng';
import type { Point } from '../../../../src/lib/core/qr/decode-locate';
import { project, quadToQuad } from '../../../../src/lib/core/qr/decode-transform';
import type { QrSymbol } from '../../../../src/lib/core/qr/qr';

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
  /** Grey levels of dark and light modules. */
  darkLevel?: number;
  lightLevel?: number;
  /** Perspective: where the corners of the quiet zone's square land (top-left, top-right, bottom-right, bottom-left) in a frame of `frame` pixels; replaces rotate and pad. */
  corners?: [Point, Point, Point, Point];
  frame?: { width: number; height: number };
  seed?: string;
}

export interface Rendered {
  width: number;
  height: number;
  data: Uint8ClampedArray;
}

/** The symbol with `dark` replaced (damage), for tests. */
export function withModules(symbol: QrSymbol, dark: Uint8Array): QrSymbol {
  return { ...symbol, dark };
}

export function render(symbol: QrSymbol, o: RenderOptions = {}): Rendered {
  const module = o.module ?? 4;
  const quiet = o.quiet ?? 4;
  const pad = o.pad ?? 0;
  const side = (symbol.size + 2 * quiet) * module;
  const angle = ((o.rotate ?? 0) * Math.PI) / 180;
  const cos = Math.cos(angle);
  const sin = Math.sin(angle);
  // The bounding box of the rotated square.
  const box = Math.ceil(side * (Math.abs(cos) + Math.abs(sin)));
  const width = o.frame?.width ?? box + 2 * pad;
  const height = o.frame?.height ?? box + 2 * pad;
  const toSquare = o.corners ? quadToQuad(o.corners, [{ x: 0, y: 0 }, { x: side, y: 0 }, { x: side, y: side }, { x: 0, y: side }]) : null;
  const data = new Uint8ClampedArray(width * height * 4);
  const prng = new Prng(o.seed ?? 'render');
  const darkLevel = o.darkLevel ?? 20;
  const lightLevel = o.lightLevel ?? 235;
  for (let py = 0; py < height; py++)
    for (let px = 0; px < width; px++) {
      // Undo the rotation about the frame's centre.
      const cx = px + 0.5 - width / 2;
      const cy = py + 0.5 - height / 2;
      let u = cos * cx + sin * cy + side / 2;
      let v = -sin * cx + cos * cy + side / 2;
      if (toSquare) ({ x: u, y: v } = project(toSquare, px + 0.5, py + 0.5)!);
      const mx = Math.floor(u / module) - quiet;
      const my = Math.floor(v / module) - quiet;
      const inside = u >= 0 && v >= 0 && u < side && v < side;
      const dark = inside && mx >= 0 && my >= 0 && mx < symbol.size && my < symbol.size && symbol.dark[my * symbol.size + mx] === 1;
      let level = inside ? (dark ? darkLevel : lightLevel) : 200;
      if (o.noise) level += (prng.next() * 2 - 1) * o.noise;
      const i = (py * width + px) * 4;
      data[i] = data[i + 1] = data[i + 2] = level;
      data[i + 3] = 255;
    }
  return { width, height, data };
}
