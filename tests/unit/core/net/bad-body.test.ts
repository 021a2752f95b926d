/**
 * Issue 13 (#11) through the mesh: peers relaying the same block with a
 * forged signature (genuine header) cost the node one signature check in
 * all, not one per delivery, and are each scored and banned as today; the
 * header stays wanted and the genuine block is accepted from an honest peer.
 * With `prepareBlocks` on, the remembered body is not handed to the
 * transport for preparing again.
 */
import { describe, expect, it } from 'vitest';
import { toHex } from '../../../../src/lib/core/bytes';
import type { NetAction, NetEvent } from '../../../../src/lib/core/net/events';
import { MeshNode } from '../../../../src/lib/core/net/mesh';
import { MsgType, NodeRole } from '../../../../src/lib/core/net/messages';
import { TEST_PARAMS } from '../../../../src/lib/core/params';
import { nobleVerifier } from '../../../../src/lib/core/signature';
import { T0, addOk, extend, flipBit, keyOf, makeKeys, mutate, newChain, recordTx } from '../helpers';
import { GENESIS, baseBlocks } from './fixtures';
import { ScriptedPeer } from './scripted-peer';
import { SimNet } from './sim-net';

function world(seed: string, prepareBlocks: boolean) {
  const net = new SimNet(`bad-body/${seed}`);
  const verifier = { calls: 0, verify: (s: Uint8Array, m: Uint8Array, p: Uint8Array) => (verifier.calls++, nobleVerifier.verify(s, m, p)) };
  const chain = newChain(TEST_PARAMS, GENESIS, { verifier });
  for (const b of baseBlocks(10)) addOk(chain, b);
  const [key] = makeKeys(`bad-body/${seed}`, 1);
  const mesh = new MeshNode({ chain, nodeId: key!.pub, role: NodeRole.Hospital, prepareBlocks });
  const id = toHex(key!.pub);
  /** Keys of the blocks handed out for preparing, in order. */
  const prepared: string[] = [];
  net.add(id, {
    handle(event: NetEvent): NetAction[] {
      const actions = mesh.handle(event);
      for (const a of actions)
        if (a.kind === 'prepare-blocks') {
          const keys = a.blocks.map((b) => b.key);
          prepared.push(...keys);
          net.at(net.now + 1, () => net.deliver(id, { kind: 'prepared', keys, now: net.now }));
        }
      return actions.filter((a) => a.kind !== 'prepare-blocks');
    },
  });
  const peers = ['first', 'second', 'honest'].map((name) => {
    const p = new ScriptedPeer(net, `${seed}/${name}`);
    net.connect(p.id, id);
    p.send(id, p.hello(chain));
    return p;
  }) as [ScriptedPeer, ScriptedPeer, ScriptedPeer];
  net.runFor(200);
  const genuine = extend(chain, chain.tip, { txs: [recordTx(T0 + 60)] });
  const forged = mutate(genuine, { txs: (t) => [{ ...t[0]!, signature: flipBit(t[0]!.signature, 0, 0) }] });
  expect(keyOf(forged)).toBe(keyOf(genuine));
  return { net, verifier, chain, mesh, id, prepared, peers, genuine, forged };
}

describe('a forged body relayed by several peers', () => {
  it.each([
    ['without preparing', false],
    ['with preparing', true],
  ])('%s: one signature check in all, every sender banned as INVALID_BLOCK, the genuine block then accepted', (_name, prepare) => {
    const w = world(prepare ? 'prepare' : 'plain', prepare);
    const [first, second, honest] = w.peers;
    const key = keyOf(w.genuine);
    const tip = { type: MsgType.Tip, header: w.genuine.header, work: w.chain.tip.chainWork + 1n, finalHeight: 0 } as const;
    for (const p of w.peers) p.send(w.id, tip);
    w.net.runFor(200);
    const before = w.verifier.calls;
    first.send(w.id, { type: MsgType.Block, block: w.forged, size: 0 });
    w.net.runFor(200);
    expect(w.verifier.calls - before).toBe(1);
    second.send(w.id, { type: MsgType.Block, block: w.forged, size: 0 });
    w.net.runFor(200);
    // The second delivery was refused from memory: no signature checked again, nothing prepared again.
    expect(w.verifier.calls - before).toBe(1);
    expect(w.prepared).toEqual(prepare ? [key] : []);
    // Both senders scored as any sender of an invalid block; the header stays wanted.
    expect(w.net.disconnects).toEqual([
      { by: w.id, peer: first.id, fault: 'INVALID_BLOCK', banned: true },
      { by: w.id, peer: second.id, fault: 'INVALID_BLOCK', banned: true },
    ]);
    expect(w.mesh.headers.get(key)).toBeDefined();
    // The genuine block, same header hash, from an honest peer.
    honest.send(w.id, { type: MsgType.Block, block: w.genuine, size: 0 });
    w.net.runFor(200);
    expect(w.chain.tip.key).toBe(key);
    expect(w.verifier.calls - before).toBe(2);
    expect(w.net.disconnects.length).toBe(2);
  });
});
