import { describe, expect, it } from 'vitest';
import { toHex } from '../../../../src/lib/core/bytes';
import { HeaderIndex } from '../../../../src/lib/core/net/headers';
import { headersAfter, locatorHeights } from '../../../../src/lib/core/net/locator';
import { TEST_PARAMS } from '../../../../src/lib/core/params';
import { MINER_B, addOk, keyOf, extend, mutate, newChain, withHighHash } from '../helpers';
import { GENESIS, baseBlocks } from './fixtures';

describe('block locators', () => {
  it('ten recent heights, then exponentially spaced ones, always ending at genesis', () => {
    expect(locatorHeights(0)).toEqual([0]);
    expect(locatorHeights(5)).toEqual([5, 4, 3, 2, 1, 0]);
    expect(locatorHeights(100)).toEqual([100, 99, 98, 97, 96, 95, 94, 93, 92, 91, 89, 85, 77, 61, 29, 0]);
    const big = locatorHeights(0xffffffff);
    expect(big.length).toBeLessThanOrEqual(64);
    expect(big[big.length - 1]).toBe(0);
  });

  it('a peer answers from the first locator hash on its active chain, so a fork point is found in one round trip', () => {
    const blocks = baseBlocks(40);
    const server = newChain(TEST_PARAMS, GENESIS);
    for (const b of blocks) addOk(server, b);
    // The asker followed the chain to 30, then a branch of its own for 3 blocks.
    const asker = newChain(TEST_PARAMS, GENESIS);
    for (const b of blocks.slice(0, 30)) addOk(asker, b);
    for (let i = 0; i < 3; i++) addOk(asker, extend(asker, asker.tip, { miner: MINER_B }));
    const loc = new HeaderIndex(asker, 100).locator();
    const headers = headersAfter(server, loc, '', 500);
    expect(headers.map((h) => h.height)).toEqual(Array.from({ length: 10 }, (_, i) => 31 + i));
    expect(headersAfter(server, loc, server.atHeight(33)!.key, 500).length).toBe(3);
    expect(headersAfter(server, [], '', 5).map((h) => h.height)).toEqual([1, 2, 3, 4, 5]);
  });

  it('a locator follows the best header branch when it has more work than the tip', () => {
    const blocks = baseBlocks(30);
    const chain = newChain(TEST_PARAMS, GENESIS);
    for (const b of blocks.slice(0, 10)) addOk(chain, b);
    const idx = new HeaderIndex(chain, 100);
    for (const b of blocks.slice(10)) expect(idx.add(b.header, 'p', 0)).toBe('added');
    const loc = idx.locator().map(toHex);
    // Heights 30..21, 19, 15, 7, 0: the first thirteen from headers, then the chain's.
    expect(loc.length).toBe(locatorHeights(30).length);
    expect(loc[0]).toBe(keyOf(blocks[29]!));
    expect(loc[11]).toBe(keyOf(blocks[14]!));
    expect(loc[12]).toBe(chain.atHeight(7)!.key);
    expect(loc[13]).toBe(chain.genesis.key);
  });
});

describe('header index', () => {
  const blocks = baseBlocks(6);

  it('takes a header only with a known parent, the next height and proof of work; is bounded', () => {
    const chain = newChain(TEST_PARAMS, GENESIS);
    addOk(chain, blocks[0]!);
    const idx = new HeaderIndex(chain, 3);
    expect(idx.add(blocks[0]!.header, 'p', 0)).toBe('known');
    expect(idx.add(blocks[2]!.header, 'p', 0)).toBe('unlinked');
    expect(idx.add(withHighHash(blocks[1]!).header, 'p', 0)).toBe('invalid');
    expect(idx.add(mutate(blocks[1]!, { header: { height: 7 }, remine: true }).header, 'p', 0)).toBe('invalid');
    expect(idx.add(mutate(blocks[1]!, { header: { bits: 0x2100ffff }, remine: false }).header, 'p', 0)).toBe('invalid');
    // Valid proof of work at bits the retarget rule does not give (harder than required).
    expect(idx.add(mutate(blocks[1]!, { header: { bits: 0x1f7fffff }, remine: true }).header, 'p', 0)).toBe('invalid');
    for (const b of blocks.slice(1, 4)) expect(idx.add(b.header, 'p', 0)).toBe('added');
    expect(idx.add(blocks[4]!.header, 'p', 0)).toBe('full');
    expect(idx.best()!.key).toBe(toHex(blocks[4]!.header.prevHash));
    expect(idx.best()!.work).toBeGreaterThan(chain.tip.chainWork);
  });

  it('tracks which peers have a block, forgets a branch, and prunes what no peer has', () => {
    const chain = newChain(TEST_PARAMS, GENESIS);
    const idx = new HeaderIndex(chain, 100);
    for (const b of blocks) idx.add(b.header, 'a', 0);
    const top = idx.best()!;
    idx.markSource(top.key, 'b');
    expect([...idx.ascending()].every((e) => e.sources.has('b'))).toBe(true);
    const third = [...idx.ascending()][2]!;
    expect(idx.removeBranch(third.key).length).toBe(4);
    expect(idx.size).toBe(2);
    expect(idx.lowestHeight()).toBe(1);
    idx.dropSource('a');
    idx.prune(10, 100);
    expect(idx.size).toBe(2); // b still has them
    idx.dropSource('b');
    idx.prune(200, 100);
    expect(idx.size).toBe(0);
  });
});
