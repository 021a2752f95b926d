/**
 * Reading transactions back from the active chain (SPEC §3, §4): the ledger
 * keeps who-may-read-what, but the bytes a reader needs (an AddRecord's
 * payload and nonce, later ShareKeys key sets, staff key wraps) are in the
 * blocks. A linear pass over the active chain; fine at demo sizes.
 */
import type { ChainState } from '../../core/chain';
import { payloadOf } from '../../core/ledger-rules';
import type { PayloadOf } from '../../core/payloads';
import { type Tx, type TxKind } from '../../core/tx';

/** Every transaction of `kind` on the active chain, oldest first, with its id. */
export function* activeTxs<K extends TxKind>(chain: ChainState, kind: K): Generator<{ tx: Tx; id: string; payload: PayloadOf<K> }> {
  for (const node of chain.activeBlocks()) {
    for (let i = 0; i < node.block.txs.length; i++) {
      const tx = node.block.txs[i]!;
      if (tx.kind !== kind) continue;
      yield { tx, id: node.txKeys[i]!, payload: payloadOf(tx) as PayloadOf<K> };
    }
  }
}
