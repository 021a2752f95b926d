/**
 * A follower tab (src/lib/node/follower.ts) reads the shared store until it
 * holds the tip the writer announced: a read that ran before the writer's
 * commit landed, or that failed, is tried again on the follower's timer, and
 * never once the announced tip is held. Before this, one such read left the
 * tab behind until the writer's next block (seen in CI under load:
 * node.spec's "two tabs of one profile").
 */
import { describe, expect, it } from 'vitest';
import { encodeBlock } from '../../../src/lib/core/block';
import type { ChainState } from '../../../src/lib/core/chain';
import { acceptedBatch } from '../../../src/lib/adapters/store/batch';
import { MemoryChainStore, MemoryStoreData } from '../../../src/lib/adapters/store/memory';
import type { ChainStore } from '../../../src/lib/adapters/store/types';
import type { Timers } from '../../../src/lib/adapters/timers';
import { Follower, RETRIES, RETRY_MS } from '../../../src/lib/node/follower';
import { demoBlocks, suiteNow, writeChain } from '../../shared/store-suite';

/** Timers a test fires by hand: what is set, for how long. */
class HandTimers implements Timers {
  readonly set: { fn: () => void; ms: number }[] = [];
  setTimeout(fn: () => void, ms: number): unknown {
    const t = { fn, ms };
    this.set.push(t);
    return t;
  }
  clearTimeout(h: unknown): void {
    const i = this.set.indexOf(h as { fn: () => void; ms: number });
    if (i >= 0) this.set.splice(i, 1);
  }
  setInterval(): unknown {
    throw new Error('the follower sets no intervals');
  }
  clearInterval(): void {}
  /** Runs every timer set so far; resolves once the reads they start are done. */
  async fire(follower: Follower): Promise<void> {
    for (const t of this.set.splice(0)) t.fn();
    await follower.refreshing();
  }
}

async function commitUpTo(store: ChainStore, chain: ChainState, upTo: number): Promise<void> {
  for (const b of demoBlocks().blocks.slice(chain.height + 1, upTo + 1)) {
    const bytes = encodeBlock(b);
    const r = chain.addBlockBytes(bytes, suiteNow());
    if (r.status !== 'accepted') throw new Error(`demo block ${b.header.height}: ${r.status}`);
    await store.commit(acceptedBatch(chain, r, bytes));
  }
}

const verifier = { verify: () => true };
const follow = (store: ChainStore, timers: Timers) => new Follower(store, demoBlocks().params, () => suiteNow() * 1000, verifier, timers);

describe('follower', () => {
  it('a read that ran before the announced block was stored is tried again until it holds that tip', async () => {
    const store = new MemoryChainStore(new MemoryStoreData());
    const writer = await writeChain(store, 5);
    const timers = new HandTimers();
    const f = follow(store, timers);
    const full = await writeChain(new MemoryChainStore(new MemoryStoreData()), 8);
    const announced = { key: full.atHeight(8)!.key, height: 8 };
    await f.refresh(announced);
    expect(f.current()!.height).toBe(5);
    expect(timers.set.map((t) => t.ms)).toEqual([RETRY_MS]);
    await timers.fire(f);
    expect(f.current()!.height).toBe(5);
    await commitUpTo(store, writer, 8);
    await timers.fire(f);
    expect(f.current()!.tip.key).toBe(announced.key);
    expect(timers.set).toEqual([]);
    expect(f.retries).toBe(2);
  });

  it('a failed read is tried again; a read that holds the announced tip sets no timer', async () => {
    const data = new MemoryStoreData();
    const inner = new MemoryChainStore(data);
    const writer = await writeChain(inner, 6);
    let failing = 2;
    const flaky: ChainStore = new Proxy(inner, {
      get(target, prop, receiver) {
        if (prop === 'tip' && failing > 0) return () => (failing--, Promise.reject(new Error('store closing')));
        const v = Reflect.get(target, prop, receiver) as unknown;
        return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
      },
    });
    const timers = new HandTimers();
    const f = follow(flaky, timers);
    const tip = { key: writer.tip.key, height: 6 };
    await f.refresh(tip);
    expect([f.current(), f.failures, timers.set.length]).toEqual([null, 1, 1]);
    await timers.fire(f);
    await timers.fire(f);
    expect(f.current()!.tip.key).toBe(tip.key);
    expect(f.failures).toBe(2);
    expect(timers.set).toEqual([]);
    await f.refresh(tip);
    expect(timers.set).toEqual([]);
  });

  it('gives up after its retries until the next announcement, and a closed follower sets nothing', async () => {
    const store = new MemoryChainStore(new MemoryStoreData());
    await writeChain(store, 3);
    const timers = new HandTimers();
    const f = follow(store, timers);
    const full = await writeChain(new MemoryChainStore(new MemoryStoreData()), 8);
    await f.refresh({ key: full.atHeight(8)!.key, height: 8 });
    for (let i = 0; i < RETRIES + 5; i++) await timers.fire(f);
    expect(f.retries).toBe(RETRIES);
    expect(timers.set).toEqual([]);
    await f.refresh({ key: full.atHeight(7)!.key, height: 7 });
    expect(timers.set.length).toBe(1);
    f.close();
    expect(timers.set).toEqual([]);
  });
});
