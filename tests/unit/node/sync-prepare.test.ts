/**
 * A node catching up checks the fetched blocks' signatures ahead (issue 7):
 * with a verifier that can be primed (WebCrypto in the browser, and in Node
 * 20+), every signature of a fetched block is answered from the priming,
 * none by the slow fallback engine; a priming that fails only costs speed.
 */
import { webcrypto } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { MemoryMiner } from '../../../src/lib/adapters/miner/memory';
import { MemoryHub, MemoryTransport } from '../../../src/lib/adapters/net/memory-transport';
import { MemoryChainStore } from '../../../src/lib/adapters/store/memory';
import type { LoadVerifier } from '../../../src/lib/adapters/store/load';
import { primedVerifier, webcryptoEd25519Available } from '../../../src/lib/adapters/webcrypto-ed25519';
import { toHex } from '../../../src/lib/core/bytes';
import { nobleVerifier } from '../../../src/lib/core/signature';
import { TxKind, txId, txSigningMessage } from '../../../src/lib/core/tx';
import { FullNode } from '../../../src/lib/node/node';
import { type TestNetwork, patientTx, testNetwork } from '../../shared/node-network';
import { sec, startTestNode } from './fixture';

const running: FullNode[] = [];
afterEach(async () => {
  for (const n of running.splice(0)) await n.stop();
});

/** A node with three blocks of patient registrations, mined and alone. */
async function servingNode(net: TestNetwork, hub: MemoryHub): Promise<FullNode> {
  const { node } = await startTestNode(hub, net, { validator: net.validators[0]! });
  running.push(node);
  for (let i = 0; i < 3; i++) {
    const tx = patientTx(net, `${net.params.id}/${i}`, sec());
    await node.submitTx(tx);
    await expect.poll(() => node.chain.txHeight(toHex(txId(tx))) !== undefined, { timeout: 10_000 }).toBe(true);
  }
  await expect.poll(() => node.status().pending, { timeout: 10_000 }).toBe(0);
  return node;
}

async function joiningNode(net: TestNetwork, hub: MemoryHub, verifier: LoadVerifier): Promise<FullNode> {
  const node = await FullNode.start({
    store: new MemoryChainStore(),
    transport: (key) => new MemoryTransport(hub, toHex(key.pub)),
    miner: new MemoryMiner(),
    params: net.params,
    genesis: net.genesis,
    now: Date.now,
    randomBytes: (n) => webcrypto.getRandomValues(new Uint8Array(n)),
    verifier,
    mine: false,
    stepMs: 50,
  });
  running.push(node);
  return node;
}

describe('fetched blocks are prepared before the chain checks them', () => {
  it('every signature of the fetched blocks is answered by the priming, none by the fallback engine', async () => {
    expect(await webcryptoEd25519Available()).toBe(true);
    const net = testNetwork('node-prepare', 1, sec() - 100);
    const hub = new MemoryHub({ now: Date.now });
    const a = await servingNode(net, hub);
    const slow = new Set<string>();
    const b = await joiningNode(
      net,
      hub,
      primedVerifier({
        verify(s, m, p) {
          slow.add(toHex(m));
          return nobleVerifier.verify(s, m, p);
        },
      }),
    );
    await expect.poll(() => b.chain.tip.key, { timeout: 15_000 }).toBe(a.chain.tip.key);
    // Votes reach the joining node by gossip too (checked there by the agreement layer): only block-only transactions count.
    const fetched = b.chain.activeBlocks(1).flatMap((n) => n.block.txs.filter((t) => t.kind !== TxKind.Approval));
    expect(fetched.length).toBeGreaterThanOrEqual(3);
    expect(fetched.filter((t) => slow.has(toHex(txSigningMessage(net.network, txId(t)))))).toEqual([]);
  }, 60_000);

  it('a priming that fails leaves the checks to the fallback: the node still catches up', async () => {
    const net = testNetwork('node-prepare-fail', 1, sec() - 100);
    const hub = new MemoryHub({ now: Date.now });
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
    await expect.poll(() => b.chain.tip.key, { timeout: 15_000 }).toBe(a.chain.tip.key);
    expect(primes).toBeGreaterThan(0);
    expect(b.driver.stats.errors).toBe(0);
  }, 60_000);
});
