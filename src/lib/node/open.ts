/**
 * Opening a node's store into a chain (SPEC §5: every node validates what it
 * loads). The fast check runs on every start; a store that is empty is bound
 * to the network and given its genesis block; a damaged genesis record is
 * rewritten from the genesis the node was booted with (it is part of the
 * network's definition); other damaged blocks are named in `refetch` and
 * come back from peers through ordinary sync (the node rewrites them as they
 * are accepted). A store of another network is our misuse: it throws.
 */
import { type Block, blockHash, encodeBlock } from '../core/block';
import { toHex } from '../core/bytes';
import { ChainState } from '../core/chain';
import type { ChainParams } from '../core/params';
import { initStore } from '../adapters/store/batch';
import { type LoadMode, type LoadReport, type LoadVerifier, loadChain } from '../adapters/store/load';
import { repairBlock } from '../adapters/store/repair';
import type { ChainStore } from '../adapters/store/types';

export interface Opened {
  readonly chain: ChainState;
  readonly report: LoadReport;
}

/** Loads (fast check), initialising an empty store and repairing a damaged genesis record. */
export async function openChain(store: ChainStore, params: ChainParams, genesis: Block, now: number, verifier: LoadVerifier, mode: LoadMode = 'fast'): Promise<Opened> {
  const genesisKey = toHex(blockHash(genesis));
  let report = await loadChain(store, params, { now, mode, verifier });
  if (report.status === 'no-network') {
    const chain = new ChainState(params, genesis, now, { verifier });
    if (!(await initStore(store, chain))) throw new Error('the store belongs to another network');
    report = await loadChain(store, params, { now, mode, verifier });
  }
  const meta = await store.network();
  if (report.status === 'wrong-network' || meta?.genesisKey !== genesisKey) throw new Error('the store belongs to another network');
  if (!report.chain) {
    const r = await repairBlock(store, params, genesisKey, encodeBlock(genesis), { now, chain: null, verifier });
    if (!r.ok) throw new Error(`the genesis block the node was booted with is invalid (${r.code})`);
    report = await loadChain(store, params, { now, mode, verifier });
  }
  if (!report.chain) throw new Error('the store could not be opened');
  return { chain: report.chain, report };
}
