/**
 * The block tree (SPEC §5): every valid block known, on any branch, by hash,
 * and the link to the blocks kept aside whose parent is unknown: a block
 * joins the tree once checked against its parent, and the blocks that waited
 * for it follow. Which branch is active is the chain view's business
 * (chain-view.ts); this index only grows, or loses a branch that broke a rule.
 */
import type { Block } from '../block';
import type { RuleError } from '../errors';
import type { OrphanPool } from '../orphans';
import type { ChainParams } from '../params';
import { type ParentView, type ValidationContext, checkBlockContext, checkBlockState } from '../validate';
import { type BlockNode, nodeOfBlock } from './block-node';
import type { ActiveChain } from './chain-view';
import type { Rejections } from './rejections';

export class BlockIndex {
  private readonly nodes = new Map<string, BlockNode>();

  constructor(
    private readonly params: ChainParams,
    private readonly view: ActiveChain,
    private readonly orphans: OrphanPool,
    private readonly rejections: Rejections,
  ) {}

  get(key: string): BlockNode | undefined {
    return this.nodes.get(key);
  }

  has(key: string): boolean {
    return this.nodes.has(key);
  }

  /** Number of valid blocks known (all branches). */
  get size(): number {
    return this.nodes.size;
  }

  /** Every known block (a copy: the caller may change the index while it walks). */
  all(): BlockNode[] {
    return [...this.nodes.values()];
  }

  /** Blocks at or above `node` on its branches: `node` and its descendants. */
  branchesFrom(node: BlockNode): BlockNode[] {
    return this.all().filter((n) => this.view.ancestor(n, node.height) === node);
  }

  /** Puts a node whose checks are done (genesis, a restored header) in the tree. */
  add(node: BlockNode): void {
    this.nodes.set(node.key, node);
  }

  /** Stages 2 and 3 against `parent`, then insertion into the tree. Throws RuleError. */
  connect(block: Block, hash: Uint8Array, size: number, parent: BlockNode, ctx: ValidationContext): BlockNode {
    const view: ParentView = {
      hash: parent.hash,
      height: parent.height,
      bits: parent.header.bits,
      time: parent.header.time,
      medianTimePast: parent.medianTimePast,
      ancestorTime: (h) => this.view.ancestor(parent, h)!.header.time,
    };
    checkBlockContext(block, hash, view, ctx);
    checkBlockState(block, hash, this.view.branch(parent));
    const node = nodeOfBlock(this.params, block, hash, size, parent);
    this.nodes.set(node.key, node);
    return node;
  }

  /** Connects kept-aside blocks that descend from `node`, breadth first. */
  adoptOrphans(node: BlockNode, ctx: ValidationContext): BlockNode[] {
    const adopted: BlockNode[] = [];
    const queue = [node];
    while (queue.length > 0) {
      const parent = queue.shift()!;
      for (const o of this.orphans.takeChildren(parent.key)) {
        try {
          const child = this.connect(o.block, o.hash, o.size, parent, ctx);
          adopted.push(child);
          queue.push(child);
        } catch (e) {
          this.rejections.rejected(o.key, e);
        }
      }
    }
    return adopted;
  }

  /** Removes a block that broke a stage-3 rule, and all its descendants, from the tree, remembering them as invalid. */
  discard(node: BlockNode, error: RuleError): void {
    for (const n of this.all())
      if (n !== node && n.height > node.height && this.view.ancestor(n, node.height) === node) {
        this.nodes.delete(n.key);
        this.rejections.remember(n.key, 'BAD_PREV');
      }
    this.nodes.delete(node.key);
    this.rejections.invalidResult(node.key, error);
  }
}
