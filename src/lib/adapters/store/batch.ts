/**
 * What the node writes after the core accepts something (SPEC §5 storage):
 * a block, the blocks it let join, and the new tip go in ONE batch, with the
 * pending pool's changes of the same step, so a crash never leaves a tip that
 * points at a missing block or a confirmed transaction still pending.
 */
import { type AddBlockResult, type BlockNode, type ChainState } from '../../core/chain';
import { encodeBlock } from '../../core/block';
import { toHex } from '../../core/bytes';
import { blockPatients, ledgerLookup, NO_LOOKUP } from '../../core/tx-subjects';
import { encodeTx, type Tx, txId } from '../../core/tx';
import { storedBlockOf } from './records';
import type { ChainStore, PendingRecord, StoreBatch, StoredBlock } from './types';

/** The record of a block of the chain, its patients resolved with the chain's ledger. */
export function blockRecord(chain: ChainState, node: BlockNode, bytes: Uint8Array = encodeBlock(node.block)): StoredBlock {
  const lookup = chain.ledger ? ledgerLookup(chain.ledger) : NO_LOOKUP;
  return storedBlockOf(node.block, bytes, blockPatients(node.block.txs, lookup));
}

/** The pending-pool record of a transaction (an offline write, kept until a block confirms it). */
export function pendingRecord(tx: Tx): PendingRecord {
  return { key: toHex(txId(tx)), bytes: encodeTx(tx), time: tx.time };
}

/** The batch for an accepted block: it, the blocks adopted after it, the tip, and the pool's changes. */
export function acceptedBatch(chain: ChainState, result: Extract<AddBlockResult, { status: 'accepted' }>, bytes?: Uint8Array): StoreBatch {
  const reorg = result.reorg;
  return {
    blocks: [blockRecord(chain, result.node, bytes), ...result.adopted.map((n) => blockRecord(chain, n))],
    tip: { key: chain.tip.key, height: chain.tip.height },
    pendingDelete: reorg ? [...reorg.connected.flatMap((n) => n.txKeys), ...reorg.failedTxs.map((f) => f.key)] : [],
    // A returned transaction the new chain made invalid is not written back (it left the pool at once).
    pendingPut: reorg ? reorg.returnedTxs.map(pendingRecord).filter((p) => !reorg.failedTxs.some((f) => f.key === p.key)) : [],
    orphanDelete: result.adopted.map((n) => n.key),
  };
}

/**
 * Binds an empty store to the chain's network and writes its genesis block
 * and tip. False when the store already belongs to another network.
 */
export async function initStore(store: ChainStore, chain: ChainState): Promise<boolean> {
  if (!(await store.setNetwork({ networkId: chain.params.id, genesisKey: chain.genesis.key }))) return false;
  if ((await store.tip()) === null) await store.commit({ blocks: [blockRecord(chain, chain.genesis)], tip: { key: chain.genesis.key, height: 0 } });
  return true;
}
