/**
 * Node-runtime test nodes over the in-memory twins: a MemoryChainStore whose
 * data outlives the node (a closed and reopened tab), the in-memory
 * transport and the in-memory miner.
 */
import { webcrypto } from 'node:crypto';
import { MemoryMiner } from '../../../src/lib/adapters/miner/memory';
import { MemoryHub, MemoryTransport } from '../../../src/lib/adapters/net/memory-transport';
import { MemoryChainStore, MemoryStoreData } from '../../../src/lib/adapters/store/memory';
import { toHex } from '../../../src/lib/core/bytes';
import { FullNode } from '../../../src/lib/node/node';
import type { NodeDeps } from '../../../src/lib/node/types';
import type { Key, TestNetwork } from '../../shared/node-network';

export const randomBytes = (n: number) => webcrypto.getRandomValues(new Uint8Array(n));

export interface TestNodeOptions {
  readonly data?: MemoryStoreData;
  readonly validator?: Key | null;
  readonly mine?: boolean;
}

export async function startTestNode(hub: MemoryHub, net: TestNetwork, o: TestNodeOptions = {}): Promise<{ node: FullNode; data: MemoryStoreData }> {
  const data = o.data ?? new MemoryStoreData();
  const deps: NodeDeps = {
    store: new MemoryChainStore(data),
    transport: (key) => new MemoryTransport(hub, toHex(key.pub)),
    miner: new MemoryMiner(),
    params: net.params,
    genesis: net.genesis,
    now: Date.now,
    randomBytes,
    validatorKey: o.validator ?? null,
    mine: o.mine,
    stepMs: 50,
    resendMs: 300,
  };
  return { node: await FullNode.start(deps), data };
}

export const sec = () => Math.floor(Date.now() / 1000);
