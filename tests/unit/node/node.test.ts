/**
 * The node runtime in Node (issue 5) over the in-memory twins of the store,
 * the transport and the miner, on one virtual clock (issue 14): several
 * nodes, the hospitals among them voting as validators, converge on one
 * final tip; an offline write survives a restart and reaches the others; a
 * validator's vote memory survives one.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { unwrapForDevice } from '../../../src/lib/adapters/store/device-key';
import { MemoryChainStore } from '../../../src/lib/adapters/store/memory';
import { toHex } from '../../../src/lib/core/bytes';
import { QuorumRule } from '../../../src/lib/core/payloads';
import { blockTemplate, mineBlock } from '../../../src/lib/core/template';
import { type Tx, txId } from '../../../src/lib/core/tx';
import { readVote } from '../../../src/lib/core/vote';
import { decodeVoteMemory } from '../../../src/lib/core/vote-memory';
import { NODE_KEY_ID } from '../../../src/lib/node/identity';
import type { FullNode } from '../../../src/lib/node/node';
import { voteMemoryId } from '../../../src/lib/node/node';
import { patientTx, testNetwork } from '../../../src/bench/node-network';
import { HANG_GUARD_MS, T0, VirtualNodes } from './virtual';

let v: VirtualNodes;
beforeEach(() => {
  v = new VirtualNodes();
});
afterEach(() => v.stopAll());

const finalOn = (nodes: readonly FullNode[], key: string) => nodes.map((n) => (n.chain.txHeight(key) ?? Infinity) <= n.chain.finalized.height);

describe('node runtime over the in-memory twins', { timeout: HANG_GUARD_MS }, () => {
  it('four nodes (three hospitals voting) converge on one final tip holding every write', async () => {
    const net = testNetwork('node-converge', 3, T0);
    const hub = v.clock.hub();
    const nodes: FullNode[] = [];
    for (const key of [...net.validators, null]) nodes.push((await v.start(hub, net, { validator: key })).node);
    await v.clock.runUntil(() => nodes.every((n) => n.status().peers === 3), 5000, 'four nodes linked');
    const txs = [patientTx(net, 'a', v.clock.sec()), patientTx(net, 'b', v.clock.sec())];
    await nodes[3]!.submitTx(txs[0]!);
    await nodes[1]!.submitTx(txs[1]!);
    const keys = txs.map((t) => toHex(txId(t)));
    await v.clock.runUntil(() => keys.every((k) => finalOn(nodes, k).every(Boolean)), 30_000, 'both writes final on every node');
    await v.clock.runUntil(
      () => new Set(nodes.map((n) => `${n.status().finalHeight}/${n.chain.finalized.key}`)).size === 1,
      10_000,
      'one final block on every node',
    );
    for (const n of nodes) {
      const s = n.status();
      expect(s.finalHeight).toBeGreaterThanOrEqual(1);
      expect(s.pending).toBe(0);
      expect(await n.verifyChain()).toEqual({ ok: true, height: s.height });
    }
    expect(nodes.map((n) => n.status().role)).toEqual(['validator', 'validator', 'validator', 'node']);
    expect(nodes.flatMap((n) => n.driver.stats.bans)).toEqual([]);
  });

  it('a write made offline survives a restart, then reaches the network and becomes final', async () => {
    const net = testNetwork('node-offline', 1, T0);
    const first = await v.start(v.clock.hub(), net, { mine: false });
    const tx = patientTx(net, 'offline', v.clock.sec());
    expect((await first.node.submitTx(tx)).status).toBe('added');
    expect(first.node.status().pending).toBe(1);
    await v.stop(first);
    const hub = v.clock.hub();
    const back = await v.start(hub, net, { data: first.data, mine: false });
    expect(back.node.status().pending).toBe(1);
    const key = toHex(txId(tx));
    expect(back.node.chain.pending.has(key)).toBe(true);
    const hospital = await v.start(hub, net, { validator: net.validators[0]! });
    await v.clock.runUntil(() => finalOn([back.node, hospital.node], key).every(Boolean), 20_000, 'the offline write final on both nodes');
    // The restarted node's pool, in memory and on disk, no longer holds it (a commit certificate may wait there).
    expect(back.node.status().pending).toBe(0);
    const onDisk = async () => (await new MemoryChainStore(back.data).pending()).some((p) => p.key === key);
    await v.clock.runUntil(async () => !(await onDisk()), 5000, 'the write gone from the stored pool');
  });

  it('a node that joins after 30 final blocks learns finality for all of them from the certificates in the pool', async () => {
    // The certificates for most heights are in no block yet (the blocks came faster than the votes): the late
    // node gets them with the pending pool, far more heights ahead than a vote may be (VOTE_LIMITS.futureHeights).
    const net = testNetwork('node-late', 3, T0);
    const hub = v.clock.hub();
    const nodes: FullNode[] = [];
    for (const key of net.validators) nodes.push((await v.start(hub, net, { validator: key, mine: false })).node);
    await v.clock.runUntil(() => nodes.every((n) => n.status().peers === 2), 5000, 'three hospitals linked');
    const maker = nodes[0]!;
    for (let i = 0; i < 30; i++) {
      const block = mineBlock(blockTemplate(maker.chain, maker.chain.tip, [patientTx(net, `late/${i}`, v.clock.sec())], v.clock.sec(), maker.key.pub));
      expect(maker.submitBlock(block).status).toBe('accepted');
    }
    await v.clock.runUntil(() => nodes.every((n) => n.status().finalHeight === 30), 60_000, 'all 30 blocks final on the hospitals');
    const late = (await v.start(hub, net, { mine: false })).node;
    await v.clock.runUntil(() => late.status().height === 30, 20_000, 'the late node holding 30 blocks');
    await v.clock.runUntil(() => late.status().finalHeight === 30, 20_000, 'the late node holding them final');
    expect(late.chain.finalized.key).toBe(maker.chain.finalized.key);
  });

  it('counts approvals with the quorum rule its genesis records: all 3 of 3 hospitals for two thirds, 2 of 3 for the majority', async () => {
    const hub = v.clock.hub();
    const need = async (rule: QuorumRule) => {
      const net = testNetwork(`node-quorum-${rule}`, 3, T0, undefined, rule);
      return (await v.start(hub, net, { mine: false })).node.agreement.finality.need();
    };
    expect(await need(QuorumRule.TwoThirds)).toBe(3);
    expect(await need(QuorumRule.Majority)).toBe(2);
  });

  it("a validator's vote memory, sealed under the device key, survives a restart: the same votes, none signed again", async () => {
    // Two hospitals: one alone cannot decide (quorum 2), so its votes stay at height 1.
    const net = testNetwork('node-votes', 2, T0);
    const first = await v.start(v.clock.hub(), net, { validator: net.validators[0]!, sealer: 'device' });
    await first.node.submitTx(patientTx(net, 'v', v.clock.sec()));
    await v.clock.runUntil(() => first.node.agreement.policy!.votesCast().length >= 1, 10_000, 'a vote cast');
    const before = first.node.agreement.policy!.memory()!;
    await v.stop(first);
    const store = new MemoryChainStore(first.data);
    // The node key and the vote memory are sealed under the device key: what is stored is not them in clear.
    expect(await unwrapForDevice(store, NODE_KEY_ID)).toEqual(first.node.key.secret);
    expect(toHex((await store.wrappedKey(NODE_KEY_ID))!)).not.toContain(toHex(first.node.key.secret));
    const saved = decodeVoteMemory((await unwrapForDevice(store, voteMemoryId(net.validators[0]!)))!);
    expect(saved?.height).toBe(1);
    // What is on disk covers every vote the policy had cast when it stopped.
    expect(before.cast.size).toBeGreaterThanOrEqual(1);
    for (const [slot, choice] of before.cast) expect(saved!.cast.get(slot)).toBe(choice);
    const again = await v.start(v.clock.hub(), net, { data: first.data, validator: net.validators[0]!, sealer: 'device' });
    expect(toHex(again.node.key.pub)).toBe(toHex(first.node.key.pub));
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
  const vote = readVote(tx)!;
  return `${vote.round}/${vote.phase}`;
}
