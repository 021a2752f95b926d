/**
 * Fork choice between two candidate tips (SPEC §5): the most cumulative work,
 * the lower hash on equal work, so every node with the same blocks picks the
 * same tip whatever the order they arrived in; and, once the agreement layer
 * gives approval weights, the branch most validators already back first.
 */
import { compareBytes } from '../bytes';
import type { BlockNode } from './block-node';

/** How many validators' approvals reached a block (the agreement layer's view). */
export type ApprovalWeight = (key: string) => number;

/** Fork choice: more work wins; equal work, the lower hash. */
export function better(a: BlockNode, b: BlockNode): boolean {
  if (a.chainWork !== b.chainWork) return a.chainWork > b.chainWork;
  return compareBytes(a.hash, b.hash) < 0;
}

/**
 * Whether tip `a` is preferred to tip `b`. With approval weights, the branch
 * whose first block after the fork point carries more approvals wins, then
 * {@link better}; so honest validators, who approve their own tip, converge
 * on the branch most of them already back.
 */
export function prefer(a: BlockNode, b: BlockNode, weight: ApprovalWeight | null): boolean {
  if (weight) {
    let x: BlockNode = a;
    let y: BlockNode = b;
    while (x.height > y.height) x = x.parent!;
    while (y.height > x.height) y = y.parent!;
    let ca: BlockNode | null = a.height > x.height ? a : null;
    let cb: BlockNode | null = b.height > y.height ? b : null;
    while (x !== y) {
      ca = x;
      cb = y;
      x = x.parent!;
      y = y.parent!;
    }
    // ca, cb: the first blocks of each branch after the fork point (null when one is an ancestor of the other).
    if (ca && cb) {
      const wa = weight(ca.key);
      const wb = weight(cb.key);
      if (wa !== wb) return wa > wb;
    }
  }
  return better(a, b);
}
