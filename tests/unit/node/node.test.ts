/**
 * The node runtime in Node (issue 5) over the in-memory twins of the store,
 * the transport and the miner: several nodes, the hospitals among them
 * voting as validators, converge on one final tip; an offline write survives
 * a restart and reaches the others; a validator's vote memory survives one.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { MemoryHub } from '../../../src/lib/adapters/net/memory-transport';
import { MemoryChainStore } from '../../../src/lib/adapters/store/memory';
import { toHex } from '../../../src/lib/core/bytes';
import { type Tx, txId } from '../../../src/lib/core/tx';
import { readVote } from '../../../src/lib/core/vote';
import { blockTemplate, mineBlock } from '../../../src/lib/core/template';
import { unwrapForDevice } from '../../../src/lib/adapters/store/device-key';
import type { FullNode } from '../../../src/lib/node/node';
import { voteMemoryId } from '../../../src/lib/node/node';
import { decodeVoteMemory } from '../../../src/lib/core/vote-memory';
import { patientTx, testNetwork } from '../../shared/node-network';
import { QuorumRule } from '../../../src/lib/core/payloads';
import { sec, startTestNode } from './fixture';

const running: FullNode[] = [];
afterEach(async () => {
  for (const n of running.splice(0)) await n.stop();
});
const track = <T extends { node: FullNode }>(x: T): T => {
  running.push(x.node);
  return x;
};

describe('node runtime over the in-memory twins', () => {
  it('four nodes (three hospitals voting) converge on one final tip holding every write', async () => {
    const net = testNetwork('node-converge', 3, sec() - 100);
    const hub = new MemoryHub({ now: Date.now });
    const nodes: FullNode[] = [];
    for (const v of [...net.validators, null]) nodes.push(track(await startTestNode(hub, net, { validator: v })).node);
    await expect.poll(() => nodes.map((n) => n.status().peers), { timeout: 5000 }).toEqual([3, 3, 3, 3]);
    const txs = [patientTx(net, 'a', sec()), patientTx(net, 'b', sec())];
    await nodes[3]!.submitTx(txs[0]!);
    await nodes[1]!.submitTx(txs[1]!);
    const done = () => nodes.every((n) => txs.every((t) => (n.chain.txHeight(toHex(txId(t))) ?? Infinity) <= n.chain.finalized.height));
    await expect.poll(done, { timeout: 15_000 }).toBe(true);
    await expect.poll(() => new Set(nodes.map((n) => `${n.status().finalHeight}/${n.chain.finalized.key}`)).size, { timeout: 5000 }).toBe(1);
    for (const n of nodes) {
      const s = n.status();
      expect(s.finalHeight).toBeGreaterThanOrEqual(1);
      expect(s.pending).toBe(0);
      expect(await n.verifyChain()).toEqual({ ok: true, height: s.height });
    }
    expect(nodes.map((n) => n.status().role)).toEqual(['validator', 'validator', 'validator', 'node']);
    expect(nodes.flatMap((n) => n.driver.stats.bans)).toEqual([]);
  }, 60_000); // real timers: give a loaded machine time (the test waits on convergence, not on a duration)

  it('a write made offline survives a restart, then reaches the network and becomes final', async () => {
    const net = testNetwork('node-offline', 1, sec() - 100);
    const alone = new MemoryHub({ now: Date.now });
    const first = await startTestNode(alone, net, { mine: false });
    const tx = patientTx(net, 'offline', sec());
    expect((await first.node.submitTx(tx)).status).toBe('added');
    expect(first.node.status().pending).toBe(1);
    await first.node.stop();
    const hub = new MemoryHub({ now: Date.now });
    const back = track(await startTestNode(hub, net, { data: first.data, mine: false }));
    expect(back.node.status().pending).toBe(1);
    expect(back.node.chain.pending.has(toHex(txId(tx)))).toBe(true);
    const hospital = track(await startTestNode(hub, net, { validator: net.validators[0]! }));
    const key = toHex(txId(tx));
    await expect.poll(() => [back.node, hospital.node].map((n) => (n.chain.txHeight(key) ?? Infinity) <= n.chain.finalized.height), { timeout: 10_000 }).toEqual([true, true]);
    // The restarted node's pool, in memory and on disk, no longer holds it (a commit certificate may wait there).
    expect(back.node.status().pending).toBe(0);
    await expect.poll(async () => (await new MemoryChainStore(back.data).pending()).some((p) => p.key === key)).toBe(false);
  });

  it('a node that joins after 30 final blocks learns finality for all of them from the certificates in the pool', async () => {
    // The certificates for most heights are in no block yet (the blocks came faster than the votes): the late
    // node gets them with the pending pool, far more heights ahead than a vote may be (VOTE_LIMITS.futureHeights).
    const net = testNetwork('node-late', 3, sec() - 100);
    const hub = new MemoryHub({ now: Date.now });
    const nodes: FullNode[] = [];
    for (const v of net.validators) nodes.push(track(await startTestNode(hub, net, { validator: v, mine: false })).node);
    await expect.poll(() => nodes.map((n) => n.status().peers), { timeout: 5000 }).toEqual([2, 2, 2]);
    const maker = nodes[0]!;
    for (let i = 0; i < 30; i++) {
      const block = mineBlock(blockTemplate(maker.chain, maker.chain.tip, [patientTx(net, `late/${i}`, sec())], sec(), maker.key.pub));
      expect(maker.submitBlock(block).status).toBe('accepted');
    }
    await expect.poll(() => nodes.map((n) => n.status().finalHeight), { timeout: 30_000 }).toEqual([30, 30, 30]);
    const late = track(await startTestNode(hub, net, { mine: false })).node;
    await expect.poll(() => late.status().height, { timeout: 15_000 }).toBe(30);
    await expect.poll(() => late.status().finalHeight, { timeout: 15_000 }).toBe(30);
    expect(late.chain.finalized.key).toBe(maker.chain.finalized.key);
  }, 60_000);

  it('counts approvals with the quorum rule its genesis records: all 3 of 3 hospitals for two thirds, 2 of 3 for the majority', async () => {
    const hub = new MemoryHub({ now: Date.now });
    const need = async (rule: QuorumRule) => {
      const net = testNetwork(`node-quorum-${rule}`, 3, sec() - 100, undefined, rule);
      return track(await startTestNode(hub, net, { mine: false })).node.agreement.finality.need();
    };
    expect(await need(QuorumRule.TwoThirds)).toBe(3);
    expect(await need(QuorumRule.Majority)).toBe(2);
  });

  it("a validator's vote memory survives a restart: the same votes, none signed again", async () => {
    // Two hospitals: one alone cannot decide (quorum 2), so its votes stay at height 1.
    const net = testNetwork('node-votes', 2, sec() - 100);
    const first = await startTestNode(new MemoryHub({ now: Date.now }), net, { validator: net.validators[0]! });
    await first.node.submitTx(patientTx(net, 'v', sec()));
    await expect.poll(() => first.node.agreement.policy!.votesCast().length, { timeout: 5000 }).toBeGreaterThanOrEqual(1);
    const before = first.node.agreement.policy!.memory()!;
    await first.node.stop();
    const saved = decodeVoteMemory((await unwrapForDevice(new MemoryChainStore(first.data), voteMemoryId(net.validators[0]!)))!);
    expect(saved?.height).toBe(1);
    // What is on disk covers every vote the policy had cast when it stopped.
    for (const [slot, choice] of before.cast) expect(saved!.cast.get(slot)).toBe(choice);
    const again = track(await startTestNode(new MemoryHub({ now: Date.now }), net, { data: first.data, validator: net.validators[0]! }));
    const ids = (txs: readonly Tx[]) => txs.map((t) => toHex(txId(t)));
    const restored = again.node.agreement.policy!.memory()!;
    expect(restored.height).toBe(1);
    expect(ids(restored.sent).slice(0, saved!.sent.length)).toEqual(ids(saved!.sent));
    // Its round-0 prevote is the one it signed before the restart: no second choice in that slot.
    const round0 = restored.sent.filter((t) => decodeSlot(t) === '0/1');
    expect(round0.length).toBe(1);
    expect(ids(round0)).toEqual(ids(saved!.sent.filter((t) => decodeSlot(t) === '0/1')));
  });
});

function decodeSlot(tx: Tx): string {
  const v = readVote(tx)!;
  return `${v.round}/${v.phase}`;
}
