/**
 * A node catching up checks the fetched blocks' signatures ahead (issue 7):
 * with a verifier that can be primed (WebCrypto in the browser, and in Node
 * 20+), every signature of a fetched block is answered from the priming,
 * none by the slow fallback engine; a priming that fails only costs speed.
 * The nodes run on one virtual clock (issue 14); WebCrypto answers on
 * Node's thread pool, so its batches hold the clock until they settle.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { LoadVerifier } from '../../../src/lib/node/chain-build';
import { inThreadBatchVerifier, primedVerifier, webcryptoEd25519Available } from '../../../src/lib/adapters/webcrypto-ed25519';
import { toHex } from '../../../src/lib/core/bytes';
import { nobleVerifier } from '../../../src/lib/core/signature';
import { TxKind, txId, txSigningMessage } from '../../../src/lib/core/tx';
import type { FullNode } from '../../../src/lib/node/node';
import type { MemoryHub } from '../../../src/lib/adapters/net/memory-transport';
import { type TestNetwork, patientTx, testNetwork } from '../../../src/bench/node-network';
import { HANG_GUARD_MS, T0, VirtualNodes } from './virtual';

let v: VirtualNodes;
beforeEach(() => {
  v = new VirtualNodes();
});
afterEach(() => v.stopAll());

/** A node with three blocks of patient registrations, mined and alone. */
async function servingNode(net: TestNetwork, hub: MemoryHub): Promise<FullNode> {
  const { node } = await v.start(hub, net, { validator: net.validators[0]! });
  for (let i = 0; i < 3; i++) {
    const tx = patientTx(net, `${net.params.id}/${i}`, v.clock.sec());
    await node.submitTx(tx);
    const key = toHex(txId(tx));
    await v.clock.runUntil(() => node.chain.txHeight(key) !== undefined, 10_000, `registration ${i} in a block`);
  }
  await v.clock.runUntil(() => node.status().pending === 0, 10_000, 'the serving node with nothing pending');
  return node;
}

const joiningNode = async (net: TestNetwork, hub: MemoryHub, verifier: LoadVerifier): Promise<FullNode> =>
  (await v.start(hub, net, { verifier, mine: false })).node;

describe('fetched blocks are prepared before the chain checks them', { timeout: HANG_GUARD_MS }, () => {
  it('every signature of the fetched blocks is answered by the priming, none by the fallback engine', async () => {
    expect(await webcryptoEd25519Available()).toBe(true);
    const net = testNetwork('node-prepare', 1, T0);
    const hub = v.clock.hub();
    const a = await servingNode(net, hub);
    const slow = new Set<string>();
    let primed = 0;
    const fallback = {
      verify(s: Uint8Array, m: Uint8Array, p: Uint8Array) {
        slow.add(toHex(m));
        return nobleVerifier.verify(s, m, p);
      },
    };
    // WebCrypto, as in Node's default engine, held by the clock.
    const b = await joiningNode(
      net,
      hub,
      primedVerifier(fallback, undefined, (items) => ((primed += items.length), v.clock.outside(inThreadBatchVerifier(items)))),
    );
    await v.clock.runUntil(() => b.chain.tip.key === a.chain.tip.key, 20_000, 'the joining node on the serving tip');
    // Votes reach the joining node by gossip too (checked there by the agreement layer): only block-only transactions count.
    const fetched = b.chain.activeBlocks(1).flatMap((n) => n.block.txs.filter((t) => t.kind !== TxKind.Approval));
    expect(fetched.length).toBeGreaterThanOrEqual(3);
    expect(primed).toBeGreaterThanOrEqual(fetched.length);
    expect(fetched.filter((t) => slow.has(toHex(txSigningMessage(net.network, txId(t)))))).toEqual([]);
  });

  it('a priming that fails leaves the checks to the fallback: the node still catches up', async () => {
    const net = testNetwork('node-prepare-fail', 1, T0);
    const hub = v.clock.hub();
    const a = await servingNode(net, hub);
    let primes = 0;
    const failing: LoadVerifier = {
      verify: nobleVerifier.verify,
      prime: () => {
        primes++;
        return Promise.reject(new Error('engine gone'));
      },
    };
    const b = await joiningNode(net, hub, failing);
    await v.clock.runUntil(() => b.chain.tip.key === a.chain.tip.key, 20_000, 'the joining node on the serving tip');
    expect(primes).toBeGreaterThan(0);
    expect(b.driver.stats.errors).toBe(0);
  });
});
