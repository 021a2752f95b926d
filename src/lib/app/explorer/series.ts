/**
 * The explorer's charts as data (SPEC §7): difficulty and block time over
 * height along the active chain, and the geometry of a plain SVG line chart
 * (the page also shows the same points as a table). Difficulty is the
 * network's easiest target divided by the block's target, so 1 is the
 * easiest work the network accepts (SPEC §5, retargeting).
 */
import type { ChainView } from '../chain-view';
import { targetFromBits } from '../../core/compact';

export interface Point {
  readonly height: number;
  readonly value: number;
}

/** Difficulty of each of the newest `limit` blocks (genesis included when in range). */
export function difficultySeries(chain: ChainView, limit = 200): Point[] {
  const limitTarget = chain.params.powLimit;
  return chain.activeBlocks(Math.max(0, chain.height - limit + 1)).flatMap((n) => {
    const target = targetFromBits(n.header.bits);
    if (target === null || target === 0n) return [];
    return [{ height: n.height, value: Number((limitTarget * 1000n) / target) / 1000 }];
  });
}

/** Seconds from each block's parent to it, for the newest `limit` blocks after genesis (negative when a miner's clock ran behind). */
export function blockTimeSeries(chain: ChainView, limit = 200): Point[] {
  return chain
    .activeBlocks(Math.max(1, chain.height - limit + 1))
    .filter((n) => n.parent !== null)
    .map((n) => ({ height: n.height, value: n.header.time - n.parent!.header.time }));
}

export interface ChartGeometry {
  /** SVG path data of the line, in a viewBox of `width` × `height`. */
  readonly path: string;
  readonly minX: number;
  readonly maxX: number;
  readonly minY: number;
  readonly maxY: number;
}

/** Scales `points` into a `width` × `height` box (y grows downwards); an empty series gives an empty path. */
export function chartGeometry(points: readonly Point[], width: number, height: number): ChartGeometry {
  if (points.length === 0) return { path: '', minX: 0, maxX: 0, minY: 0, maxY: 0 };
  const xs = points.map((p) => p.height);
  const ys = points.map((p) => p.value);
  const minX = Math.min(...xs);
  const maxX = Math.max(...xs);
  const minY = Math.min(0, ...ys);
  const maxY = Math.max(...ys);
  const sx = (x: number) => (maxX === minX ? width / 2 : ((x - minX) / (maxX - minX)) * width);
  const sy = (y: number) => (maxY === minY ? height / 2 : height - ((y - minY) / (maxY - minY)) * height);
  const path = points.map((p, i) => `${i === 0 ? 'M' : 'L'}${sx(p.height).toFixed(1)} ${sy(p.value).toFixed(1)}`).join(' ');
  return { path, minX, maxX, minY, maxY };
}
