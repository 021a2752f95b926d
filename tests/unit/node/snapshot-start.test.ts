/**
 * Starting from a chain-state snapshot (issue 7) in the node runtime over the
 * in-memory twins: a stopping node writes the snapshot of its final block; a
 * restart starts from it to the same chain; a block below it whose bytes
 * were changed with the digest rewritten passes the fast start and is then
 * named by the background check in the node's health.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { MemoryHub } from '../../../src/lib/adapters/net/memory-transport';
import { MemoryChainStore } from '../../../src/lib/adapters/store/memory';
import { toHex } from '../../../src/lib/core/bytes';
import { sha256 } from '../../../src/lib/core/hash';
import { txId } from '../../../src/lib/core/tx';
import type { FullNode } from '../../../src/lib/node/node';
import { patientTx, testNetwork } from '../../shared/node-network';
import { sec, startTestNode } from './fixture';

const running: FullNode[] = [];
afterEach(async () => {
  for (const n of running.splice(0)) await n.stop();
});

describe('a node started from its snapshot', () => {
  it('writes the snapshot on stop, restarts from it to the same chain, and its background check names a rewritten block', async () => {
    const net = testNetwork('node-snapshot', 1, sec() - 100);
    const hub = new MemoryHub({ now: Date.now });
    const first = await startTestNode(hub, net, { validator: net.validators[0]! });
    for (const name of ['a', 'b', 'c']) {
      const tx = patientTx(net, name, sec());
      await first.node.submitTx(tx);
      await expect.poll(() => (first.node.chain.txHeight(toHex(txId(tx))) ?? Infinity) <= first.node.chain.finalized.height, { timeout: 15_000 }).toBe(true);
    }
    const { key: tipKey } = first.node.chain.tip;
    const final = first.node.chain.finalized;
    expect(final.height).toBeGreaterThanOrEqual(3);
    await first.node.stop();
    const snap = await new MemoryChainStore(first.data).snapshot();
    expect(snap?.final).toEqual({ key: final.key, height: final.height });

    const again = await startTestNode(new MemoryHub({ now: Date.now }), net, { data: first.data, mine: false });
    running.push(again.node);
    expect(again.node.chain.tip.key).toBe(tipKey);
    expect(again.node.chain.finalized.key).toBe(final.key);
    await again.node.checked;
    expect(again.node.health().bad).toEqual([]);
    await again.node.stop();
    running.pop();

    // A changed byte (the first transaction's author) in block 1, its digest rewritten to match.
    const record = first.data.blocks.get(first.node.chain.atHeight(1)!.key) as { bytes: Uint8Array; digest: Uint8Array };
    record.bytes[121]! ^= 1;
    record.digest = sha256(record.bytes);
    const tampered = await startTestNode(new MemoryHub({ now: Date.now }), net, { data: first.data, mine: false });
    running.push(tampered.node);
    expect(tampered.node.chain.tip.key).toBe(tipKey);
    await tampered.node.checked;
    expect(tampered.node.health().bad.map((b) => b.height)).toContain(1);
  }, 60_000);
});
