import { describe, expect, it } from 'vitest';
import { InvKind, MsgType } from '../../../../src/lib/core/net/messages';
import { txId } from '../../../../src/lib/core/tx';
import { recordTx, T0 } from '../helpers';
import { baseBlocks, fullMesh, makeNodes, mine, sameTip } from './fixtures';
import { ScriptedPeer } from './scripted-peer';
import { SimNet } from './sim-net';

describe('catching up', () => {
  it('a node joining after 200 blocks fetches headers once and each missing block about once, from several peers', () => {
    const net = new SimNet('late-joiner');
    const blocks = baseBlocks(200);
    const old = makeNodes(net, 'old', 4, { blocks });
    fullMesh(net, old);
    const [late] = makeNodes(net, 'late', 1);
    for (const o of old) net.connect(late!.id, o.id);
    expect(net.run(() => sameTip([...old, late!]), 120_000)).toBe(true);
    const chain = late!.mesh.chain;
    expect(chain.height).toBe(200);
    expect(chain.tip.key).toBe(old[0]!.mesh.chain.tip.key);
    // Transfer close to what was missing, not 200 × 4 peers.
    const blocksIn = net.count(late!.id, MsgType.Block);
    expect(blocksIn).toBeGreaterThanOrEqual(200);
    expect(blocksIn).toBeLessThanOrEqual(210);
    expect(late!.mesh.blocksFetched).toBe(200);
    expect(net.count(late!.id, MsgType.Headers)).toBeLessThanOrEqual(2);
    // Spread: every peer served a share.
    const shares = old.map((o) => net.countFrom(o.id, late!.id, MsgType.Block));
    expect(shares.filter((n) => n >= 20).length).toBeGreaterThanOrEqual(3);
    // It does not echo the blocks it fetched back as announcements.
    expect(old.reduce((n, o) => n + net.countFrom(late!.id, o.id, MsgType.Tip), 0)).toBe(0);
    // The old nodes were not made to download anything.
    for (const o of old) expect(net.count(o.id, MsgType.Block)).toBe(0);
    expect(net.disconnects).toEqual([]);
  });

  it('more than one headers message (over 500 blocks) is followed to the end', () => {
    const net = new SimNet('long');
    const blocks = baseBlocks(620);
    const [a] = makeNodes(net, 'long-a', 1, { blocks });
    const [b] = makeNodes(net, 'long-b', 1);
    net.connect(a!.id, b!.id);
    expect(net.run(() => sameTip([a!, b!]), 300_000)).toBe(true);
    expect(net.count(b!.id, MsgType.Headers)).toBe(2);
    expect(net.count(b!.id, MsgType.Block)).toBe(620);
  });

  it('a node back from offline catches up, and its offline transactions reach the others and a block', () => {
    const net = new SimNet('offline');
    const nodes = makeNodes(net, 'off', 3, { blocks: baseBlocks(20) });
    const [a, b, c] = nodes as [(typeof nodes)[0], (typeof nodes)[0], (typeof nodes)[0]];
    fullMesh(net, nodes);
    net.runFor(2000);
    net.cut(c.id, a.id);
    net.cut(c.id, b.id);
    for (let i = 0; i < 30; i++) {
      mine(net, a);
      net.runFor(200);
    }
    expect(net.run(() => sameTip([a, b]), 30_000)).toBe(true);
    // Offline writes: kept in c's pool.
    const txs = [0, 1, 2].map((i) => recordTx(T0 + 100 + i));
    for (const tx of txs) expect(c.mesh.submitTx(tx, net.now).result.status).toBe('added');
    expect(c.mesh.chain.height).toBe(20);
    net.connect(c.id, a.id);
    net.connect(c.id, b.id);
    expect(net.run(() => sameTip(nodes) && [a, b].every((n) => n.mesh.chain.pending.size === 3), 60_000)).toBe(true);
    expect(c.mesh.chain.height).toBe(50);
    expect(net.count(c.id, MsgType.Block)).toBeLessThanOrEqual(32);
    // The next block carries them, everywhere.
    const block = mine(net, b, b.mesh.chain.selectForBlock(b.mesh.chain.tip.header.time + 5));
    expect(block.txs.length).toBe(3);
    expect(net.run(() => sameTip(nodes), 30_000)).toBe(true);
    for (const n of nodes) expect(n.mesh.chain.pending.size).toBe(0);
  });

  it('requests a silent peer leaves unanswered go to another peer after the timeout; the silent one loses points', () => {
    const net = new SimNet('stall');
    const blocks = baseBlocks(60);
    const [honest] = makeNodes(net, 'stall-honest', 1, { blocks });
    const [late] = makeNodes(net, 'stall-late', 1);
    const silent = new ScriptedPeer(net, 'stall');
    const top = honest!.mesh.chain.tip;
    net.connect(silent.id, late!.id);
    silent.send(late!.id, silent.hello(late!.mesh.chain, { tipHash: top.hash, tipHeight: 60, tipWork: top.chainWork }));
    net.runFor(100);
    net.connect(honest!.id, late!.id);
    expect(net.run(() => sameTip([honest!, late!]), 120_000)).toBe(true);
    const askedOfSilent = silent.received(MsgType.GetBlocks).flatMap((m) => m.hashes).length;
    expect(askedOfSilent).toBeGreaterThan(0);
    expect(net.count(late!.id, MsgType.Block)).toBe(60); // all from the honest peer, each once
    expect(late!.mesh.scores.score(silent.id, net.now)).toBeGreaterThan(0);
    expect(net.disconnects).toEqual([]);
  });

  it('a serving peer leaving mid-sync: what it was asked goes to the others', () => {
    const net = new SimNet('leave');
    const old = makeNodes(net, 'leave-old', 3, { blocks: baseBlocks(200) });
    fullMesh(net, old);
    const [late] = makeNodes(net, 'leave-late', 1);
    for (const o of old) net.connect(late!.id, o.id);
    expect(net.run(() => late!.mesh.chain.height > 0, 60_000)).toBe(true);
    expect(late!.mesh.chain.height).toBeLessThan(200);
    net.cut(late!.id, old[0]!.id);
    expect(net.run(() => sameTip([...old, late!]), 60_000)).toBe(true);
    expect(net.count(late!.id, MsgType.Block)).toBeLessThanOrEqual(200 + late!.mesh.config.blocksPerPeer);
  });

  it('a peer that stops answering pings is dropped without a ban; live peers stay', () => {
    const net = new SimNet('ping');
    const [a, b] = makeNodes(net, 'ping', 2);
    net.connect(a!.id, b!.id);
    const mute = new ScriptedPeer(net, 'mute');
    net.connect(mute.id, a!.id);
    mute.send(a!.id, mute.hello(a!.mesh.chain));
    net.runFor(200_000);
    expect(mute.received(MsgType.Ping).length).toBe(1);
    expect(net.disconnects).toEqual([{ by: a!.id, peer: mute.id, fault: null, banned: false }]);
    expect(net.connected(a!.id, b!.id)).toBe(true);
    expect(a!.mesh.scores.isBanned(mute.id, net.now)).toBe(false);
  });

  it('more offline transactions than the rate burst are all fetched, and nobody is banned for sending them', () => {
    const net = new SimNet('many-offline');
    // A small burst (20) so that a few dozen transactions exceed it.
    const [a, b] = makeNodes(net, 'many', 2, { blocks: baseBlocks(2), config: { rateBurst: 20, ratePerSecond: 5 } });
    const n = 60;
    for (let i = 0; i < n; i++) expect(b!.mesh.submitTx(recordTx(T0 + 200 + i), net.now).result.status).toBe('added');
    net.connect(a!.id, b!.id);
    expect(net.run(() => a!.mesh.chain.pending.size === n, 60_000)).toBe(true);
    expect(net.count(a!.id, MsgType.Tx)).toBe(n);
    expect(net.disconnects).toEqual([]);
  });

  it('a transaction asked of a peer that never sends it is fetched from another peer that announced it', () => {
    const net = new SimNet('tx-retry');
    const [victim, holder] = makeNodes(net, 'tx-retry', 2);
    const tx = recordTx(T0 + 300);
    expect(holder!.mesh.submitTx(tx, net.now).result.status).toBe('added');
    const liar = new ScriptedPeer(net, 'tx-retry');
    net.connect(liar.id, victim!.id);
    liar.send(victim!.id, liar.hello(victim!.mesh.chain));
    liar.send(victim!.id, { type: MsgType.Inv, items: [{ kind: InvKind.Tx, hash: txId(tx) }] });
    net.runFor(100);
    expect(liar.received(MsgType.GetTxs).length).toBe(1);
    net.connect(holder!.id, victim!.id);
    net.runFor(1000);
    expect(victim!.mesh.chain.pending.size).toBe(0); // still waiting for the liar
    expect(net.run(() => victim!.mesh.chain.pending.size === 1, 20_000)).toBe(true);
    expect(net.count(holder!.id, MsgType.GetTxs)).toBe(1);
    expect(liar.received(MsgType.GetTxs).length).toBe(1);
  });
});
