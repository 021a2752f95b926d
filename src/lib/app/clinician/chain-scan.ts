/**
 * Reading transactions back from the active chain (SPEC §3, §4): the ledger
 * keeps who-may-read-what, but the bytes a reader needs (an AddRecord's
 * payload and nonce, later ShareKeys key sets, staff key wraps) are in the
 * blocks. Read from the view's index by kind (core/active-tx-index.ts), so a
 * screen re-reading on every block never walks the whole chain.
 */
import type { ChainView } from '../chain-view';
import { payloadOf } from '../../core/ledger-rules';
import type { PayloadOf } from '../../core/payloads';
import { type Tx, type TxKind } from '../../core/tx';

/** Every transaction of `kind` on the active chain, oldest first, with its id. */
export function* activeTxs<K extends TxKind>(chain: ChainView, kind: K): Generator<{ tx: Tx; id: string; payload: PayloadOf<K> }> {
  for (const { tx, id } of chain.ofKind(kind)) yield { tx, id, payload: payloadOf(tx) as PayloadOf<K> };
}
