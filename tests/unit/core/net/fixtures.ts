/**
 * Shared fixtures for the mesh tests: one genesis, a prebuilt chain of
 * blocks on it (mined once per test file), and mesh nodes that each hold
 * their own ChainState with the chain-mechanics rules (no ledger).
 */
import type { Block } from '../../../../src/lib/core/block';
import { toHex } from '../../../../src/lib/core/bytes';
import { MeshNode } from '../../../../src/lib/core/net/mesh';
import type { MeshConfig } from '../../../../src/lib/core/net/config';
import type { VoteCheck } from '../../../../src/lib/core/net/events';
import type { CertificateSource } from '../../../../src/lib/core/net/gossip';
import { NodeRole } from '../../../../src/lib/core/net/messages';
import { TEST_PARAMS } from '../../../../src/lib/core/params';
import type { Tx } from '../../../../src/lib/core/tx';
import { type Key, extend, makeGenesis, makeKeys, newChain, addOk } from '../helpers';
import type { SimNet } from './sim-net';

export const GENESIS: Block = makeGenesis(TEST_PARAMS);

const prebuilt: Block[] = [];

/** The first `n` blocks of one fixed chain on {@link GENESIS} (mined once, then reused). */
export function baseBlocks(n: number): Block[] {
  if (prebuilt.length < n) {
    const c = newChain(TEST_PARAMS, GENESIS);
    for (const b of prebuilt) addOk(c, b);
    while (c.height < n) {
      const b = extend(c, c.tip);
      addOk(c, b);
      prebuilt.push(b);
    }
  }
  return prebuilt.slice(0, n);
}

export interface TestNode {
  readonly id: string;
  readonly key: Key;
  readonly mesh: MeshNode;
}

export interface NodeOptions {
  readonly blocks?: readonly Block[];
  readonly config?: Partial<MeshConfig>;
  readonly checkVote?: VoteCheck;
  readonly certificate?: CertificateSource;
  readonly awaitedBlock?: () => string | null;
}

/** `n` nodes with keys from `seed`, added to `net`, each holding `blocks` already. */
export function makeNodes(net: SimNet, seed: string, n: number, opts: NodeOptions = {}): TestNode[] {
  return makeKeys(`mesh/${seed}`, n).map((key) => {
    const chain = newChain(TEST_PARAMS, GENESIS);
    for (const b of opts.blocks ?? []) addOk(chain, b);
    const mesh = new MeshNode({
      chain,
      nodeId: key.pub,
      role: NodeRole.Hospital,
      config: opts.config,
      checkVote: opts.checkVote,
      certificate: opts.certificate,
      awaitedBlock: opts.awaitedBlock,
    });
    const id = toHex(key.pub);
    net.add(id, mesh);
    return { id, key, mesh };
  });
}

/** Connects every pair. */
export function fullMesh(net: SimNet, nodes: readonly TestNode[]): void {
  for (let i = 0; i < nodes.length; i++) for (let j = i + 1; j < nodes.length; j++) net.connect(nodes[i]!.id, nodes[j]!.id);
}

/** Mines one block on the node's tip (its key as miner) and submits it; returns the block. */
export function mine(net: SimNet, node: TestNode, txs: readonly Tx[] = []): Block {
  const chain = node.mesh.chain;
  const block = extend(chain, chain.tip, { miner: node.key, txs });
  const { result, actions } = node.mesh.submitBlock(block, net.now);
  if (result.status !== 'accepted') throw new Error(`own block not accepted: ${result.status}`);
  net.perform(node.id, actions);
  return block;
}

/** Whether every node has the same tip. */
export function sameTip(nodes: readonly TestNode[]): boolean {
  const k = nodes[0]!.mesh.chain.tip.key;
  return nodes.every((n) => n.mesh.chain.tip.key === k);
}
