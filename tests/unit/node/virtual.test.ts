/**
 * The test nodes' virtual clock (issue 14) makes a composed-node test one
 * run, not one of many: the same network started twice reaches the same
 * final block at the same virtual instant, after the same frames.
 */
import { describe, expect, it } from 'vitest';
import { toHex } from '../../../src/lib/core/bytes';
import { txId } from '../../../src/lib/core/tx';
import type { FullNode } from '../../../src/lib/node/node';
import { patientTx, testNetwork } from '../../../src/bench/node-network';
import { HANG_GUARD_MS, T0, VirtualNodes } from './virtual';

/** Two hospitals and a node; one write, until it is final everywhere. */
async function oneRun() {
  const v = new VirtualNodes();
  try {
    const net = testNetwork('node-replay', 2, T0);
    const hub = v.clock.hub();
    const nodes: FullNode[] = [];
    for (const key of [...net.validators, null]) nodes.push((await v.start(hub, net, { validator: key })).node);
    const tx = patientTx(net, 'replay', v.clock.sec());
    await nodes[2]!.submitTx(tx);
    const key = toHex(txId(tx));
    await v.clock.runUntil(() => nodes.every((n) => (n.chain.txHeight(key) ?? Infinity) <= n.chain.finalized.height), 30_000, 'the write final everywhere');
    return {
      at: v.clock.now(),
      nodes: nodes.map((n) => toHex(n.key.pub)),
      final: nodes.map((n) => `${n.chain.finalized.height}/${n.chain.finalized.key}`),
      frames: nodes.map((n) => n.driver.stats.framesOut),
    };
  } finally {
    await v.stopAll();
  }
}

describe('test nodes on the virtual clock', { timeout: HANG_GUARD_MS }, () => {
  it('the same network twice is the same run: the same final block at the same virtual instant, after the same frames', async () => {
    const first = await oneRun();
    expect(first.frames.every((n) => n > 0)).toBe(true);
    expect(await oneRun()).toEqual(first);
  });
});
