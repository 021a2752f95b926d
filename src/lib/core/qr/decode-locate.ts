/**
 * Which three finder candidates make one QR code, and which corner each is
 * (SPEC §2, §7): the top-left finder sits at the right angle of the
 * triangle; going from it to the top-right then the bottom-left turns
 * clockwise in image coordinates (y down), whatever the code's rotation.
 * The distance between finders in modules gives the symbol's size and so
 * its version (17 + 4v modules a side).
 */
import type { FinderCandidate } from './decode-finder';

export interface Point {
  readonly x: number;
  readonly y: number;
}

/** Three finders in their roles, with the mean module size in pixels and the version their distance suggests. */
export interface FinderTriple {
  readonly topLeft: Point;
  readonly topRight: Point;
  readonly bottomLeft: Point;
  readonly module: number;
  readonly version: number;
}

/** How many of the best-confirmed candidates are combined into triples. */
const MAX_CANDIDATES = 12;

const dist = (a: Point, b: Point) => Math.hypot(a.x - b.x, a.y - b.y);

/** Orders three candidates as a QR code's corners and scores how square they are (lower is better), or null if they cannot be one. */
function asTriple(a: FinderCandidate, b: FinderCandidate, c: FinderCandidate): { triple: FinderTriple; score: number } | null {
  const modules = [a.module, b.module, c.module];
  const sizeSpread = Math.max(...modules) / Math.min(...modules);
  if (sizeSpread > 1.6) return null;
  // The corner is opposite the longest side.
  const sides: [FinderCandidate, FinderCandidate, FinderCandidate, number][] = [
    [a, b, c, dist(b, c)],
    [b, a, c, dist(a, c)],
    [c, a, b, dist(a, b)],
  ];
  sides.sort((p, q) => q[3] - p[3]);
  const [corner, p, q, hyp] = sides[0]!;
  const legP = dist(corner, p);
  const legQ = dist(corner, q);
  const legRatio = legP / legQ;
  const rightness = hyp / Math.hypot(legP, legQ);
  if (legRatio < 0.6 || legRatio > 1 / 0.6 || Math.abs(rightness - 1) > 0.2) return null;
  const cross = (p.x - corner.x) * (q.y - corner.y) - (p.y - corner.y) * (q.x - corner.x);
  const [right, left] = cross > 0 ? [p, q] : [q, p];
  const module = (a.module + b.module + c.module) / 3;
  const modulesAcross = (legP + legQ) / 2 / module + 7;
  const version = Math.round((modulesAcross - 17) / 4);
  if (version < 1 || version > 40) return null;
  const score = Math.abs(Math.log(legRatio)) + Math.abs(rightness - 1) + Math.log(sizeSpread);
  return { triple: { topLeft: corner, topRight: right, bottomLeft: left, module, version }, score };
}

/** Plausible finder triples among the candidates, most square first. */
export function finderTriples(candidates: readonly FinderCandidate[]): FinderTriple[] {
  const top = candidates.slice(0, MAX_CANDIDATES);
  const found: { triple: FinderTriple; score: number }[] = [];
  for (let i = 0; i < top.length; i++)
    for (let j = i + 1; j < top.length; j++)
      for (let k = j + 1; k < top.length; k++) {
        const t = asTriple(top[i]!, top[j]!, top[k]!);
        if (t) found.push(t);
      }
  return found.sort((p, q) => p.score - q.score).map((t) => t.triple);
}
