/**
 * Moving the active chain (SPEC §5): blocks join it at the tip with their
 * stage-3 rules applied, leave it with those changes undone, and a change of
 * tip is a reorganisation through the fork point. A branch that breaks a
 * rule as it joins is discarded and the previous chain put back exactly;
 * the choice of tip is then made again. Nothing reorganises below the final
 * block, whose ancestors' undo data is dropped.
 */
import { RuleError } from '../errors';
import type { PendingPool } from '../pending';
import type { BlockRules } from '../rules';
import type { Tx } from '../tx';
import { txSize } from '../validate';
import type { BlockIndex } from './block-index';
import type { BlockNode } from './block-node';
import type { ActiveChain } from './chain-view';
import type { PendingTxs } from './pending-txs';
import type { Reorg } from './results';

/** A move that failed: the block that broke a stage-3 rule, the chain as it was. */
type Failed = { readonly failed: BlockNode; readonly error: RuleError };

export class Reorganiser {
  /** Undo data of each active block's stage-3 changes (only above the final block, and genesis). */
  private readonly undo = new Map<string, unknown>();
  /** The validators (admitted hospitals) after each active block, shared while unchanged. */
  private readonly validatorsAfter = new Map<string, readonly string[]>();
  private finalNode!: BlockNode;

  constructor(
    private readonly view: ActiveChain,
    private readonly index: BlockIndex,
    private readonly rules: BlockRules,
    private readonly pending: PendingPool,
    private readonly pendingTxs: PendingTxs,
    /** Fork choice between two candidate tips (fork-choice.ts, with the current approval weights). */
    private readonly prefer: (a: BlockNode, b: BlockNode) => boolean,
  ) {}

  /** The last final block. */
  get final(): BlockNode {
    return this.finalNode;
  }

  /**
   * Moves the final block to `node` (an active block, or the first block) and
   * drops the undo data of the blocks that became final: nothing disconnects
   * them any more, and the journals hold every value they overwrote.
   */
  setFinal(node: BlockNode): void {
    if (this.finalNode) for (let h = this.finalNode.height + 1; h <= node.height; h++) this.undo.delete(this.view.at(h)!.key);
    this.finalNode = node;
  }

  /** Whether `n` is the last final block or one of its descendants (the only blocks that can join the chain). */
  descendsFromFinal(n: BlockNode): boolean {
    return this.view.ancestor(n, this.finalNode.height)?.key === this.finalNode.key;
  }

  /** How many blocks' undo data is held: what a reorganisation can still take back. */
  get undoHeld(): number {
    return this.undo.size;
  }

  /** The validators after an active block (SPEC §5: the validator set is chain state). */
  validatorsAt(key: string): readonly string[] | undefined {
    return this.validatorsAfter.get(key);
  }

  /** Sets the validators after a block restored from a snapshot (its ledger taken as written). */
  restoredValidators(key: string, ids: readonly string[]): void {
    this.validatorsAfter.set(key, ids);
  }

  /** Joins `b` to the active chain: stage-3 rules, then the indexes. Throws RuleError, naming the block. */
  connect(b: BlockNode): void {
    try {
      this.undo.set(b.key, this.rules.connect(b.block, b.txKeys));
    } catch (e) {
      throw e instanceof RuleError ? new RuleError(e.code, e.message, b.height, b.hash) : e;
    }
    const previous = this.view.length === 0 ? [] : (this.validatorsAfter.get(this.view.tip.key) ?? []);
    const now = this.rules.ledger?.memberIds() ?? [];
    this.validatorsAfter.set(b.key, now.join() === previous.join() ? previous : now);
    this.view.push(b);
  }

  /** Takes the tip block off the active chain, reverting its stage-3 changes. */
  disconnectTip(): BlockNode {
    const b = this.view.pop();
    this.rules.disconnect(this.undo.get(b.key));
    this.undo.delete(b.key);
    this.validatorsAfter.delete(b.key);
    return b;
  }

  /**
   * Moves the tip to the best valid candidate that descends from the final
   * block. Stage-3 rules are checked as blocks join the active chain; a
   * block that breaks one is discarded with its descendants, the previous
   * chain is restored, and the choice is made again.
   */
  chooseTip(candidates: readonly BlockNode[], failures: Map<string, RuleError>, mustMove = false): Reorg | null {
    let pool = candidates;
    let last: Reorg | null = null;
    for (;;) {
      let best: BlockNode | null = mustMove ? null : this.view.tip;
      for (const n of pool) if (this.index.has(n.key) && this.descendsFromFinal(n) && (!best || this.prefer(n, best))) best = n;
      if (!best || best === this.view.tip) return last;
      const r = this.reorgTo(best);
      if ('failed' in r) {
        failures.set(r.failed.key, r.error);
        this.index.discard(r.failed, r.error);
        pool = pool.filter((n) => this.index.has(n.key));
        continue;
      }
      last = r;
      if (mustMove) return last;
    }
  }

  private reorgTo(newTip: BlockNode): Reorg | Failed {
    let fork: BlockNode = newTip;
    while (!this.view.isActive(fork)) fork = fork.parent!;
    const disconnected: BlockNode[] = [];
    while (this.view.tip !== fork) disconnected.push(this.disconnectTip());
    const path: BlockNode[] = [];
    for (let n: BlockNode = newTip; n !== fork; n = n.parent!) path.push(n);
    path.reverse();
    const connected: BlockNode[] = [];
    for (const b of path) {
      try {
        this.connect(b);
        connected.push(b);
      } catch (e) {
        if (!(e instanceof RuleError)) throw e;
        // Put the previous chain back exactly as it was.
        while (this.view.tip !== fork) this.disconnectTip();
        for (const d of [...disconnected].reverse()) this.connect(d);
        return { failed: b, error: e };
      }
    }
    for (const b of connected) for (const k of b.txKeys) this.pending.remove(k);
    const returnedTxs: Tx[] = [];
    for (const b of disconnected)
      b.block.txs.forEach((tx, i) => {
        const k = b.txKeys[i]!;
        if (!this.view.hasTx(k) && this.pending.add({ tx, key: k, size: txSize(tx) })) returnedTxs.push(tx);
      });
    // What the new chain (returned transactions included) made invalid for good leaves the pool, with its reason.
    const failedTxs = this.pendingTxs.recheck();
    return { forkPoint: fork, disconnected, connected, returnedTxs, failedTxs };
  }
}
