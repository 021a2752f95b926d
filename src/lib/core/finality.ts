/**
 * Majority approval and finality (paper §III "agreement"; SPEC §5). A
 * validator (an admitted hospital) approves a block by signing an Approval
 * transaction naming the block and its height; approvals travel as their own
 * messages and are recorded in later blocks as evidence. Approving a block
 * approves its ancestors. A block is final when approvals from a quorum of
 * the validators have reached it or a descendant; the chain state then never
 * reorganises below it ({@link ChainState.markFinal}).
 *
 * The validator set used for the blocks above a final block is the one after
 * that final block: validator changes (admissions) take effect for agreement
 * once the block that makes them is final, so every node counts against the
 * same set.
 *
 * A validator that approves two different blocks at one height, or two
 * blocks neither of which descends from the other, has broken the rules:
 * both signed approvals together are {@link Evidence}, kept and reported,
 * and its second approval is not counted. Quorum: more than half (SPEC §5),
 * a parameter so the agreement layer can be analysed with others.
 */
import type { BlockNode, ChainState, Reorg } from './chain';
import { toHex } from './bytes';
import { DecodeError } from './errors';
import { decodePayload } from './payloads';
import { type Tx, TxKind } from './tx';

/** Two signed approvals by one validator that no honest validator would sign. */
export interface Evidence {
  readonly validator: string;
  readonly first: Tx;
  readonly second: Tx;
  readonly reason: 'same-height' | 'conflicting-branches';
}

export type ApprovalResult =
  | { readonly status: 'counted'; readonly finalized: BlockNode | null; readonly reorg: Reorg | null }
  | { readonly status: 'waiting' } // the block is not known yet; counted when it arrives
  | { readonly status: 'duplicate' | 'stale' | 'not-a-validator' | 'malformed' }
  | { readonly status: 'equivocation'; readonly evidence: Evidence };

/** More than half of `n`. */
export const majority = (n: number) => Math.floor(n / 2) + 1;

interface Cast {
  readonly block: string;
  readonly height: number;
  readonly tx: Tx;
}

export class Finality {
  /** validator → height → the approval it cast there. */
  private readonly cast = new Map<string, Map<number, Cast>>();
  /** validator → its highest approval. */
  private readonly latest = new Map<string, Cast>();
  /** block → validators whose approvals reached it (it or a descendant). */
  private readonly approvers = new Map<string, Set<string>>();
  /** block not yet known → approvals waiting for it. */
  private readonly waiting = new Map<string, Tx[]>();
  readonly evidence: Evidence[] = [];

  constructor(
    private readonly chain: ChainState,
    private readonly quorum: (validators: number) => number = majority,
  ) {}

  /** The validators counted for blocks above the current final block. */
  validators(): readonly string[] {
    return this.chain.validatorsAt(this.chain.finalized.key) ?? [];
  }

  /**
   * Counts an Approval transaction whose signature the caller has checked
   * (as for any transaction). Never throws on bad input.
   */
  add(tx: Tx): ApprovalResult {
    if (tx.kind !== TxKind.Approval) return { status: 'malformed' };
    let block: string;
    let height: number;
    try {
      const p = decodePayload(TxKind.Approval, tx.payload);
      if (p.kind !== TxKind.Approval) return { status: 'malformed' };
      block = toHex(p.block);
      height = p.height;
    } catch (e) {
      if (e instanceof DecodeError) return { status: 'malformed' };
      throw e;
    }
    const validator = toHex(tx.author);
    if (!this.validators().includes(validator)) return { status: 'not-a-validator' };
    const byHeight = this.cast.get(validator) ?? new Map<number, Cast>();
    const before = byHeight.get(height);
    if (before) {
      if (before.block === block) return { status: 'duplicate' };
      // A validator may move on from a block that a final block has overtaken (it can never be final).
      if (!this.dead(before.block)) return this.report({ validator, first: before.tx, second: tx, reason: 'same-height' });
    }
    const node = this.chain.get(block);
    const latest = this.latest.get(validator);
    if (node && latest) {
      const other = this.chain.get(latest.block);
      if (other && !this.onOneBranch(node, other) && !this.dead(latest.block))
        return this.report({ validator, first: latest.tx, second: tx, reason: 'conflicting-branches' });
    }
    byHeight.set(height, { block, height, tx });
    this.cast.set(validator, byHeight);
    if (!latest || height > latest.height || this.dead(latest.block)) this.latest.set(validator, { block, height, tx });
    if (!node) {
      this.waiting.set(block, [...(this.waiting.get(block) ?? []), tx]);
      return { status: 'waiting' };
    }
    return this.count(node, validator);
  }

  /**
   * Counts the approvals recorded in a block's transactions (their
   * signatures were checked with the block). The chain carries its own
   * evidence: a node that syncs late computes finality from blocks alone.
   */
  fromBlock(node: BlockNode): ApprovalResult[] {
    return node.block.txs.filter((t) => t.kind === TxKind.Approval).map((t) => this.add(t));
  }

  /** Counts approvals that were waiting for `node` (call when a block is accepted). */
  blockArrived(node: BlockNode): ApprovalResult[] {
    const txs = this.waiting.get(node.key) ?? [];
    this.waiting.delete(node.key);
    return txs.map((tx) => this.count(node, toHex(tx.author)));
  }

  /** Validators whose approvals reached `key`. */
  approvalsOf(key: string): number {
    return this.approvers.get(key)?.size ?? 0;
  }

  private count(node: BlockNode, validator: string): ApprovalResult {
    const final = this.chain.finalized;
    if (!this.chain.descendsFromFinal(node) || node === final) return { status: 'stale' };
    const need = this.quorum(this.validators().length);
    let highest: BlockNode | null = null;
    for (let n: BlockNode | null = node; n && n !== final; n = n.parent) {
      let set = this.approvers.get(n.key);
      if (!set) this.approvers.set(n.key, (set = new Set()));
      set.add(validator);
      if (!highest && set.size >= need) highest = n;
    }
    if (!highest) return { status: 'counted', finalized: null, reorg: null };
    const reorg = this.chain.markFinal(highest.key);
    const finalized = this.chain.finalized === highest ? highest : null;
    return { status: 'counted', finalized, reorg };
  }

  /** Whether a block can never become final: it is known and does not descend from the final block. */
  private dead(key: string): boolean {
    const n = this.chain.get(key);
    if (!n) return this.chain.stale.some((s) => s.key === key);
    // Alive: the final block, a descendant, or one of its ancestors.
    return !this.chain.descendsFromFinal(n) && this.chain.ancestor(this.chain.finalized, n.height) !== n;
  }

  private onOneBranch(a: BlockNode, b: BlockNode): boolean {
    const [low, high] = a.height <= b.height ? [a, b] : [b, a];
    let n: BlockNode | null = high;
    while (n && n.height > low.height) n = n.parent;
    return n === low;
  }

  private report(e: Evidence): ApprovalResult {
    this.evidence.push(e);
    return { status: 'equivocation', evidence: e };
  }
}
