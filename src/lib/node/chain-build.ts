/**
 * Building the core's {@link ChainState} from a store's records (SPEC §5:
 * every node validates what it loads; a changed byte is detected, named and
 * repaired from peers). The store only hands back records
 * (adapters/store/read.ts); this is the one place they become a chain.
 * Two modes:
 *
 * - `fast` (every start): each stored block passes {@link checkStoredBlock}
 *   (key, height, root, digest) and joins the chain through the core's
 *   stages with signatures taken as already checked — they were, before the
 *   block was stored, and the digest proves the bytes are those bytes.
 * - `full` (on demand): the same, and every signature is verified again
 *   (WebCrypto in batches when the given verifier can be primed).
 *
 * Never throws on damaged data: a block that fails is reported as a
 * {@link BadBlock} (hash, height, code) and listed in `refetch`; its
 * descendants are set aside as `detached` until it is repaired
 * ({@link repairBlock}) and the store is loaded again. Only genuine misuse
 * (our bugs) throws.
 */
import type { Block } from '../core/block';
import { hexToBytes, toHex } from '../core/bytes';
import { ChainState, type ChainStateOptions } from '../core/chain';
import { DecodeError, RuleError } from '../core/errors';
import type { ChainParams } from '../core/params';
import { ledgerRules } from '../core/rules';
import { nobleVerifier, type SignatureVerifier } from '../core/signature';
import { decodeTx, signingNetwork, txId, txSigningMessage } from '../core/tx';
import { startMark } from '../adapters/store/marks';
import { type ChainRecords, readChainRecords } from '../adapters/store/read';
import type { BlockMarker, ChainStore, NetworkMeta, PendingRecord, StoredEntry } from '../adapters/store/types';
import type { SignatureItem } from '../adapters/webcrypto-ed25519';
import { startFromSnapshot } from './snapshot-start';
import { type BadBlock, checkStoredBlock } from './stored-block';

export type LoadMode = 'fast' | 'full';

/** A verifier that can check a batch ahead of the core's synchronous calls (see webcrypto-ed25519.ts). */
export type LoadVerifier = SignatureVerifier & { prime?(items: readonly SignatureItem[]): Promise<void> };

/** The chain is built under the network's rules: the medical ledger ({@link ledgerRules}). */
export interface LoadOptions extends Omit<ChainStateOptions, 'verifier' | 'rules'> {
  /** The node's clock, seconds. */
  readonly now: number;
  readonly mode?: LoadMode;
  /** The verifier the built chain keeps for new blocks (noble by default). */
  readonly verifier?: LoadVerifier;
  /** Whether a fast build may start from the stored snapshot (default true; a full check never does). */
  readonly snapshot?: boolean;
  /** Marks this block final instead of the stored final marker (the deferred check compares the snapshot's state). */
  readonly finalKey?: string;
  /** Gives the page a turn after every this many blocks (a build in the background). */
  readonly yieldEvery?: number;
}

export interface LoadReport {
  /** `no-network`: the store is not bound to a network (empty); `wrong-network`: bound to another one. */
  readonly status: 'loaded' | 'no-network' | 'wrong-network';
  /** True when every stored block checked out and joined the chain. */
  readonly ok: boolean;
  readonly mode: LoadMode;
  /** Null unless a valid genesis block was loaded. */
  readonly chain: ChainState | null;
  /** Blocks that failed (or are referred to and missing), named. */
  readonly bad: readonly BadBlock[];
  /** Sound blocks cut off behind a bad or missing one. */
  readonly detached: readonly string[];
  /** Hex hashes to fetch again from peers. */
  readonly refetch: readonly string[];
  readonly storedTip: BlockMarker | null;
  /** Pending transactions restored to the pool, and the keys of those that no longer apply. */
  readonly pendingRestored: number;
  readonly pendingDropped: readonly string[];
  /** Transactions of stored side-branch blocks put back in the pool (step 5). */
  readonly sideBranchReturned: number;
  /** Height of the snapshot the chain started from, or why none was used. */
  readonly snapshot: { readonly height: number } | { readonly ignored: string };
}

/** Reads a store and builds its chain (the follower's read, the full check, the deferred check). */
export async function loadChain(store: ChainStore, params: ChainParams, options: LoadOptions): Promise<LoadReport> {
  const mode = options.mode ?? 'fast';
  const empty = {
    ok: false,
    mode,
    chain: null,
    bad: [],
    detached: [],
    refetch: [],
    storedTip: null,
    pendingRestored: 0,
    pendingDropped: [],
    sideBranchReturned: 0,
    snapshot: { ignored: 'no chain' },
  };
  const network = await store.network();
  if (!network) return { ...empty, status: 'no-network', ok: (await store.blockCount()) === 0 };
  if (network.networkId !== params.id) return { ...empty, status: 'wrong-network' };
  startMark('load:network');
  return buildChain(network, await readChainRecords(store, usesSnapshot(options)), params, options);
}

/** Whether a build with these options may start from the snapshot (so whether to read it). */
export const usesSnapshot = (options: LoadOptions): boolean => (options.mode ?? 'fast') === 'fast' && options.snapshot !== false;

/** The state of one build: its options resolved, and the verifier gate it shares with the chain. */
interface Build {
  readonly network: NetworkMeta;
  readonly records: ChainRecords;
  readonly params: ChainParams;
  readonly options: LoadOptions;
  readonly mode: LoadMode;
  /** The verifier of full checks, and the one the chain keeps afterwards. */
  readonly real: LoadVerifier;
  /** What the chain is given: trusts every signature while `gate.trust` (a fast build), then asks `real`. */
  readonly chainOptions: ChainStateOptions;
}

/** Builds the chain of a store bound to `network` from its records. */
export async function buildChain(network: NetworkMeta, records: ChainRecords, params: ChainParams, options: LoadOptions): Promise<LoadReport> {
  const mode = options.mode ?? 'fast';
  const real = options.verifier ?? nobleVerifier;
  // Signatures are skipped (fast) only while building; the chain keeps checking every new block.
  const gate = { trust: mode === 'fast' };
  const verifier: SignatureVerifier = { verify: (s, m, p) => gate.trust || real.verify(s, m, p) };
  const build: Build = { network, records, params, options, mode, real, chainOptions: { ...options, verifier, rules: ledgerRules } };

  // 1. The snapshot first, when there is one and it is valid: it restores the state at its final block,
  //    and only the blocks above it are replayed.
  const fromSnapshot = usesSnapshot(options)
    ? startFromSnapshot(records, network.genesisKey, params, options.now, build.chainOptions)
    : { ok: false as const, why: 'not asked' };
  startMark('load:snapshot-started');
  let snapshot: LoadReport['snapshot'] = fromSnapshot.ok ? { height: fromSnapshot.height } : { ignored: fromSnapshot.why };
  let built = fromSnapshot.ok ? await replay(build, fromSnapshot.chain, fromSnapshot.rest, [...fromSnapshot.bad]) : null;
  // 2. The stored final block must be the snapshot's or descend from it: otherwise the snapshot is not of
  //    this store's chain, and it is dropped for the full replay below (once: a replay never looks at it).
  if (built && !built.finalFits) {
    snapshot = { ignored: 'the stored final block is not on the snapshot’s chain' };
    built = null;
  }
  // 3. Else (no snapshot, a damaged or foreign one, or a full check): every block from genesis.
  built ??= await replay(build, null, records.blocks, []);
  gate.trust = false;
  startMark('load:replayed');

  // 4. The pool and the kept-aside blocks last, against the whole chain with its final block marked:
  //    a pending transaction is judged at the tip, an orphan may now join.
  const { chain, bad, detached } = built;
  const { restored, dropped } = chain ? restorePending(records.pending, chain, options.now) : { restored: 0, dropped: [] };
  // 5. Transactions of stored blocks that lost the fork choice: back to the pool, as a reorg does live.
  const returned = chain ? returnSideBranchTxs(records.blocks, chain, options.now) : 0;
  if (chain) for (const o of records.orphans) chain.addBlockBytes(o.bytes, options.now);
  startMark('load:done');
  return {
    status: 'loaded',
    ok: bad.length === 0 && detached.length === 0 && chain !== null,
    mode,
    chain,
    bad,
    detached,
    refetch: bad.map((b) => b.key),
    storedTip: records.tip,
    pendingRestored: restored,
    pendingDropped: dropped,
    sideBranchReturned: returned,
    snapshot,
  };
}

interface Replayed {
  readonly chain: ChainState | null;
  readonly bad: BadBlock[];
  readonly detached: string[];
  /** False when a final block was named and the chain cannot take it as final (not on the final block's branch). */
  readonly finalFits: boolean;
}

/**
 * Checks `entries` and adds the sound ones to `start` (a chain restored from
 * the snapshot), or to a chain made from the stored genesis block when
 * `start` is null; then marks the final block.
 */
async function replay(b: Build, start: ChainState | null, entries: readonly StoredEntry[], bad: BadBlock[]): Promise<Replayed> {
  const { network, records, options } = b;
  const genesisHash = hexToBytes(network.genesisKey);
  const detached: string[] = [];
  const sound = new Map<string, Block>();
  for (const e of entries) {
    const r = checkStoredBlock(e);
    if (r.ok) sound.set(e.key, r.block);
    else bad.push(r.bad);
  }
  const missing = (key: string, height: number | null, what: string) => {
    if (!bad.some((x) => x.key === key))
      bad.push({ key, height, code: 'MISSING_BLOCK', message: `block ${height ?? '?'} ${key}: ${what} is not stored (MISSING_BLOCK)` });
  };

  let chain = start;
  const genesis = sound.get(network.genesisKey);
  if (chain) {
    // Started from the snapshot: genesis and the blocks to its final one are in the chain already.
  } else if (!genesis) {
    if (!entries.some((e) => e.key === network.genesisKey)) missing(network.genesisKey, 0, 'the genesis block');
  } else {
    try {
      await prime(b, genesis, genesisHash);
      chain = new ChainState(b.params, genesis, options.now, b.chainOptions);
    } catch (e) {
      if (!(e instanceof RuleError)) throw e;
      bad.push({ key: network.genesisKey, height: 0, code: e.code, message: `block 0 ${network.genesisKey}: ${e.message}` });
    }
  }

  for (const [key, block] of sound) {
    if (key === network.genesisKey) continue;
    const parentKey = toHex(block.header.prevHash);
    if (!chain || !chain.get(parentKey)) {
      detached.push(key);
      if (!sound.has(parentKey) && !bad.some((x) => x.key === parentKey)) missing(parentKey, block.header.height - 1, 'its parent');
      continue;
    }
    await prime(b, block, genesisHash);
    if (options.yieldEvery && chain.blockCount % options.yieldEvery === 0) await new Promise((resolve) => setTimeout(resolve, 0));
    const r = chain.addBlock(block, options.now);
    if (r.status === 'invalid')
      bad.push({ key, height: block.header.height, code: r.error.code, message: `block ${block.header.height} ${key}: ${r.error.message}` });
  }

  const tip = records.tip;
  if (tip && !chain?.get(tip.key) && !sound.has(tip.key) && !bad.some((x) => x.key === tip.key)) missing(tip.key, tip.height, 'the tip');
  const finalKey = options.finalKey ?? records.final?.key;
  let finalFits = true;
  if (chain && finalKey) {
    const node = chain.get(finalKey);
    if (node && chain.ancestor(node, chain.finalized.height) === chain.finalized) chain.markFinal(finalKey);
    else finalFits = false;
  }
  return { chain, bad, detached, finalFits };
}

/** In a full check, verifies a block's transaction signatures (for the network of genesis hash `genesis`) in one batch ahead of the core. */
async function prime(b: Build, block: Block, genesis: Uint8Array): Promise<void> {
  if (b.mode !== 'full' || !b.real.prime) return;
  const network = signingNetwork(genesis, block.header.height);
  await b.real.prime(block.txs.map((tx) => ({ signature: tx.signature, message: txSigningMessage(network, txId(tx)), publicKey: tx.author })));
}

/** Puts stored pending transactions back in the pool; those that no longer apply are reported. */
function restorePending(pending: readonly PendingRecord[], chain: ChainState, now: number): { restored: number; dropped: string[] } {
  let restored = 0;
  const dropped: string[] = [];
  for (const p of pending) {
    try {
      const r = chain.addPendingTx(decodeTx(p.bytes), now);
      if (r.status === 'added' || r.status === 'duplicate') restored++;
      else dropped.push(p.key);
    } catch (e) {
      if (!(e instanceof DecodeError)) throw e;
      dropped.push(p.key);
    }
  }
  return { restored, dropped };
}

/**
 * Puts back in the pool the transactions of stored blocks that are not on
 * the chain this build chose (a dead branch below the final block too: its
 * writes may still apply; those already on the chain are skipped). The running node had them
 * on its active branch (so their pending records were deleted) but a reload
 * may choose the other branch: the fork choice weighs approvals only the
 * running node had (core/chain/fork-choice.ts). A live reorg returns such
 * transactions to the pool; without this, a write whose block lost the fork
 * choice across a restart was in no pool and on no chain: lost (simulator
 * seed 5000005). Those that no longer apply are refused by the pool's rules.
 */
function returnSideBranchTxs(blocks: readonly StoredEntry[], chain: ChainState, now: number): number {
  let returned = 0;
  for (const entry of blocks) {
    const node = chain.get(entry.key);
    if (!node || chain.atHeight(node.height) === node) continue;
    for (const tx of node.block.txs) {
      const key = toHex(txId(tx));
      if (chain.txHeight(key) !== undefined || chain.pending.has(key)) continue;
      if (chain.addPendingTx(tx, now).status === 'added') returned++;
    }
  }
  return returned;
}
