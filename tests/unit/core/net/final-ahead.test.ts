/**
 * A peer whose final height is above ours is ahead, whatever its work, and
 * a peer behind ours gets the certificates it lacks (issue 14: found when
 * the simulator first ran the shipped node; docs/consensus.md rule 12).
 */
import { describe, expect, it } from 'vitest';
import { MsgType } from '../../../../src/lib/core/net/messages';
import { addOk, extend } from '../helpers';
import { baseBlocks, makeNodes } from './fixtures';
import { SimNet } from './sim-net';

describe('final height between peers', () => {
  it('a node on a branch with more work fetches the shorter branch of a peer whose final block is higher', () => {
    const net = new SimNet('final-ahead');
    const [a] = makeNodes(net, 'final-ahead/a', 1, { blocks: baseBlocks(3) });
    const [b] = makeNodes(net, 'final-ahead/b', 1);
    // B: a sibling of block 1, made final there (the quorum decided it while A was away).
    const bc = b!.mesh.chain;
    const b1 = addOk(bc, extend(bc, bc.genesis, { timeDelta: 7 }));
    bc.markFinal(b1.key);
    expect(bc.finalized.height).toBe(1);
    expect(a!.mesh.chain.tip.chainWork).toBeGreaterThan(b1.chainWork);
    expect(a!.mesh.chain.get(b1.key)).toBeUndefined();
    net.connect(a!.id, b!.id);
    net.runFor(5000);
    // A holds B's final block now (its finality, by certificate or a block recording it, can then take effect).
    expect(a!.mesh.chain.get(b1.key)).toBeDefined();
  });

  it('a committed block the agreement waits for is fetched from a peer with less work, though its hello told of no higher final block', () => {
    for (const waits of [false, true]) {
      const net = new SimNet(`awaited/${waits}`);
      let wanted: string | null = null;
      const [a] = makeNodes(net, 'awaited/a', 1, { blocks: baseBlocks(3), awaitedBlock: () => (waits ? wanted : null) });
      const [b] = makeNodes(net, 'awaited/b', 1);
      const bc = b!.mesh.chain;
      const b1 = addOk(bc, extend(bc, bc.genesis, { timeDelta: 7 }));
      wanted = b1.key;
      net.connect(a!.id, b!.id);
      net.runFor(5000);
      expect(a!.mesh.chain.get(b1.key) !== undefined).toBe(waits);
    }
  });

  it('a peer whose word of a lower final height has stood 10 s is sent the certificates above it, once per channel', () => {
    const net = new SimNet('cert-push');
    const cert = [new Uint8Array([1, 2, 3]), new Uint8Array([4, 5, 6])];
    const blocks = baseBlocks(2);
    const [a, b] = makeNodes(net, 'cert-push', 2, { blocks, certificate: (h) => (h === 1 ? cert : undefined), checkVote: () => 'ignore' });
    a!.mesh.chain.markFinal(a!.mesh.chain.atHeight(1)!.key);
    net.connect(a!.id, b!.id);
    // Not at once: while blocks flow, a peer's tips tell its final height, and it would only hear what it has.
    net.runFor(3000);
    expect(net.countFrom(a!.id, b!.id, MsgType.Vote)).toBe(0);
    // Its word has stood for 10 s: the certificate goes out, once.
    net.runFor(10_000);
    expect(net.countFrom(a!.id, b!.id, MsgType.Vote)).toBe(2);
    // Nothing the other way: A's final height is not below B's.
    expect(net.countFrom(b!.id, a!.id, MsgType.Vote)).toBe(0);
    net.runFor(20_000);
    expect(net.countFrom(a!.id, b!.id, MsgType.Vote)).toBe(2);
  });
});
