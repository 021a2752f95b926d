/**
 * Reading the module grid of a located QR code (SPEC §2, §7; ISO/IEC 18004
 * §6.9): for version 2 and up the bottom-right alignment pattern is looked
 * for near where the finders put it (it absorbs the camera's perspective),
 * then the centre of every module is mapped to a pixel through the
 * homography from module coordinates and read as dark or light.
 */
import type { BinaryImage } from './decode-binarize';
import type { FinderTriple, Point } from './decode-locate';
import { project, quadToQuad } from './decode-transform';
import { symbolSize } from './tables';

/** How far (in modules) from the expected place the alignment pattern is looked for. */
const ALIGNMENT_SEARCH = 8;
/** Module sizes tried for the template, relative to the finders' mean: a tilted code's far corner looks smaller or larger. */
const TEMPLATE_SCALES = [1, 1.2, 1.45, 0.85, 0.7];

function pixel(img: BinaryImage, x: number, y: number): number {
  const px = Math.floor(x);
  const py = Math.floor(y);
  return px < 0 || py < 0 || px >= img.width || py >= img.height ? 0 : img.dark[py * img.width + px]!;
}

/**
 * The alignment pattern's centre near `guess`: the place where a 5×5-module
 * template (dark ring, light ring, dark centre) laid along the module axes
 * `ux`, `uy`, at one of a few scales, matches best; null if nowhere matches
 * well.
 */
export function findAlignment(img: BinaryImage, guess: Point, ux: Point, uy: Point, module: number): Point | null {
  const reach = Math.ceil(ALIGNMENT_SEARCH * module);
  const step = Math.max(1, Math.floor(module / 4));
  let best = 22;
  let hits: Point[] = [];
  for (const scale of TEMPLATE_SCALES)
    for (let dy = -reach; dy <= reach; dy += step)
      for (let dx = -reach; dx <= reach; dx += step) {
        const cx = guess.x + dx;
        const cy = guess.y + dy;
        let score = 0;
        for (let j = -2; j <= 2; j++)
          for (let i = -2; i <= 2; i++) {
            const want = Math.max(Math.abs(i), Math.abs(j)) !== 1 ? 1 : 0;
            if (pixel(img, cx + scale * (i * ux.x + j * uy.x), cy + scale * (i * ux.y + j * uy.y)) === want) score++;
          }
        if (score > best) (best = score), (hits = []);
        if (score === best) hits.push({ x: cx, y: cy });
      }
  if (hits.length === 0) return null;
  // Of the best places, the one nearest the guess, averaged with those within half a module of it.
  const d = (p: Point, q: Point) => Math.hypot(p.x - q.x, p.y - q.y);
  const nearest = hits.reduce((a, b) => (d(b, guess) < d(a, guess) ? b : a));
  const close = hits.filter((p) => d(p, nearest) <= module / 2);
  return { x: close.reduce((s, p) => s + p.x, 0) / close.length, y: close.reduce((s, p) => s + p.y, 0) / close.length };
}

/** Dark (1) or light (0) for every module of a `version` symbol at the place `triple` gives; null if the geometry is degenerate. */
export function sampleGrid(img: BinaryImage, triple: FinderTriple, version: number): Uint8Array | null {
  const size = symbolSize(version);
  const { topLeft: tl, topRight: tr, bottomLeft: bl } = triple;
  const span = size - 7;
  const ux = { x: (tr.x - tl.x) / span, y: (tr.y - tl.y) / span };
  const uy = { x: (bl.x - tl.x) / span, y: (bl.y - tl.y) / span };
  const module = Math.hypot(ux.x, ux.y);
  let corner: Point = { x: tr.x + bl.x - tl.x, y: tr.y + bl.y - tl.y };
  let cornerAt = size - 3.5;
  if (version >= 2) {
    const at = size - 6.5;
    const guess = { x: tl.x + (at - 3.5) * (ux.x + uy.x), y: tl.y + (at - 3.5) * (ux.y + uy.y) };
    const found = findAlignment(img, guess, ux, uy, module);
    if (found) (corner = found), (cornerAt = at);
  }
  const near = 3.5;
  const far = size - 3.5;
  const h = quadToQuad(
    [{ x: near, y: near }, { x: far, y: near }, { x: cornerAt, y: cornerAt }, { x: near, y: far }],
    [tl, tr, corner, bl],
  );
  if (!h) return null;
  const out = new Uint8Array(size * size);
  for (let y = 0; y < size; y++)
    for (let x = 0; x < size; x++) {
      const p = project(h, x + 0.5, y + 0.5);
      if (!p) return null;
      out[y * size + x] = pixel(img, p.x, p.y);
    }
  return out;
}
