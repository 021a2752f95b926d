/**
 * The driver's side of preparing fetched blocks (issue 7): blocks the mesh
 * holds back go to `prepare` in batches, at most two batches at once;
 * blocks arriving meanwhile wait and go together in the next batch (a node
 * catching up prepares many blocks per call, not one); each block is
 * prepared once and joins the chain only after its batch settled. The
 * drivers and the hub run on one virtual clock (issue 14).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Block } from '../../../../src/lib/core/block';
import { MeshDriver } from '../../../../src/lib/adapters/net/mesh-driver';
import { type MemoryHub, MemoryTransport } from '../../../../src/lib/adapters/net/memory-transport';
import { toHex } from '../../../../src/lib/core/bytes';
import { blockHash } from '../../../../src/lib/core/block';
import { MeshNode } from '../../../../src/lib/core/net/mesh';
import { NodeRole } from '../../../../src/lib/core/net/messages';
import { TEST_PARAMS } from '../../../../src/lib/core/params';
import { NOW, addOk, makeKeys, newChain } from '../../core/helpers';
import { GENESIS, baseBlocks } from '../../core/net/fixtures';
import { VirtualClock } from '../../virtual-clock';

let clock: VirtualClock;
const stops: (() => void)[] = [];
beforeEach(() => {
  clock = new VirtualClock(NOW * 1000);
});
afterEach(() => stops.splice(0).forEach((s) => s()));

function driver(hub: MemoryHub, seed: string, blocks: number, prepare?: (b: readonly Block[]) => Promise<void>): MeshDriver {
  const [key] = makeKeys(seed, 1);
  const chain = newChain(TEST_PARAMS, GENESIS);
  for (const b of baseBlocks(blocks)) addOk(chain, b);
  const mesh = new MeshNode({ chain, nodeId: key!.pub, role: NodeRole.Member, prepareBlocks: prepare !== undefined });
  const d = new MeshDriver({
    mesh,
    transport: new MemoryTransport(hub, toHex(key!.pub)),
    role: NodeRole.Member,
    now: clock.now,
    timers: clock.scope(),
    tickMs: 50,
    prepare,
  });
  d.start();
  stops.push(() => d.stop());
  return d;
}

describe('MeshDriver preparing blocks', () => {
  it('at most two batches at once; blocks arriving meanwhile go together in the next; each block once, joined after its batch', async () => {
    const hub = clock.hub();
    driver(hub, 'prep/serving', 200);
    const batches: string[][] = [];
    const gates: (() => void)[] = [];
    let open = false;
    const late = driver(hub, 'prep/late', 0, (blocks) => {
      batches.push(blocks.map((b) => toHex(blockHash(b))));
      return open ? Promise.resolve() : new Promise<void>((r) => gates.push(r));
    });
    await clock.runUntil(() => late.mesh.blocksFetched >= 100, 5000, '100 blocks fetched');
    // Two batches wait on their gates; nothing joined the chain yet.
    expect(batches.length).toBe(2);
    expect(late.mesh.chain.height).toBe(0);
    open = true;
    for (const g of gates.splice(0)) g();
    await clock.runUntil(() => late.mesh.chain.height === 200, 5000, 'all 200 blocks joined');
    const all = batches.flat();
    expect(all.length).toBe(200);
    expect(new Set(all).size).toBe(200);
    // The third batch carried everything that arrived while the first two were held.
    expect(batches[2]!.length).toBeGreaterThan(50);
  });

  it('a prepare that throws or rejects still releases its blocks to the chain', async () => {
    const hub = clock.hub();
    driver(hub, 'prep/serving-2', 30);
    let calls = 0;
    const late = driver(hub, 'prep/late-2', 0, () => {
      if (calls++ % 2 === 0) throw new Error('sync failure');
      return Promise.reject(new Error('async failure'));
    });
    await clock.runUntil(() => late.mesh.chain.height === 30, 5000, 'all 30 blocks joined');
    expect(calls).toBeGreaterThan(0);
    expect(late.stats.errors).toBe(0);
  });
});
