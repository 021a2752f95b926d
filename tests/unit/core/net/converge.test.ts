import { describe, expect, it } from 'vitest';
import { Prng } from '../../../../src/lib/core/prng';
import { MsgType } from '../../../../src/lib/core/net/messages';
import { fullMesh, makeNodes, mine, sameTip, type TestNode } from './fixtures';
import { SimNet } from './sim-net';

/** Every node mines at seeded random moments, often before the last block reached everyone. */
function raceMining(net: SimNet, nodes: readonly TestNode[], seed: string, blocks: number, gapMs: number): void {
  const prng = new Prng(seed);
  let t = net.now;
  for (let i = 0; i < blocks; i++) {
    t += prng.int(1, gapMs);
    const node = prng.pick(nodes);
    net.at(t, () => mine(net, node));
  }
}

describe('convergence', () => {
  for (const [n, seed] of [
    [3, 'a'],
    [4, 'b'],
    [5, 'c'],
  ] as const) {
    it(`${n} nodes mining concurrently, with forks, end on one tip (seed ${seed})`, () => {
      const net = new SimNet(`converge/${seed}`, [5, 60]);
      const nodes = makeNodes(net, `converge/${seed}`, n);
      // Not a full mesh for 5: a ring with one chord, so blocks are relayed over several hops.
      if (n === 5) for (let i = 0; i < n; i++) net.connect(nodes[i]!.id, nodes[(i + 1) % n]!.id);
      else fullMesh(net, nodes);
      if (n === 5) net.connect(nodes[0]!.id, nodes[2]!.id);
      net.runFor(1000);
      raceMining(net, nodes, `mine/${seed}`, 60, 40);
      net.runFor(5000);
      expect(net.run(() => sameTip(nodes), 30_000)).toBe(true);
      const chains = nodes.map((x) => x.mesh.chain);
      // Forks happened: some node holds blocks off its active chain.
      expect(chains.some((c) => c.blockCount > c.height + 1)).toBe(true);
      expect(chains[0]!.height).toBeGreaterThan(20);
      // The same active chain everywhere.
      const keys = chains[0]!.activeBlocks().map((b) => b.key);
      for (const c of chains) expect(c.activeBlocks().map((b) => b.key)).toEqual(keys);
      expect(net.disconnects).toEqual([]);
      // Gossip is not a flood: tip announcements stay within a few per block per link.
      const links = n === 5 ? 6 : (n * (n - 1)) / 2;
      expect(net.sent.get(MsgType.Tip) ?? 0).toBeLessThanOrEqual(60 * links * 2);
    });
  }

  it('votes reach every node once, judged by the agreement callback; an invalid vote costs the sender points, not a ban', () => {
    const net = new SimNet('votes');
    const judged = new Map<string, number>();
    const check = (bytes: Uint8Array): 'accept' | 'invalid' => {
      const k = bytes.join(',');
      judged.set(k, (judged.get(k) ?? 0) + 1);
      return bytes[0] === 0xff ? 'invalid' : 'accept';
    };
    const nodes = makeNodes(net, 'votes', 4, { checkVote: check });
    for (let i = 0; i < 3; i++) net.connect(nodes[i]!.id, nodes[i + 1]!.id); // a line: relayed hop by hop
    net.runFor(500);
    net.perform(nodes[0]!.id, nodes[0]!.mesh.submitVote(new Uint8Array([1, 2, 3]), net.now));
    net.runFor(2000);
    expect(judged.get('1,2,3')).toBe(3); // by each of the other three, once
    expect(net.sent.get(MsgType.Vote)).toBe(3);
    net.perform(nodes[0]!.id, nodes[0]!.mesh.submitVote(new Uint8Array([0xff]), net.now));
    net.runFor(2000);
    expect(judged.get('255')).toBe(1); // refused by the first hop, not relayed
    expect(nodes[1]!.mesh.scores.score(nodes[0]!.id, net.now)).toBeGreaterThan(0);
    expect(net.disconnects).toEqual([]);
  });

  it('a vote refused for now by a budget (later) is not relayed and not remembered: it is judged again when it comes back', () => {
    const net = new SimNet('votes-later');
    let full = true;
    const judged: string[] = [];
    const check = (): 'accept' | 'later' => {
      judged.push(full ? 'later' : 'accept');
      return full ? 'later' : 'accept';
    };
    const nodes = makeNodes(net, 'votes-later', 3, { checkVote: check });
    net.connect(nodes[0]!.id, nodes[1]!.id);
    net.connect(nodes[1]!.id, nodes[2]!.id);
    net.runFor(500);
    const vote = new Uint8Array([7, 7, 7]);
    net.perform(nodes[0]!.id, nodes[0]!.mesh.submitVote(vote, net.now));
    net.runFor(2000);
    expect(judged).toEqual(['later']); // node 1 refused it for now and did not pass it on
    expect(net.sent.get(MsgType.Vote)).toBe(1);
    full = false;
    // The same vote reaches node 1 again from another side: judged again, accepted, and relayed on (back to node 0 too).
    net.perform(nodes[2]!.id, nodes[2]!.mesh.submitVote(vote, net.now));
    net.runFor(2000);
    expect(judged).toEqual(['later', 'accept']);
    expect(net.sent.get(MsgType.Vote)).toBe(3);
  });

  it('the in-memory network is deterministic: the same seed replays the same run', () => {
    const runOnce = (): string => {
      const net = new SimNet('replay', [5, 60]);
      const nodes = makeNodes(net, 'replay', 4);
      fullMesh(net, nodes);
      net.runFor(500);
      raceMining(net, nodes, 'replay', 20, 40);
      net.runFor(5000);
      return JSON.stringify([nodes.map((x) => x.mesh.chain.tip.key), [...net.sent], net.frames, net.bytes]);
    };
    expect(runOnce()).toBe(runOnce());
  });
});
