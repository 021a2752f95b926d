/**
 * What the chain state answers when a block or transaction is offered: data,
 * never an exception, so a peer's bad data is a result to act on (SPEC §5).
 */
import type { RuleCode, RuleError } from '../errors';
import type { FailedTx } from '../failed-txs';
import type { Tx } from '../tx';
import type { BlockNode } from './block-node';

/** How the active chain changed. */
export interface Reorg {
  readonly forkPoint: BlockNode;
  /** Blocks that left the active chain, tip first. */
  readonly disconnected: readonly BlockNode[];
  /** Blocks that joined it, lowest first. */
  readonly connected: readonly BlockNode[];
  /** Transactions of disconnected blocks put back in the pending pool. */
  readonly returnedTxs: readonly Tx[];
  /** Pending transactions the new chain made invalid for good: dropped from the pool, with their rule (`ChainState.failedTx`). */
  readonly failedTxs: readonly FailedTx[];
}

export type AddBlockResult =
  | {
      readonly status: 'accepted';
      readonly node: BlockNode;
      /** Blocks that had waited for this one and were accepted after it. */
      readonly adopted: readonly BlockNode[];
      /** Set when the active chain changed (a plain extension is a reorg with nothing disconnected). */
      readonly reorg: Reorg | null;
    }
  | { readonly status: 'duplicate'; readonly key: string }
  | { readonly status: 'orphan'; readonly key: string }
  | { readonly status: 'invalid'; readonly key: string | null; readonly error: RuleError };

export type AddTxResult =
  | { readonly status: 'added'; readonly key: string }
  | { readonly status: 'duplicate'; readonly key: string }
  | { readonly status: 'in-chain'; readonly key: string }
  | { readonly status: 'pool-full'; readonly key: string }
  | { readonly status: 'invalid'; readonly key: string; readonly reason: string; readonly code?: RuleCode };
