/**
 * Opening a store into the core's {@link ChainState} (SPEC §5: every node
 * validates what it loads; a changed byte is detected, named and repaired
 * from peers). Two modes:
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
import type { Block } from '../../core/block';
import { ChainState, type ChainStateOptions } from '../../core/chain';
import { hexToBytes, toHex } from '../../core/bytes';
import { DecodeError, RuleError } from '../../core/errors';
import type { ChainParams } from '../../core/params';
import { nobleVerifier, type SignatureVerifier } from '../../core/signature';
import { decodeTx, signingNetwork, txId, txSigningMessage } from '../../core/tx';
import type { SignatureItem } from '../webcrypto-ed25519';
import { type BadBlock, checkStoredBlock } from './check';
import { startFromSnapshot } from './load-snapshot';
import { startMark } from './marks';
import type { BlockMarker, ChainStore } from './types';

export type LoadMode = 'fast' | 'full';

/** A verifier that can check a batch ahead of the core's synchronous calls (see webcrypto-ed25519.ts). */
export type LoadVerifier = SignatureVerifier & { prime?(items: readonly SignatureItem[]): Promise<void> };

export interface LoadOptions extends Omit<ChainStateOptions, 'verifier'> {
  /** The node's clock, seconds. */
  readonly now: number;
  readonly mode?: LoadMode;
  /** The verifier the loaded chain keeps for new blocks (noble by default). */
  readonly verifier?: LoadVerifier;
  /** Whether a fast load may start from the stored snapshot (default true; a full check never does). */
  readonly snapshot?: boolean;
  /** Marks this block final instead of the stored final marker (the background check compares the snapshot's state). */
  readonly finalKey?: string;
  /** Gives the page a turn after every this many blocks (a load in the background). */
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
  /** Height of the snapshot the chain started from, or why none was used. */
  readonly snapshot: { readonly height: number } | { readonly ignored: string };
}

/** Loads and checks a store. */
export async function loadChain(store: ChainStore, params: ChainParams, options: LoadOptions): Promise<LoadReport> {
  const mode = options.mode ?? 'fast';
  const real = options.verifier ?? nobleVerifier;
  // Signatures are skipped (fast) only while loading; the chain keeps checking every new block.
  const gate = { trust: mode === 'fast' };
  const verifier: SignatureVerifier = { verify: (s, m, p) => gate.trust || real.verify(s, m, p) };
  const empty = { ok: false, mode, chain: null, bad: [], detached: [], refetch: [], storedTip: null, pendingRestored: 0, pendingDropped: [], snapshot: { ignored: 'no chain' } };
  const network = await store.network();
  if (!network) return { ...empty, status: 'no-network', ok: (await store.blockCount()) === 0 };
  if (network.networkId !== params.id) return { ...empty, status: 'wrong-network' };

  startMark('load:network');
  const all = await store.blocks();
  startMark('load:blocks-read');
  const storedTip = await store.tip();
  const storedFinal = await store.final();
  const final = options.finalKey ? { key: options.finalKey, height: -1 } : storedFinal;
  const useSnapshot = mode === 'fast' && options.snapshot !== false;
  const storedSnapshot = useSnapshot ? await store.snapshot() : null;
  startMark('load:snapshot-read');
  const fromSnapshot = useSnapshot
    ? startFromSnapshot(storedSnapshot, storedFinal, network.genesisKey, all, params, options.now, { ...options, verifier })
    : { ok: false as const, why: 'not asked' };
  startMark('load:snapshot-started');
  const entries = fromSnapshot.ok ? fromSnapshot.rest : all;
  const bad: BadBlock[] = fromSnapshot.ok ? [...fromSnapshot.bad] : [];
  const detached: string[] = [];
  const sound = new Map<string, Block>();
  for (const e of entries) {
    const r = checkStoredBlock(e);
    if (r.ok) sound.set(e.key, r.block);
    else bad.push(r.bad);
  }
  const missing = (key: string, height: number | null, what: string) => {
    if (!bad.some((b) => b.key === key)) bad.push({ key, height, code: 'MISSING_BLOCK', message: `block ${height ?? '?'} ${key}: ${what} is not stored (MISSING_BLOCK)` });
  };

  let chain: ChainState | null = fromSnapshot.ok ? fromSnapshot.chain : null;
  const genesis = sound.get(network.genesisKey);
  if (chain) {
    // Started from the snapshot: genesis and the blocks to its final one are in the chain already.
  } else if (!genesis) {
    if (!entries.some((e) => e.key === network.genesisKey)) missing(network.genesisKey, 0, 'the genesis block');
  } else {
    try {
      await prime(real, mode, genesis, hexToBytes(network.genesisKey));
      chain = new ChainState(params, genesis, options.now, { ...options, verifier });
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
      if (!sound.has(parentKey) && !bad.some((b) => b.key === parentKey)) missing(parentKey, block.header.height - 1, 'its parent');
      continue;
    }
    await prime(real, mode, block, hexToBytes(network.genesisKey));
    if (options.yieldEvery && chain.blockCount % options.yieldEvery === 0) await new Promise((resolve) => setTimeout(resolve, 0));
    const r = chain.addBlock(block, options.now);
    if (r.status === 'invalid') bad.push({ key, height: block.header.height, code: r.error.code, message: `block ${block.header.height} ${key}: ${r.error.message}` });
  }
  gate.trust = false;
  startMark('load:replayed');

  if (storedTip && !chain?.get(storedTip.key) && !sound.has(storedTip.key) && !bad.some((b) => b.key === storedTip.key)) missing(storedTip.key, storedTip.height, 'the tip');
  if (chain && final) {
    const node = chain.get(final.key);
    if (node && chain.ancestor(node, chain.finalized.height) === chain.finalized) chain.markFinal(final.key);
    // The stored final block must be the snapshot's or descend from it: otherwise the snapshot is not of this store's chain.
    else if (fromSnapshot.ok) return loadChain(store, params, { ...options, snapshot: false });
  }
  const { restored, dropped } = chain ? await restorePending(store, chain, options.now) : { restored: 0, dropped: [] };
  if (chain) for (const o of await store.orphans()) chain.addBlockBytes(o.bytes, options.now);
  startMark('load:done');
  return {
    status: 'loaded',
    ok: bad.length === 0 && detached.length === 0 && chain !== null,
    mode,
    chain,
    bad,
    detached,
    refetch: bad.map((b) => b.key),
    storedTip,
    pendingRestored: restored,
    pendingDropped: dropped,
    snapshot: fromSnapshot.ok ? { height: fromSnapshot.height } : { ignored: fromSnapshot.why },
  };
}

/** In a full check, verifies a block's transaction signatures (for the network of genesis hash `genesis`) in one batch ahead of the core. */
async function prime(verifier: LoadVerifier, mode: LoadMode, block: Block, genesis: Uint8Array): Promise<void> {
  if (mode !== 'full' || !verifier.prime) return;
  const network = signingNetwork(genesis, block.header.height);
  await verifier.prime(block.txs.map((tx) => ({ signature: tx.signature, message: txSigningMessage(network, txId(tx)), publicKey: tx.author })));
}

/** Puts stored pending transactions back in the pool; those that no longer apply are reported. */
async function restorePending(store: ChainStore, chain: ChainState, now: number): Promise<{ restored: number; dropped: string[] }> {
  let restored = 0;
  const dropped: string[] = [];
  for (const p of await store.pending()) {
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
