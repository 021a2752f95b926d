/**
 * Issue 13, defect 1 "Download stalled by one cheap header": a peer
 * announces a tip whose single header forks near genesis (cheap at the
 * starting difficulty), answers "not found" just under the request timeout
 * and announces again. Shown here: a syncing node still reaches the honest
 * tip and a node in sync keeps taking new blocks (the download window
 * follows the node's own progress, not the lowest header held); the peer
 * loses standing each time it cannot serve what it announced, and is
 * banned (UNSERVED); a header that forks below the final block is not kept
 * at all (no fault: an honest peer may not know of our finality yet).
 */
import { describe, expect, it } from 'vitest';
import type { Block } from '../../../../src/lib/core/block';
import { blockHash } from '../../../../src/lib/core/block';
import { toHex } from '../../../../src/lib/core/bytes';
import { MsgType, RejectCode } from '../../../../src/lib/core/net/messages';
import { TEST_PARAMS } from '../../../../src/lib/core/params';
import { addOk, extend, keyOf, newChain } from '../helpers';
import { GENESIS, baseBlocks, makeNodes, mine, type TestNode } from './fixtures';
import { ScriptedPeer } from './scripted-peer';
import { SimNet } from './sim-net';

/** A small window, so a stall shows within a few dozen blocks. */
const CONFIG = { downloadWindow: 16 };

/** One block on the fixed chain's block at `height` that is not the next block of that chain (a fork). */
function forkAt(height: number): Block {
  const c = newChain(TEST_PARAMS, GENESIS);
  for (const b of baseBlocks(height)) addOk(c, b);
  // A later time than the fixed chain's next block: another hash at the same height.
  return extend(c, c.tip, { timeDelta: 7 });
}

/** The attacker: says hello claiming the fork as its tip, then announces it. */
function announce(net: SimNet, bad: ScriptedPeer, victim: TestNode, fork: Block): void {
  bad.send(victim.id, { type: MsgType.Tip, header: fork.header, work: 1n << 200n, finalHeight: 0 });
  net.runFor(50);
}

/** Runs the attack `cycles` times: each "not found" comes just before the request would time out. */
function stallCycles(net: SimNet, bad: ScriptedPeer, victim: TestNode, fork: Block, cycles: number): void {
  const timeout = victim.mesh.config.requestTimeoutMs;
  for (let i = 0; i < cycles && net.connected(bad.id, victim.id); i++) {
    announce(net, bad, victim, fork);
    net.runFor(timeout - 300);
    bad.send(victim.id, { type: MsgType.Reject, code: RejectCode.NotFound, subject: blockHash(fork) });
    net.runFor(100);
  }
}

describe('one cheap header cannot stall the download', () => {
  it('a syncing node reaches the honest tip while the attacker announces a fork near genesis it never serves; the attacker is banned (UNSERVED)', () => {
    const net = new SimNet('cheap-fork/sync');
    const [honest] = makeNodes(net, 'cheap-fork/sync/h', 1, { blocks: baseBlocks(60), config: CONFIG }) as [TestNode];
    const [victim] = makeNodes(net, 'cheap-fork/sync/v', 1, { config: CONFIG }) as [TestNode];
    const bad = new ScriptedPeer(net, 'cheap-fork/sync');
    const fork = forkAt(0);
    net.connect(bad.id, victim.id);
    bad.send(victim.id, bad.hello(victim.mesh.chain, { tipHash: blockHash(fork), tipHeight: 1, tipWork: 1n << 200n }));
    announce(net, bad, victim, fork);
    expect(victim.mesh.headers.get(keyOf(fork))).toBeDefined();
    net.connect(honest.id, victim.id);
    stallCycles(net, bad, victim, fork, 8);
    expect(net.run(() => victim.mesh.chain.height === 60, 30_000)).toBe(true);
    expect(victim.mesh.chain.tip.key).toBe(honest.mesh.chain.tip.key);
    expect(net.disconnects).toContainEqual({ by: victim.id, peer: bad.id, fault: 'UNSERVED', banned: true });
  });

  it('a node in sync keeps taking new blocks beyond one window above a fork header held near genesis', () => {
    const net = new SimNet('cheap-fork/insync');
    const [honest, victim] = makeNodes(net, 'cheap-fork/insync', 2, { blocks: baseBlocks(10), config: CONFIG }) as [TestNode, TestNode];
    net.connect(honest.id, victim.id);
    net.runFor(200);
    // This attacker never answers: only its request's timeouts cost it (STALL), slowly.
    const bad = new ScriptedPeer(net, 'cheap-fork/insync');
    const fork = forkAt(1);
    net.connect(bad.id, victim.id);
    bad.send(victim.id, bad.hello(victim.mesh.chain));
    announce(net, bad, victim, fork);
    for (let i = 0; i < 3 * CONFIG.downloadWindow; i++) {
      mine(net, honest);
      net.runFor(100);
      announce(net, bad, victim, fork);
    }
    expect(net.run(() => victim.mesh.chain.tip.key === honest.mesh.chain.tip.key, 10_000)).toBe(true);
    expect(victim.mesh.chain.height).toBe(10 + 3 * CONFIG.downloadWindow);
  });

  it('a header forking below the final block is not kept, and costs an honest-looking announcer nothing', () => {
    const net = new SimNet('cheap-fork/final');
    const [victim] = makeNodes(net, 'cheap-fork/final', 1, { blocks: baseBlocks(10), config: CONFIG }) as [TestNode];
    victim.mesh.chain.markFinal(toHex(blockHash(baseBlocks(5)[4]!)));
    expect(victim.mesh.chain.finalized.height).toBe(5);
    const bad = new ScriptedPeer(net, 'cheap-fork/final');
    net.connect(bad.id, victim.id);
    bad.send(victim.id, bad.hello(victim.mesh.chain));
    for (const h of [0, 3, 4]) {
      const fork = forkAt(h);
      announce(net, bad, victim, fork);
      expect(victim.mesh.headers.get(keyOf(fork))).toBeUndefined();
    }
    // Above the final block a fork is still a fork: kept, and fetched if it wins.
    const above = forkAt(5);
    announce(net, bad, victim, above);
    expect(victim.mesh.headers.get(keyOf(above))).toBeDefined();
    net.runFor(1000);
    expect(net.disconnects).toEqual([]);
  });

  it('headers held below a block that became final are dropped at the next tick', () => {
    const net = new SimNet('cheap-fork/prune');
    const [victim] = makeNodes(net, 'cheap-fork/prune', 1, { blocks: baseBlocks(10), config: CONFIG }) as [TestNode];
    const bad = new ScriptedPeer(net, 'cheap-fork/prune');
    net.connect(bad.id, victim.id);
    bad.send(victim.id, bad.hello(victim.mesh.chain));
    const fork = forkAt(2);
    announce(net, bad, victim, fork);
    expect(victim.mesh.headers.get(keyOf(fork))).toBeDefined();
    victim.mesh.chain.markFinal(toHex(blockHash(baseBlocks(6)[5]!)));
    net.runFor(1000); // two of the simulated network's ticks
    expect(victim.mesh.headers.get(keyOf(fork))).toBeUndefined();
  });

  it('blocks withheld by a peer that then leaves are fetched from an honest peer announcing a tip above them', () => {
    // Found by tests/unit/fuzz/mesh.test.ts: the honest peer's tip joined the index with only itself marked
    // as the peer's; the headers below it, held for the peer that left, waited 120 s to go stale.
    const net = new SimNet('cheap-fork/withheld');
    const blocks = baseBlocks(6);
    const [victim] = makeNodes(net, 'cheap-fork/withheld/v', 1, { blocks: blocks.slice(0, 3), config: CONFIG }) as [TestNode];
    const [honest] = makeNodes(net, 'cheap-fork/withheld/h', 1, { blocks: blocks.slice(0, 3), config: CONFIG }) as [TestNode];
    const bad = new ScriptedPeer(net, 'cheap-fork/withheld');
    net.connect(bad.id, victim.id);
    bad.send(victim.id, bad.hello(victim.mesh.chain));
    bad.send(victim.id, { type: MsgType.Tip, header: blocks[5]!.header, work: 1n << 40n, finalHeight: 0 });
    net.runFor(300);
    bad.send(victim.id, { type: MsgType.Headers, headers: blocks.slice(3).map((b) => b.header) });
    net.runFor(300);
    expect(victim.mesh.headers.size).toBe(3);
    net.cut(bad.id, victim.id);
    // The honest node, linked at height 3, takes blocks 4 to 6 quietly and mines 7: it announces 7 only.
    net.connect(honest.id, victim.id);
    net.runFor(300);
    for (const b of blocks.slice(3)) honest.mesh.submitBlock(b, net.now);
    mine(net, honest);
    expect(net.run(() => victim.mesh.chain.height === 7, 5000)).toBe(true);
  });
});
