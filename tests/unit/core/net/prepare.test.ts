/**
 * Blocks prepared ahead of the chain (issue 7): with `prepareBlocks` on, the
 * mesh hands fetched blocks to the transport in `prepare-blocks` actions and
 * lets them join the chain only after the matching `prepared` event; the
 * download goes on meanwhile, in few large requests.
 */
import { describe, expect, it } from 'vitest';
import { type Block, blockHash } from '../../../../src/lib/core/block';
import { toHex } from '../../../../src/lib/core/bytes';
import { blockSignatureChecks } from '../../../../src/lib/core/net/block-signatures';
import type { NetAction, NetEvent } from '../../../../src/lib/core/net/events';
import { MeshNode } from '../../../../src/lib/core/net/mesh';
import { MsgType, NodeRole } from '../../../../src/lib/core/net/messages';
import { nobleVerifier, type SignatureVerifier } from '../../../../src/lib/core/signature';
import { TEST_PARAMS } from '../../../../src/lib/core/params';
import { addOk, extend, makeKeys, newChain, recordTx, T0 } from '../helpers';
import { GENESIS, baseBlocks, makeNodes, sameTip } from './fixtures';
import { SimNet } from './sim-net';

/** `n` blocks of `perBlock` signed record transactions each, on GENESIS. */
function signedBlocks(n: number, perBlock: number): Block[] {
  const c = newChain(TEST_PARAMS, GENESIS);
  const out: Block[] = [];
  for (let i = 0; i < n; i++) {
    const b = extend(c, c.tip, { txs: Array.from({ length: perBlock }, (_, j) => recordTx(T0 + i * 5 + 1, undefined, 300 + j)) });
    addOk(c, b);
    out.push(b);
  }
  return out;
}

const checkKey = (s: Uint8Array, m: Uint8Array, p: Uint8Array) => `${toHex(s)}/${toHex(m)}/${toHex(p)}`;

describe('preparing fetched blocks', () => {
  it('fetched blocks wait for `prepared`, then join in order; the chain checks only signatures the preparing listed', () => {
    const net = new SimNet('prepare');
    const blocks = signedBlocks(40, 3);
    const [old] = makeNodes(net, 'prepare-old', 1, { blocks });
    // The late node's chain answers from what was "prepared" (listed) and counts anything else.
    const listed = new Set<string>();
    let unlisted = 0;
    const verifier: SignatureVerifier = {
      verify(s, m, p) {
        if (!listed.has(checkKey(s, m, p))) unlisted++;
        return nobleVerifier.verify(s, m, p);
      },
    };
    const [key] = makeKeys('prepare-late', 1);
    const mesh = new MeshNode({ chain: newChain(TEST_PARAMS, GENESIS, { verifier }), nodeId: key!.pub, role: NodeRole.Member, prepareBlocks: true });
    const id = toHex(key!.pub);
    let release = false;
    const held: string[] = [];
    const prepared: string[] = [];
    const endpoint = {
      handle(event: NetEvent): NetAction[] {
        const actions = mesh.handle(event);
        for (const a of actions)
          if (a.kind === 'prepare-blocks') {
            for (const { key: k, block } of a.blocks) {
              held.push(k);
              for (const c of blockSignatureChecks(block, blockHash(GENESIS))) listed.add(checkKey(c.signature, c.message, c.publicKey));
            }
            const keys = a.blocks.map((b) => b.key);
            const answer = () => {
              prepared.push(...keys);
              net.deliver(id, { kind: 'prepared', keys, now: net.now });
            };
            if (release) net.at(net.now + 3, answer);
            else net.at(net.now + 5_000, answer);
          }
        return actions.filter((a) => a.kind !== 'prepare-blocks');
      },
    };
    net.add(id, endpoint);
    net.connect(id, old!.id);
    // Blocks arrive and are held: none joins the chain before its `prepared`.
    expect(net.run(() => held.length >= 40, 4_000)).toBe(true);
    expect(mesh.chain.height).toBe(0);
    expect(mesh.blocksFetched).toBe(40);
    release = true;
    expect(net.run(() => mesh.chain.tip.key === old!.mesh.chain.tip.key, 60_000)).toBe(true);
    // Each block was prepared once, and the chain checked every signature (3 per block), all of them listed.
    expect(new Set(held).size).toBe(40);
    expect(held.length).toBe(40);
    expect(prepared.length).toBe(40);
    expect(unlisted).toBe(0);
  });

  it('a `prepared` naming a block never held, or one already in the chain, changes nothing', () => {
    const net = new SimNet('prepare-late');
    const [old] = makeNodes(net, 'prepare-late-old', 1, { blocks: baseBlocks(10) });
    const [key] = makeKeys('prepare-late-new', 1);
    const mesh = new MeshNode({ chain: newChain(TEST_PARAMS, GENESIS), nodeId: key!.pub, role: NodeRole.Member, prepareBlocks: true });
    const id = toHex(key!.pub);
    const endpoint = {
      handle(event: NetEvent): NetAction[] {
        const actions = mesh.handle(event);
        for (const a of actions)
          if (a.kind === 'prepare-blocks') {
            const keys = a.blocks.map((b) => b.key);
            net.at(net.now + 1, () => net.deliver(id, { kind: 'prepared', keys: [...keys, 'ff'.repeat(32)], now: net.now }));
          }
        return actions;
      },
    };
    net.add(id, endpoint);
    net.connect(id, old!.id);
    expect(net.run(() => mesh.chain.height === 10, 30_000)).toBe(true);
    // Prepared again, after the fact: nothing changes.
    net.deliver(id, { kind: 'prepared', keys: [mesh.chain.tip.key], now: net.now });
    expect(mesh.chain.height).toBe(10);
    expect(net.disconnects).toEqual([]);
  });

  it('a late node asks for 620 blocks from one peer in a few dozen requests, not one per block', () => {
    const net = new SimNet('few-requests');
    const [a] = makeNodes(net, 'few-a', 1, { blocks: baseBlocks(620) });
    const [b] = makeNodes(net, 'few-b', 1);
    net.connect(a!.id, b!.id);
    expect(net.run(() => sameTip([a!, b!]), 300_000)).toBe(true);
    expect(net.count(b!.id, MsgType.Block)).toBe(620);
    // Each request carries at least blocksRefill (16) hashes, bar the last of a headers batch.
    expect(net.countFrom(b!.id, a!.id, MsgType.GetBlocks)).toBeLessThanOrEqual(620 / 16 + 4);
  });
});
