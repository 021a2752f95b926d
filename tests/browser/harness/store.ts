/**
 * Harness page for the IndexedDB store: runs the shared suite's cases, and
 * the pieces of the crash and tamper tests that need a real page (a write
 * loop to kill, a load after reopening).
 */
import { encodeBlock } from '../../../src/lib/core/block';
import { ChainState } from '../../../src/lib/core/chain';
import { blockTemplate, mineBlock } from '../../../src/lib/core/template';
import { acceptedBatch, initStore } from '../../../src/lib/adapters/store/batch';
import { openIdbStore } from '../../../src/lib/adapters/store/idb';
import { loadChain } from '../../../src/lib/node/chain-build';
import { repairBlock } from '../../../src/lib/node/repair';
import { demoBlocks, storeCases, suiteNow, writeChain } from '../../shared/store-suite';
import { expose } from '../../../src/bench/expose';
import { idbFixture, rawUpdate } from './lib/idb-fixture';
import { ledgerRules } from '../../../src/lib/core/rules';

/** A clock far enough ahead for a long write loop of 5-second blocks. */
const loopNow = () => suiteNow() + 10_000_000;
const MINER = new Uint8Array(32).fill(7);
const progress = { written: 0, persisted: null as boolean | null };

async function runStoreCase(name: string): Promise<void> {
  const c = storeCases.find((x) => x.name === name);
  if (!c) throw new Error(`no store case "${name}"`);
  const { fixture, dispose } = await idbFixture('case');
  try {
    await c.run(fixture);
  } finally {
    await dispose();
  }
}

/** Writes the demo chain, then mines and commits one block after another until the page dies or `limit` is reached. */
async function writeLoop(dbName: string, limit: number): Promise<number> {
  const store = await openIdbStore(dbName);
  progress.persisted = store.persisted;
  const chain = await writeChain(store, 12);
  progress.written = chain.height;
  while (chain.height < limit) {
    const tip = chain.tip;
    const block = mineBlock(blockTemplate(chain, tip, [], tip.header.time + chain.params.targetSpacing, MINER));
    const bytes = encodeBlock(block);
    const r = chain.addBlockBytes(bytes, loopNow());
    if (r.status !== 'accepted') throw new Error(`own block ${r.status}`);
    await store.commit(acceptedBatch(chain, r, bytes));
    progress.written = chain.height;
  }
  store.close();
  return chain.height;
}

/** Opens a store and loads it; a summary the test can compare. */
async function openAndLoad(dbName: string, mode: 'fast' | 'full' = 'fast') {
  const store = await openIdbStore(dbName);
  const tip = await store.tip();
  const r = await loadChain(store, demoBlocks().params, { now: loopNow(), mode });
  store.close();
  return {
    ok: r.ok,
    height: r.chain?.height ?? null,
    tipKey: r.chain?.tip.key ?? null,
    storedTip: tip,
    bad: r.bad.map((b) => ({ key: b.key, height: b.height, code: b.code })),
    detached: r.detached.length,
    persisted: store.persisted,
  };
}

/** Flips one byte of a stored block's bytes through a raw connection. */
async function flipStoredByte(dbName: string, height: number, offset: number): Promise<string> {
  const store = await openIdbStore(dbName);
  const [key] = await store.keysAtHeight(height);
  store.close();
  await rawUpdate(dbName, key!, (v) => {
    (v.bytes as Uint8Array)[offset]! ^= 0x40;
    return v;
  });
  return key!;
}

/** Repairs the block at `height` with the bytes of the same block (what a peer would send), then loads again. */
async function repairFromDemo(dbName: string, height: number) {
  const store = await openIdbStore(dbName);
  const r = await loadChain(store, demoBlocks().params, { now: loopNow() });
  const block = demoBlocks().blocks[height]!;
  const bad = r.bad.find((b) => b.height === height);
  const result = bad ? await repairBlock(store, demoBlocks().params, bad.key, encodeBlock(block), { now: loopNow(), chain: r.chain }) : null;
  store.close();
  return result;
}

expose({
  caseNames: () => storeCases.map((c) => c.name),
  runStoreCase,
  writeLoop,
  progress: () => ({ ...progress }),
  openAndLoad,
  flipStoredByte,
  repairFromDemo,
  /** IndexedDB puts per second, one strict transaction per block (a figure, never asserted). */
  async measure(n: number) {
    const { fixture, dispose } = await idbFixture('measure');
    const store = await fixture.open();
    const { params, blocks } = demoBlocks();
    const chain = new ChainState(params, blocks[0]!, suiteNow(), { rules: ledgerRules });
    await initStore(store, chain);
    const record = (await store.block(chain.genesis.key))!.block!;
    const t0 = performance.now();
    for (let i = 0; i < n; i++) await store.commit({ blocks: [{ ...record, key: `k${i}` }], tip: { key: `k${i}`, height: i } });
    const perTx = n / ((performance.now() - t0) / 1000);
    const t1 = performance.now();
    await store.commit({ blocks: Array.from({ length: n }, (_, i) => ({ ...record, key: `m${i}` })) });
    const inOne = n / ((performance.now() - t1) / 1000);
    store.close();
    await dispose();
    return { strictPerTx: Math.round(perTx), inOneTx: Math.round(inOne) };
  },
});
