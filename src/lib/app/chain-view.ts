/**
 * What the screens may read of the chain (issue 14): a read-only view, never
 * the live `ChainState` (whose methods add blocks, mark finality and change
 * the pool). Every member is a read; the patient's and the kind's
 * transactions come from an index kept up to date block by block
 * (core/active-tx-index.ts), so a screen that re-reads on every new block
 * no longer walks the whole chain.
 */
import type { IndexedTx } from '../core/active-tx-index';
import { ActiveTxIndex } from '../core/active-tx-index';
import type { BlockNode, ChainState } from '../core/chain';
import type { RuleCode } from '../core/errors';
import type { LedgerView } from '../core/ledger';
import type { ChainParams } from '../core/params';
import type { PendingEntry } from '../core/pending';
import type { Block } from '../core/block';
import type { TxKind } from '../core/tx';

export type { IndexedTx };

export interface ChainView {
  readonly params: ChainParams;
  readonly genesis: BlockNode;
  readonly tip: BlockNode;
  readonly height: number;
  /** The last final block. */
  readonly finalized: BlockNode;
  /** The ledger as of the tip (null when the chain keeps none). */
  readonly ledger: LedgerView | null;
  /** The active-chain block at `height`. */
  atHeight(height: number): BlockNode | undefined;
  /** Any known valid block by hex hash (active or on a side branch). */
  get(key: string): BlockNode | undefined;
  isActive(node: BlockNode): boolean;
  /** The active chain from `from` to the tip (callers pass a bound: the explorer shows the newest blocks). */
  activeBlocks(from: number): readonly BlockNode[];
  /** Blocks that lost to a final block, oldest first. */
  readonly stale: readonly { readonly key: string; readonly block: Block; readonly receivedAt: number }[];
  /** The active chain's height of a confirmed transaction. */
  txHeight(key: string): number | undefined;
  /** The rule that dropped a pending transaction for good, if any. */
  failedTx(key: string): RuleCode | undefined;
  /** Transactions waiting for a block, in the pool's order. */
  pendingTxs(): readonly PendingEntry[];
  /** The patient's transactions on the active chain, oldest first (indexed). */
  ofPatient(patient: string): readonly IndexedTx[];
  /** The active chain's transactions of `kind`, oldest first (indexed). */
  ofKind(kind: TxKind): readonly IndexedTx[];
}

/**
 * Read-only views over whichever chain a tab sees now. One index serves
 * every chain object the tab is handed (a follower re-reads the store into a
 * new one on each tip), so it only moves by the blocks that changed.
 */
export class ChainViews {
  private readonly index = new ActiveTxIndex();

  /** The view of `chain` (the index catches up when a screen asks it for transactions). */
  of(chain: ChainState): ChainView {
    const index = this.index;
    const indexed = () => (index.sync(chain), index);
    return {
      params: chain.params,
      genesis: chain.genesis,
      get tip() {
        return chain.tip;
      },
      get height() {
        return chain.height;
      },
      get finalized() {
        return chain.finalized;
      },
      get ledger() {
        return chain.ledger;
      },
      get stale() {
        return chain.stale;
      },
      atHeight: (h) => chain.atHeight(h),
      get: (key) => chain.get(key),
      isActive: (node) => chain.isActive(node),
      activeBlocks: (from) => chain.activeBlocks(from),
      txHeight: (key) => chain.txHeight(key),
      failedTx: (key) => chain.failedTx(key),
      pendingTxs: () => chain.pending.list(),
      ofPatient: (patient) => indexed().ofPatient(patient),
      ofKind: (kind) => indexed().ofKind(kind),
    };
  }
}

/** A view of `chain` with an index of its own (tests and one-off reads; a tab keeps one {@link ChainViews}). */
export function viewOf(chain: ChainState): ChainView {
  return new ChainViews().of(chain);
}
