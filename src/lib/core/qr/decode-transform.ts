/**
 * Plane projective transforms (homographies) for reading a QR code seen at
 * an angle by a camera (SPEC §2, §7): four points of the symbol whose
 * module coordinates are known (three finder centres and the bottom-right
 * alignment pattern, or the fourth corner of the parallelogram) fix the
 * mapping from module coordinates to pixels. Built as unit square → quad
 * (Heckbert's closed form), composed with the inverse of the same for the
 * module-space quad.
 */
import type { Point } from './decode-locate';

/** Row-major 3×3 matrix acting on column vectors (u, v, 1). */
export type Homography = readonly number[];

/** The transform taking (0,0), (1,0), (1,1), (0,1) to p0, p1, p2, p3, or null if the quad is degenerate. */
function squareToQuad(p0: Point, p1: Point, p2: Point, p3: Point): Homography | null {
  const sx = p0.x - p1.x + p2.x - p3.x;
  const sy = p0.y - p1.y + p2.y - p3.y;
  const dx1 = p1.x - p2.x;
  const dx2 = p3.x - p2.x;
  const dy1 = p1.y - p2.y;
  const dy2 = p3.y - p2.y;
  const den = dx1 * dy2 - dx2 * dy1;
  if (Math.abs(den) < 1e-9) return null;
  const g = (sx * dy2 - dx2 * sy) / den;
  const h = (dx1 * sy - sx * dy1) / den;
  return [p1.x - p0.x + g * p1.x, p3.x - p0.x + h * p3.x, p0.x, p1.y - p0.y + g * p1.y, p3.y - p0.y + h * p3.y, p0.y, g, h, 1];
}

/** Inverse up to scale (the adjugate), which is all a homography needs; null if singular. */
function invert(m: Homography): Homography | null {
  const [a, b, c, d, e, f, g, h, i] = m as [number, number, number, number, number, number, number, number, number];
  const adj = [e * i - f * h, c * h - b * i, b * f - c * e, f * g - d * i, a * i - c * g, c * d - a * f, d * h - e * g, b * g - a * h, a * e - b * d];
  const det = a * adj[0]! + b * adj[3]! + c * adj[6]!;
  return Math.abs(det) < 1e-12 ? null : adj;
}

function multiply(m: Homography, n: Homography): Homography {
  const out: number[] = [];
  for (let r = 0; r < 3; r++) for (let c = 0; c < 3; c++) out.push(m[r * 3]! * n[c]! + m[r * 3 + 1]! * n[3 + c]! + m[r * 3 + 2]! * n[6 + c]!);
  return out;
}

/** The transform taking each `from[i]` to `to[i]` (four points each, in order around the quad), or null if either is degenerate. */
export function quadToQuad(from: readonly [Point, Point, Point, Point], to: readonly [Point, Point, Point, Point]): Homography | null {
  const a = squareToQuad(...from);
  const b = squareToQuad(...to);
  const inv = a && invert(a);
  return inv && b ? multiply(b, inv) : null;
}

/** Where `h` takes the point (u, v); null behind the horizon (never for a real view of a code). */
export function project(h: Homography, u: number, v: number): Point | null {
  const w = h[6]! * u + h[7]! * v + h[8]!;
  if (Math.abs(w) < 1e-12) return null;
  return { x: (h[0]! * u + h[1]! * v + h[2]!) / w, y: (h[3]! * u + h[4]! * v + h[5]!) / w };
}
