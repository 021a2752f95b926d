/**
 * Starting from a chain-state snapshot (issue 7) in the node runtime over the
 * in-memory twins, on one virtual clock (issue 14): a stopping node writes
 * the snapshot of its final block; a restart starts from it to the same
 * chain; a block below it whose bytes were changed with the digest
 * rewritten passes the fast start and is then named by the background check
 * in the node's health.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MemoryChainStore } from '../../../src/lib/adapters/store/memory';
import { toHex } from '../../../src/lib/core/bytes';
import { sha256 } from '../../../src/lib/core/hash';
import { txId } from '../../../src/lib/core/tx';
import { patientTx, testNetwork } from '../../../src/bench/node-network';
import { HANG_GUARD_MS, T0, VirtualNodes } from './virtual';

let v: VirtualNodes;
beforeEach(() => {
  v = new VirtualNodes();
});
afterEach(() => v.stopAll());

/** The background check runs after one zero-delay timer: a bound of a second of virtual time is ample. */
const CHECK_WITHIN_MS = 1000;

describe('a node started from its snapshot', { timeout: HANG_GUARD_MS }, () => {
  it('writes the snapshot on stop, restarts from it to the same chain, and its background check names a rewritten block', async () => {
    const net = testNetwork('node-snapshot', 1, T0);
    const first = await v.start(v.clock.hub(), net, { validator: net.validators[0]! });
    for (const name of ['a', 'b', 'c']) {
      const tx = patientTx(net, name, v.clock.sec());
      await first.node.submitTx(tx);
      const key = toHex(txId(tx));
      await v.clock.runUntil(() => (first.node.chain.txHeight(key) ?? Infinity) <= first.node.chain.finalized.height, 20_000, `write ${name} final`);
    }
    const { key: tipKey } = first.node.chain.tip;
    const final = first.node.chain.finalized;
    expect(final.height).toBeGreaterThanOrEqual(3);
    await v.stop(first);
    const snap = await new MemoryChainStore(first.data).snapshot();
    expect(snap?.final).toEqual({ key: final.key, height: final.height });

    const again = await v.start(v.clock.hub(), net, { data: first.data, mine: false });
    expect(again.node.chain.tip.key).toBe(tipKey);
    expect(again.node.chain.finalized.key).toBe(final.key);
    await v.clock.drive(again.node.checked, CHECK_WITHIN_MS, 'the background check');
    expect(again.node.health().bad).toEqual([]);
    await v.stop(again);

    // A changed byte (the first transaction's author) in block 1, its digest rewritten to match.
    const record = first.data.blocks.get(first.node.chain.atHeight(1)!.key) as { bytes: Uint8Array; digest: Uint8Array };
    record.bytes[121]! ^= 1;
    record.digest = sha256(record.bytes);
    const tampered = await v.start(v.clock.hub(), net, { data: first.data, mine: false });
    expect(tampered.node.chain.tip.key).toBe(tipKey);
    // The fast start did not see it; the background check, once its timer ran, does.
    expect(tampered.node.health().bad).toEqual([]);
    await v.clock.drive(tampered.node.checked, CHECK_WITHIN_MS, 'the background check');
    expect(tampered.node.health().bad.map((b) => b.height)).toContain(1);
  });
});
