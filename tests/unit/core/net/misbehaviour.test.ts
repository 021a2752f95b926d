import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { blockHash } from '../../../../src/lib/core/block';
import { toHex } from '../../../../src/lib/core/bytes';
import { CHUNK_BYTES } from '../../../../src/lib/core/net/chunk';
import { MsgType, PROTOCOL_VERSION, RejectCode } from '../../../../src/lib/core/net/messages';
import { TEST_PARAMS } from '../../../../src/lib/core/params';
import { addOk, extend, keyOf, mutate, newChain, recordTx, T0, withHighHash } from '../helpers';
import { GENESIS, baseBlocks, fullMesh, makeNodes, mine, sameTip, type TestNode } from './fixtures';
import { ScriptedPeer } from './scripted-peer';
import { SimNet } from './sim-net';

interface World {
  net: SimNet;
  honest: TestNode[];
  victim: TestNode;
  bad: ScriptedPeer;
}

/** Three honest nodes at height 10; a scripted peer connected to the first (the victim), hello said. */
function world(seed: string, hello = true): World {
  const net = new SimNet(`bad/${seed}`);
  const honest = makeNodes(net, `bad/${seed}`, 3, { blocks: baseBlocks(10) });
  fullMesh(net, honest);
  const victim = honest[0]!;
  const bad = new ScriptedPeer(net, seed);
  net.connect(bad.id, victim.id);
  if (hello) bad.send(victim.id, bad.hello(victim.mesh.chain));
  net.runFor(200);
  return { net, honest, victim, bad };
}

/** The ban the victim placed on the scripted peer, after which the honest nodes still agree on new blocks. */
function expectBanned(w: World, fault: string): void {
  w.net.runFor(1000);
  expect(w.net.disconnects).toEqual([{ by: w.victim.id, peer: w.bad.id, fault, banned: true }]);
  expect(w.honest.some((n) => n.mesh.scores.score(w.bad.id, w.net.now) > 0 || (n.mesh.scores.isBanned(w.bad.id, w.net.now) && n !== w.victim))).toBe(false);
  expect(w.net.connected(w.bad.id, w.victim.id)).toBe(false);
  expect(w.victim.mesh.scores.isBanned(w.bad.id, w.net.now)).toBe(true);
  expect(w.bad.received(MsgType.Reject).length).toBe(1);
  // It cannot come straight back.
  w.net.connect(w.bad.id, w.victim.id);
  w.net.runFor(10);
  expect(w.net.connected(w.bad.id, w.victim.id)).toBe(false);
  expect(w.net.disconnects.length).toBe(2);
  expect(w.net.disconnects[1]).toEqual({ by: w.victim.id, peer: w.bad.id, fault: null, banned: true });
  // The others carry on.
  for (let i = 0; i < 3; i++) {
    mine(w.net, w.honest[i]!);
    w.net.runFor(300);
  }
  expect(w.net.run(() => sameTip(w.honest), 10_000)).toBe(true);
  expect(w.victim.mesh.chain.height).toBe(13);
}

describe('misbehaving peers', () => {
  it('garbage bytes: banned as MALFORMED', () => {
    const w = world('garbage');
    w.bad.sendRaw(w.victim.id, [new Uint8Array([0, 99, 1, 2, 3])]);
    expectBanned(w, 'MALFORMED');
  });

  it('a message before hello: banned as PROTOCOL', () => {
    const w = world('early', false);
    w.bad.send(w.victim.id, { type: MsgType.Ping, nonce: 1 });
    expectBanned(w, 'PROTOCOL');
  });

  it('a hello naming another node key: banned as PROTOCOL', () => {
    const w = world('impostor', false);
    w.bad.send(w.victim.id, w.bad.hello(w.victim.mesh.chain, { nodeId: w.honest[1]!.key.pub }));
    expectBanned(w, 'PROTOCOL');
  });

  it('a chunked message announcing more than the largest message: banned as OVERSIZE at its first chunk', () => {
    const w = world('oversize');
    const f = new Uint8Array(13 + CHUNK_BYTES);
    const v = new DataView(f.buffer);
    f[0] = 1;
    f[13] = MsgType.Blob; // the type: blobs have the largest cap
    v.setUint32(1, 0);
    v.setUint16(5, 0);
    // Over the largest message of any type (a blob message of up to 10 MB plus framing).
    v.setUint16(7, 170);
    v.setUint32(9, 170 * CHUNK_BYTES);
    w.bad.sendRaw(w.victim.id, [f]);
    expectBanned(w, 'OVERSIZE');
  });

  it('an unchunked frame above 64 KiB: banned as OVERSIZE', () => {
    const w = world('oversize-whole');
    w.bad.sendRaw(w.victim.id, [new Uint8Array(CHUNK_BYTES + 100)]);
    expectBanned(w, 'OVERSIZE');
  });

  it('a tip whose header misses its target: banned as INVALID_HEADER', () => {
    const w = world('high-hash');
    const chain = w.victim.mesh.chain;
    const block = withHighHash(extend(chain, chain.tip));
    w.bad.send(w.victim.id, { type: MsgType.Tip, header: block.header, work: chain.tip.chainWork + 1000n, finalHeight: 0 });
    expectBanned(w, 'INVALID_HEADER');
  });

  it('a block with a forged transaction signature (genuine header): banned as INVALID_BLOCK, the header stays wanted', () => {
    const w = world('bad-sig');
    const chain = w.victim.mesh.chain;
    const good = extend(chain, chain.tip, { txs: [recordTx(T0 + 60)] });
    const forged = mutate(good, { txs: (t) => [{ ...t[0]!, signature: t[0]!.signature.map((b, i) => (i === 0 ? b ^ 1 : b)) }] });
    expect(toHex(blockHash(forged))).toBe(toHex(blockHash(good)));
    w.bad.send(w.victim.id, { type: MsgType.Tip, header: good.header, work: chain.tip.chainWork + 1n, finalHeight: 0 });
    w.net.runFor(200);
    const ask = w.bad.received(MsgType.GetBlocks);
    expect(ask.map((m) => m.hashes.map(toHex))).toEqual([[toHex(blockHash(good))]]);
    w.bad.send(w.victim.id, { type: MsgType.Block, block: forged, size: 0 });
    w.net.runFor(200);
    expect(w.victim.mesh.headers.get(toHex(blockHash(good)))).toBeDefined();
    expectBanned(w, 'INVALID_BLOCK');
  });

  it('a block breaking a chain rule (time not after the median): banned as INVALID_BLOCK, its branch forgotten', () => {
    const w = world('too-old');
    const chain = w.victim.mesh.chain;
    const bad = mutate(extend(chain, chain.tip), { header: { time: chain.tip.medianTimePast }, remine: true });
    const key = toHex(blockHash(bad));
    w.bad.send(w.victim.id, { type: MsgType.Tip, header: bad.header, work: chain.tip.chainWork + 1n, finalHeight: 0 });
    w.net.runFor(200);
    w.bad.send(w.victim.id, { type: MsgType.Block, block: bad, size: 0 });
    w.net.runFor(200);
    expect(w.victim.mesh.headers.get(key)).toBeUndefined();
    expect(chain.get(key)).toBeUndefined();
    expectBanned(w, 'INVALID_BLOCK');
  });

  it('requests for data well above the unsolicited rate are not spam (a node catching up asks for thousands of blocks)', () => {
    const w = world('catching-up');
    const tip = w.victim.mesh.chain.tip;
    for (let i = 0; i < 1500; i++) w.bad.send(w.victim.id, { type: MsgType.GetBlocks, hashes: [tip.hash] });
    w.net.runFor(200);
    expect(w.net.disconnects).toEqual([]);
    expect(w.bad.received(MsgType.Block).length).toBe(1500);
    // Beyond the request allowance it is spam too.
    for (let i = 0; i < 5000; i++) w.bad.send(w.victim.id, { type: MsgType.GetBlocks, hashes: [tip.hash] });
    expectBanned(w, 'SPAM');
  });

  it('spam above the rate: banned as SPAM', () => {
    const w = world('spam');
    for (let i = 0; i < 600; i++) w.bad.send(w.victim.id, { type: MsgType.Ping, nonce: i });
    expectBanned(w, 'SPAM');
    // The burst (500, hello included, plus what refilled while the pings arrived) was served, then the peer was cut off.
    const pongs = w.bad.received(MsgType.Pong).length;
    expect(pongs).toBeGreaterThanOrEqual(499);
    expect(pongs).toBeLessThan(520);
  });

  it('duplicate honest traffic costs nothing: the same transaction, tip and block again', () => {
    const w = world('dupes');
    const chain = w.victim.mesh.chain;
    const tx = recordTx(T0 + 70);
    for (let i = 0; i < 5; i++) w.bad.send(w.victim.id, { type: MsgType.Tx, tx });
    const next = extend(chain, chain.tip);
    for (let i = 0; i < 2; i++) w.bad.send(w.victim.id, { type: MsgType.Tip, header: next.header, work: chain.tip.chainWork + 1n, finalHeight: 0 });
    w.net.runFor(300);
    for (let i = 0; i < 3; i++) w.bad.send(w.victim.id, { type: MsgType.Block, block: next, size: 0 });
    w.net.runFor(2000);
    expect(chain.tip.key).toBe(toHex(blockHash(next)));
    expect(chain.pending.size).toBe(1);
    expect(w.victim.mesh.scores.score(w.bad.id, w.net.now)).toBe(0);
    expect(w.net.disconnects).toEqual([]);
    // The others got the block and the transaction from the victim.
    expect(w.net.run(() => sameTip(w.honest) && w.honest.every((n) => n.mesh.chain.pending.size === 1), 10_000)).toBe(true);
  });

  it('unasked headers and a refused transaction cost points but no ban', () => {
    const w = world('small');
    w.bad.send(w.victim.id, { type: MsgType.Headers, headers: [] });
    const tx = recordTx(T0 + 80);
    w.bad.send(w.victim.id, { type: MsgType.Tx, tx: { ...tx, signature: new Uint8Array(64) } });
    w.net.runFor(500);
    expect(w.victim.mesh.scores.score(w.bad.id, w.net.now)).toBe(30);
    expect(w.net.disconnects).toEqual([]);
    expect(w.bad.received(MsgType.Reject).filter((r) => r.code !== RejectCode.NotFound)).toEqual([]);
  });

  it('any frames from a peer never make the node throw, and honest peers still sync with it', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 300 }), { minLength: 1, maxLength: 12 }), fc.boolean(), (frames, tagged) => {
        const net = new SimNet('fuzz', [1, 5]);
        const [victim, other] = makeNodes(net, 'fuzz', 2, { blocks: baseBlocks(3) });
        const bad = new ScriptedPeer(net, 'fuzz');
        net.connect(bad.id, victim!.id);
        bad.send(victim!.id, bad.hello(victim!.mesh.chain));
        // Tag 0 makes most frames whole messages, reaching the decoder rather than the framing.
        bad.sendRaw(victim!.id, tagged ? frames.map((f) => Uint8Array.from([0, ...f])) : frames);
        net.runFor(1000);
        net.connect(victim!.id, other!.id);
        mine(net, other!);
        expect(net.run(() => sameTip([victim!, other!]), 10_000)).toBe(true);
      }),
      { numRuns: 60 },
    );
  });

  it('headers of a better chain whose blocks are withheld do not stop the node announcing its own blocks', () => {
    const w = world('withhold');
    const chain = w.victim.mesh.chain;
    const b11 = extend(chain, chain.tip);
    const shadow = newChain(TEST_PARAMS, GENESIS);
    for (const b of [...baseBlocks(10), b11]) addOk(shadow, b);
    const b12 = extend(shadow, shadow.tip);
    for (const b of [b11, b12]) w.bad.send(w.victim.id, { type: MsgType.Tip, header: b.header, work: 0n, finalHeight: 0 });
    w.net.runFor(300);
    expect(w.victim.mesh.headers.best()!.key).toBe(keyOf(b12));
    const mined = mine(w.net, w.victim);
    expect(w.net.run(() => w.honest.every((n) => n.mesh.chain.tip.key === keyOf(mined)), 2000)).toBe(true);
  });

  it('a peer of another network or protocol version is refused with a code, without a ban', () => {
    for (const [claim, code] of [
      [{ networkId: 'medchain-other' }, RejectCode.WrongNetwork],
      [{ genesis: new Uint8Array(32) }, RejectCode.WrongNetwork],
      [{ version: PROTOCOL_VERSION + 1 }, RejectCode.BadVersion],
    ] as const) {
      const w = world(`refuse-${code}-${Object.keys(claim)[0]}`, false);
      w.bad.send(w.victim.id, w.bad.hello(w.victim.mesh.chain, claim));
      w.net.runFor(500);
      expect(w.net.disconnects).toEqual([{ by: w.victim.id, peer: w.bad.id, fault: null, banned: false }]);
      expect(w.bad.received(MsgType.Reject).map((r) => r.code)).toEqual([code]);
      expect(w.victim.mesh.scores.isBanned(w.bad.id, w.net.now)).toBe(false);
    }
  });
});
