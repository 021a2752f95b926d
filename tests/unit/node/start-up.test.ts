/**
 * The node's start-up (issue 14; src/lib/node/start-up.ts) over the
 * in-memory store: binding an empty store, refusing another network's,
 * rewriting a damaged genesis record, starting from the snapshot (or
 * replaying once when the snapshot is not of the stored chain), and the
 * deferred check after a snapshot start.
 */
import { describe, expect, it } from 'vitest';
import { encodeBlock } from '../../../src/lib/core/block';
import { type BlockNode, ChainState } from '../../../src/lib/core/chain';
import { sha256 } from '../../../src/lib/core/hash';
import { encodeSnapshot } from '../../../src/lib/core/snapshot';
import { blockTemplate, mineBlock } from '../../../src/lib/core/template';
import { acceptedBatch, pendingRecord } from '../../../src/lib/adapters/store/batch';
import { MemoryChainStore, MemoryStoreData } from '../../../src/lib/adapters/store/memory';
import type { ChainStore } from '../../../src/lib/adapters/store/types';
import { loadChain } from '../../../src/lib/node/chain-build';
import { checkInBackground, startUp } from '../../../src/lib/node/start-up';
import { demoBlocks, suiteNow, writeChain } from '../../shared/store-suite';

const TOP = 12;
const params = () => demoBlocks().params;
const genesis = () => demoBlocks().blocks[0]!;
const verifier = { verify: () => true };
const start = (store: ChainStore) => startUp(store, params(), genesis(), suiteNow(), verifier);

/** A store holding the demo chain, final at `final`, with a snapshot of that final block. */
async function withSnapshot(data: MemoryStoreData, final: number): Promise<{ store: MemoryChainStore; chain: ChainState; bytes: Uint8Array }> {
  const store = new MemoryChainStore(data);
  const chain = await writeChain(store, TOP);
  const key = chain.atHeight(final)!.key;
  await store.commit({ final: { key, height: final } });
  chain.markFinal(key);
  const bytes = encodeSnapshot(chain.snapshot());
  await store.putSnapshot({ final: { key, height: final }, bytes });
  return { store, chain, bytes };
}

/** Mines `count` empty blocks on `chain` from `from` (another miner's: a rival branch) and stores them only as blocks; returns the last. */
async function storeRival(store: ChainStore, chain: ChainState, from: BlockNode, count: number): Promise<BlockNode> {
  let parent = from;
  for (let i = 0; i < count; i++) {
    const block = mineBlock(blockTemplate(chain, parent, [], parent.header.time + 1, new Uint8Array(32).fill(9)));
    const bytes = encodeBlock(block);
    const r = chain.addBlockBytes(bytes, suiteNow());
    if (r.status !== 'accepted') throw new Error(`rival block ${r.status}`);
    await store.commit({ blocks: acceptedBatch(chain, r, bytes).blocks });
    parent = r.node;
  }
  return parent;
}

describe('start-up', () => {
  it('binds an empty store to the network and writes its genesis block', async () => {
    const store = new MemoryChainStore(new MemoryStoreData());
    const s = await start(store);
    expect(s.chain.height).toBe(0);
    expect(await store.network()).toEqual({ networkId: params().id, genesisKey: s.chain.genesis.key });
    expect(await store.tip()).toEqual({ key: s.chain.genesis.key, height: 0 });
    expect([s.stored, s.bad, s.snapshotAt]).toEqual([[s.chain.genesis.key], [], -1]);
  });

  it('refuses a store of another network, by id or by genesis', async () => {
    const other = new MemoryChainStore(new MemoryStoreData());
    await other.setNetwork({ networkId: 'another', genesisKey: 'aa' });
    await expect(start(other)).rejects.toThrow(/another network/);
    const sameId = new MemoryChainStore(new MemoryStoreData());
    await sameId.setNetwork({ networkId: params().id, genesisKey: 'bb' });
    await expect(start(sameId)).rejects.toThrow(/another network/);
  });

  it('rewrites a damaged genesis record from the booted genesis, then builds the whole chain', async () => {
    const data = new MemoryStoreData();
    const written = await writeChain(new MemoryChainStore(data), TOP);
    data.blocks.set(written.genesis.key, { key: written.genesis.key, height: 'zero' });
    const store = new MemoryChainStore(data);
    const before = await loadChain(store, params(), { now: suiteNow() });
    expect(before.chain).toBeNull();
    const s = await start(store);
    expect(s.chain.tip.key).toBe(written.tip.key);
    expect(s.bad).toEqual([]);
    expect((await store.block(written.genesis.key))?.block?.bytes).toEqual(encodeBlock(genesis()));
  });

  it('starts from the snapshot: the persister learns the stored blocks and pending keys, and a check is deferred', async () => {
    const data = new MemoryStoreData();
    const { store, chain } = await withSnapshot(data, 8);
    const waiting = pendingRecord(demoBlocks().blocks[TOP]!.txs[0]!);
    await store.commit({ pendingPut: [waiting] });
    const s = await start(store);
    expect(s.snapshotAt).toBe(8);
    expect(s.report.snapshot).toEqual({ height: 8 });
    expect(s.chain.tip.key).toBe(chain.tip.key);
    expect(s.chain.finalized.key).toBe(chain.atHeight(8)!.key);
    expect([...s.stored].sort()).toEqual(
      chain
        .activeBlocks()
        .map((n) => n.key)
        .sort(),
    );
    expect(s.pending).toEqual([waiting.key]);
  });

  it('a snapshot whose final block the stored final block does not descend from is dropped for one full replay', async () => {
    const store = new MemoryChainStore(new MemoryStoreData());
    const chain = await writeChain(store, TOP);
    // A rival branch from block 6: blocks at heights 7 and 8 that do not descend from block 8.
    const parent = await storeRival(store, chain, chain.atHeight(6)!, 2);
    // The snapshot is of block 8 on the main branch; the stored final block is the rival block 8.
    chain.markFinal(chain.atHeight(8)!.key);
    await store.putSnapshot({ final: { key: chain.atHeight(8)!.key, height: 8 }, bytes: encodeSnapshot(chain.snapshot()) });
    await store.commit({ final: { key: parent.key, height: 8 } });
    const r = await loadChain(store, params(), { now: suiteNow() });
    expect(r.snapshot).toEqual({ ignored: 'the stored final block is not on the snapshot’s chain' });
    // The replay takes the stored final block as final: its branch is the chain.
    expect([r.ok, r.chain?.finalized.key, r.chain?.tip.key]).toEqual([true, parent.key, parent.key]);
    const s = await start(store);
    expect([s.snapshotAt, s.chain.finalized.key]).toEqual([-1, parent.key]);
  });

  it('the deferred check names a block whose digest was rewritten, and deletes a snapshot that differs from the replay', async () => {
    const data = new MemoryStoreData();
    const { store, chain, bytes } = await withSnapshot(data, 10);
    expect(await checkInBackground(store, params(), suiteNow(), verifier)).toEqual([]);
    // A transaction byte of block 3 changed with its digest rewritten: a snapshot start does not see it.
    const record = data.blocks.get(chain.atHeight(3)!.key) as { bytes: Uint8Array; digest: Uint8Array };
    const flip = () => ((record.bytes[121]! ^= 1), (record.digest = sha256(record.bytes)));
    flip();
    expect((await start(store)).bad).toEqual([]);
    expect(await checkInBackground(store, params(), suiteNow(), verifier)).toEqual([{ key: chain.atHeight(3)!.key, height: 3, code: 'BAD_TX_ROOT' }]);
    expect(await store.snapshot()).not.toBeNull();
    flip();
    const flipped = bytes.slice();
    flipped[200]! ^= 1;
    await store.putSnapshot({ final: { key: chain.atHeight(10)!.key, height: 10 }, bytes: flipped });
    expect(await checkInBackground(store, params(), suiteNow(), verifier)).toEqual([{ key: chain.atHeight(10)!.key, height: 10, code: 'SNAPSHOT_MISMATCH' }]);
    expect(await store.snapshot()).toBeNull();
  });
  it('the transactions of a stored block that loses the fork choice on reload go back to the pool (simulator seed 5000005)', async () => {
    // The running node had demo block 5 active (approvals weigh in its fork choice), so its transactions left
    // the stored pool; a rival branch of two empty blocks was stored beside it. A reload weighs work only and
    // picks the rival: block 5's transactions are then on no chain, and must be pending again.
    const store = new MemoryChainStore(new MemoryStoreData());
    const chain = await writeChain(store, 5);
    const side = chain.atHeight(5)!;
    expect(side.txKeys.length).toBeGreaterThan(0);
    const rival = await writeChain(new MemoryChainStore(new MemoryStoreData()), 4);
    const parent = await storeRival(store, rival, rival.atHeight(4)!, 2);
    expect(await store.pending()).toEqual([]);
    const r = await loadChain(store, params(), { now: suiteNow() });
    expect(r.chain!.tip.key).toBe(parent.key);
    expect(r.sideBranchReturned).toBe(side.txKeys.length);
    for (const key of side.txKeys) expect(r.chain!.pending.has(key), key).toBe(true);
    // With the rival made final, block 5's branch is dead; its writes still apply on the final chain, so they return too.
    await store.commit({ final: { key: parent.parent!.key, height: 5 } });
    const again = await loadChain(store, params(), { now: suiteNow() });
    expect(again.chain!.finalized.height).toBe(5);
    expect(again.sideBranchReturned).toBe(side.txKeys.length);
  });
});
