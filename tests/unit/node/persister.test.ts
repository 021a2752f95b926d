/**
 * The persister's batching (issue 7, SPEC §5 storage): flushes asked for
 * while a commit is being written share the next commit, which carries
 * every block accepted by then and the tip pointing to the last of them
 * (one strict-durability transaction), so a syncing node writes thousands
 * of blocks in a few transactions and the store's tip is always one whose
 * blocks are all stored. The store answers through promises only, so a
 * test lets them settle (one turn of the event loop), never a timer.
 */
import { describe, expect, it } from 'vitest';
import { initStore } from '../../../src/lib/adapters/store/batch';
import { encodeBlock } from '../../../src/lib/core/block';
import { MemoryChainStore, MemoryStoreData } from '../../../src/lib/adapters/store/memory';
import type { StoreBatch } from '../../../src/lib/adapters/store/types';
import { Persister } from '../../../src/lib/node/persister';
import { addOk, extend, newChain } from '../core/helpers';
import { settled } from '../virtual-clock';

/** A memory store whose commits wait until released, recording each batch (and failing when told). */
class GatedStore extends MemoryChainStore {
  readonly batches: StoreBatch[] = [];
  private gates: (() => void)[] = [];
  gated = false;
  failNext = false;

  override async commit(batch: StoreBatch): Promise<void> {
    this.batches.push(batch);
    if (this.gated) await new Promise<void>((r) => this.gates.push(r));
    if (this.failNext) {
      this.failNext = false;
      throw new Error('quota');
    }
    return super.commit(batch);
  }

  release(): void {
    for (const g of this.gates.splice(0)) g();
  }
}

async function setup() {
  const chain = newChain();
  const store = new GatedStore(new MemoryStoreData());
  expect(await initStore(store, chain)).toBe(true);
  store.batches.length = 0;
  const persister = new Persister(store, chain, [chain.genesis.key], []);
  /** Mines, adds and reports one block as the node does after each event: accepted, then flush. */
  const step = () => {
    const node = addOk(chain, extend(chain, chain.tip));
    persister.accepted(node);
    return persister.flush();
  };
  return { chain, store, persister, step };
}

describe('persister batching', () => {
  it('blocks accepted while a commit is being written go in ONE next commit, with the tip of the last', async () => {
    const { chain, store, step } = await setup();
    store.gated = true;
    const first = step();
    await settled();
    const rest = Array.from({ length: 9 }, () => step());
    await settled();
    expect(store.batches.length).toBe(1); // the other nine wait for the first commit
    store.release();
    await first;
    await settled();
    store.release();
    await Promise.all(rest);
    expect(store.batches.length).toBe(2);
    const [a, b] = store.batches as [StoreBatch, StoreBatch];
    expect(a.blocks!.map((x) => x.height)).toEqual([1]);
    expect(a.tip!.height).toBe(1);
    expect(b.blocks!.map((x) => x.height)).toEqual([2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(b.tip).toEqual({ key: chain.tip.key, height: 10 });
    // What is on disk: the tip and every block below it.
    const tip = (await store.tip())!;
    expect(tip.height).toBe(10);
    for (let h = 1; h <= 10; h++) expect(await store.keysAtHeight(h)).toEqual([chain.atHeight(h)!.key]);
  });

  it('every flush resolves only once what it asked for is on disk', async () => {
    const { chain, store, step } = await setup();
    store.gated = true;
    let done = 0;
    void step().then(() => done++);
    await settled();
    void step().then(() => done++);
    await settled();
    expect(done).toBe(0);
    store.release();
    await settled();
    await settled();
    expect(done).toBe(1); // the second flush's block is in the commit now being written
    expect((await store.tip())!.height).toBe(1);
    store.release();
    await settled();
    await settled();
    expect(done).toBe(2);
    expect((await store.tip())!.key).toBe(chain.tip.key);
  });

  it('a block accepted with its bytes as received is stored with exactly those bytes; one without, with its encoding', async () => {
    const { chain, store, persister } = await setup();
    const a = addOk(chain, extend(chain, chain.tip));
    const wire = encodeBlock(a.block).slice();
    persister.accepted(a, wire);
    const b = addOk(chain, extend(chain, chain.tip));
    persister.accepted(b);
    await persister.flush();
    const [stored] = store.batches as [StoreBatch];
    expect(stored.blocks!.map((x) => x.key)).toEqual([a.key, b.key]);
    // The very bytes received (not encoded again), and the block's encoding either way.
    expect(stored.blocks![0]!.bytes).toBe(wire);
    expect(stored.blocks![0]!.bytes).toEqual(encodeBlock(a.block));
    expect(stored.blocks![1]!.bytes).toEqual(encodeBlock(b.block));
  });

  it('a failed commit is counted and its blocks are written by the next flush', async () => {
    const { chain, store, persister, step } = await setup();
    store.failNext = true;
    await step();
    expect(persister.failures).toBe(1);
    expect(await store.tip()).toEqual({ key: chain.genesis.key, height: 0 });
    await step();
    expect(store.batches.at(-1)!.blocks!.map((x) => x.height)).toEqual([1, 2]);
    expect((await store.tip())!.height).toBe(2);
  });
});
