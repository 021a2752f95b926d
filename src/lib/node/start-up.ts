/**
 * A node's start-up (issue 14; SPEC §5: every node validates what it loads):
 * the one path from a store's records to the chain a {@link FullNode} runs
 * on. The store only reads records (adapters/store/read.ts); the chain is
 * built here and in chain-build.ts. The order, and why:
 *
 * 1. The network first: an empty store is bound to the network and given
 *    its genesis block before anything is read, so every read below finds
 *    a genesis record; a store of another network is our misuse (throws).
 * 2. One read of every record, then one build (chain-build.ts): from the
 *    stored snapshot when there is one and it is valid, replaying only the
 *    blocks above it; else every block from genesis.
 * 3. A build without a chain means the genesis record is damaged: it is
 *    rewritten from the genesis the node was booted with (part of the
 *    network's definition), and the store is read and built once more.
 *    Other damaged blocks are named in `bad` and come back from peers
 *    through ordinary sync.
 * 4. After a start from a snapshot, the deferred full check
 *    ({@link checkInBackground}) runs once the node is running — the
 *    blocks below the snapshot were not replayed at start.
 * 5. Erasures made final before this start are carried out only after that
 *    check (FullNode's constructor waits for `checked`): the catch-up reads
 *    every block's transactions, which the snapshot start avoided.
 */
import { type Block, blockHash, encodeBlock } from '../core/block';
import { bytesEqual, toHex } from '../core/bytes';
import { ChainState } from '../core/chain';
import type { ChainParams } from '../core/params';
import { ledgerRules } from '../core/rules';
import { encodeSnapshot } from '../core/snapshot';
import { initStore } from '../adapters/store/batch';
import { startMark } from '../adapters/store/marks';
import { readChainRecords } from '../adapters/store/read';
import type { ChainStore, NetworkMeta } from '../adapters/store/types';
import { type LoadReport, type LoadVerifier, buildChain, loadChain } from './chain-build';
import { repairBlock } from './repair';
import type { StoreHealth } from './types';

type Bad = StoreHealth['bad'][number];

/** What a node starts with: its chain, and what its persister and health need to know of the store. */
export interface StartedChain {
  readonly chain: ChainState;
  readonly report: LoadReport;
  /** Keys of the blocks on disk the node may take as written: the active chain and the detached ones. */
  readonly stored: readonly string[];
  /** Keys of the pending transactions on disk. */
  readonly pending: readonly string[];
  /** What the start found broken, for the node's health. */
  readonly bad: readonly Bad[];
  /** Height of the snapshot the chain started from (-1: none, so no deferred check). */
  readonly snapshotAt: number;
}

/** Opens a store into the chain a node runs on (the order is in the file's comment). */
export async function startUp(store: ChainStore, params: ChainParams, genesis: Block, now: number, verifier: LoadVerifier): Promise<StartedChain> {
  const genesisKey = toHex(blockHash(genesis));
  // 1. The network first.
  const network = (await store.network()) ?? (await bind(store, params, genesis, now, verifier));
  if (network.networkId !== params.id || network.genesisKey !== genesisKey) throw new Error('the store belongs to another network');
  startMark('load:network');
  // 2. One read, one build.
  const build = async () => {
    const records = await readChainRecords(store, true);
    return { records, report: await buildChain(network, records, params, { now, verifier }) };
  };
  let { records, report } = await build();
  // 3. No chain: the genesis record is damaged; rewrite it and build again.
  if (!report.chain) {
    const r = await repairBlock(store, params, genesisKey, encodeBlock(genesis), { now, chain: null, verifier });
    if (!r.ok) throw new Error(`the genesis block the node was booted with is invalid (${r.code})`);
    ({ records, report } = await build());
  }
  const { chain } = report;
  if (!chain) throw new Error('the store could not be opened');
  return {
    chain,
    report,
    stored: [...chain.activeBlocks().map((n) => n.key), ...report.detached],
    pending: records.pending.map((p) => p.key),
    bad: report.bad.map((b) => ({ key: b.key, height: b.height, code: b.code })),
    // 4. Only a snapshot start defers a check (see checkInBackground).
    snapshotAt: 'height' in report.snapshot ? report.snapshot.height : -1,
  };
}

/** Binds an empty store to the network and writes the genesis block. */
async function bind(store: ChainStore, params: ChainParams, genesis: Block, now: number, verifier: LoadVerifier): Promise<NetworkMeta> {
  const chain = new ChainState(params, genesis, now, { verifier, rules: ledgerRules });
  if (!(await initStore(store, chain))) throw new Error('the store belongs to another network');
  return { networkId: params.id, genesisKey: chain.genesis.key };
}

/**
 * The deferred full check of a start from a snapshot (step 4), run in the
 * background in slices: every stored block decoded, checked (key, height,
 * root, digest) and its rules replayed from genesis; the state so rebuilt
 * at the snapshot's final block must encode to the very bytes of the stored
 * snapshot. What broke is returned, never thrown; a snapshot that differs
 * is reported and deleted, so the next start replays.
 */
export async function checkInBackground(store: ChainStore, params: ChainParams, now: number, verifier: LoadVerifier): Promise<Bad[]> {
  const stored = await store.snapshot();
  if (!stored) return [];
  const r = await loadChain(store, params, { now, verifier, snapshot: false, finalKey: stored.final.key, yieldEvery: 50 });
  const bad: Bad[] = r.bad.map((b) => ({ key: b.key, height: b.height, code: b.code }));
  const final = r.chain?.get(stored.final.key);
  const same = r.chain && final && r.chain.finalized === final && bytesEqual(encodeSnapshot(r.chain.snapshot()), stored.bytes);
  if (!same && bad.length === 0) {
    bad.push({ key: stored.final.key, height: stored.final.height, code: 'SNAPSHOT_MISMATCH' });
    await store.deleteSnapshot();
  }
  return bad;
}
