/**
 * The active chain (SPEC §5): its blocks by height and the height of each
 * transaction it confirms. It answers the questions the rest of the chain
 * asks most (tip, ancestor, is this block active, is this transaction
 * confirmed) in constant or near-constant time; only joining and leaving
 * blocks change it, one at the tip at a time.
 */
import type { BlockNode } from './block-node';

/** Whether a transaction is confirmed on some branch (the view a block's stage-2 checks get). */
export interface ConfirmedTxs {
  hasTx(key: string): boolean;
}

export class ActiveChain {
  private readonly active: BlockNode[] = [];
  /** Transaction id → height, for the active chain. */
  private readonly txIndex = new Map<string, number>();

  /** The tip of the active chain (our misuse to ask before genesis joined). */
  get tip(): BlockNode {
    return this.active[this.active.length - 1]!;
  }

  /** Number of active blocks (the tip's height plus one). */
  get length(): number {
    return this.active.length;
  }

  /** The active block at `height`, if any. */
  at(height: number): BlockNode | undefined {
    return this.active[height];
  }

  isActive(node: BlockNode): boolean {
    return this.active[node.height] === node;
  }

  /** Ancestor of `node` at `height` (itself when equal); jumps to the active chain as soon as the walk meets it. */
  ancestor(node: BlockNode, height: number): BlockNode | undefined {
    if (height > node.height || height < 0) return undefined;
    let n: BlockNode = node;
    while (n.height > height) {
      if (this.active[n.height] === n) return this.active[height];
      n = n.parent!;
    }
    return n;
  }

  /** The active chain's height of a confirmed transaction, if any. */
  txHeight(key: string): number | undefined {
    return this.txIndex.get(key);
  }

  hasTx(key: string): boolean {
    return this.txIndex.has(key);
  }

  /** Active blocks from height `from` to the tip, in order (a copy). */
  blocks(from = 0): BlockNode[] {
    return this.active.slice(from);
  }

  /**
   * Makes `node` (a child of the tip) the tip and indexes its transactions.
   * Returns the first transaction that was already indexed (a restored
   * snapshot refuses it; the checks before a block joins rule it out), or null.
   */
  push(node: BlockNode): string | null {
    this.active.push(node);
    let twice: string | null = null;
    for (const k of node.txKeys) {
      if (twice === null && this.txIndex.has(k)) twice = k;
      this.txIndex.set(k, node.height);
    }
    return twice;
  }

  /** Takes the tip off and forgets its transactions. */
  pop(): BlockNode {
    const b = this.active.pop()!;
    for (const k of b.txKeys) this.txIndex.delete(k);
    return b;
  }

  /** Confirmed transactions on the branch ending at `parent` (active or not). */
  branch(parent: BlockNode): ConfirmedTxs {
    if (this.isActive(parent)) {
      const top = parent.height;
      return { hasTx: (k) => (this.txIndex.get(k) ?? Infinity) <= top };
    }
    const side = new Set<string>();
    let n: BlockNode = parent;
    while (!this.isActive(n)) {
      for (const k of n.txKeys) side.add(k);
      n = n.parent!;
    }
    const forkHeight = n.height;
    return { hasTx: (k) => side.has(k) || (this.txIndex.get(k) ?? Infinity) <= forkHeight };
  }
}
