/**
 * Memory held for peers (issue 13, defect 5 "Memory held by silent peers"):
 * the review had twenty peers each hold a partial 10 MB "vote" and grew a
 * node by over 400 MB. Here: a chunked message is capped by its type at the
 * first chunk, nothing but a hello is read before a peer's hello, partial
 * messages stay under a per-peer and a node-wide budget (measured by the
 * node's own counter of bytes held), and a node keeps a bounded number of
 * peers, validators last refused.
 */
import { describe, expect, it } from 'vitest';
import { CHUNK_BYTES, Chunker } from '../../../../src/lib/core/net/chunk';
import type { MeshConfig } from '../../../../src/lib/core/net/config';
import { MsgType, NodeRole, RejectCode } from '../../../../src/lib/core/net/messages';
import { baseBlocks, makeNodes, mine, sameTip, type TestNode } from './fixtures';
import { ScriptedPeer } from './scripted-peer';
import { SimNet } from './sim-net';

const MB = 1024 * 1024;

/** A message of `type` and `total` bytes (type byte first, then filler), as the chunks a peer would send. */
function chunked(type: number, total: number): Uint8Array[] {
  const msg = new Uint8Array(total).fill(0x5a);
  msg[0] = type;
  return new Chunker().frames(msg);
}

interface World {
  net: SimNet;
  victim: TestNode;
  honest: TestNode;
}

/** A victim and one honest node at height 3, linked. */
function world(seed: string, config: Partial<MeshConfig> = {}): World {
  const net = new SimNet(`memory/${seed}`);
  const [victim, honest] = makeNodes(net, `memory/${seed}`, 2, { blocks: baseBlocks(3), config }) as [TestNode, TestNode];
  net.connect(victim.id, honest.id);
  net.runFor(200);
  return { net, victim, honest };
}

/** `n` scripted peers connected to the victim one after another, each having said hello (with `role`). */
function attackers(w: World, seed: string, n: number, role: NodeRole = NodeRole.Observer): ScriptedPeer[] {
  const out: ScriptedPeer[] = [];
  for (let i = 0; i < n; i++) {
    const p = new ScriptedPeer(w.net, `${seed}/${i}`);
    w.net.connect(p.id, w.victim.id);
    p.send(w.victim.id, p.hello(w.victim.mesh.chain, { role }));
    out.push(p);
    w.net.runFor(100); // hellos arrive in this order
  }
  return out;
}

/** Runs `ms`, returning the most the victim's reassembly held and reserved at any point. */
function peakDuring(w: World, ms: number): { held: number; reserved: number } {
  const peak = { held: 0, reserved: 0 };
  w.net.run(() => {
    const r = w.victim.mesh.reassembly;
    peak.held = Math.max(peak.held, r.held);
    peak.reserved = Math.max(peak.reserved, r.reserved);
    return false;
  }, ms);
  return peak;
}

/** The honest nodes still agree on a new block. */
function stillSyncs(w: World): void {
  mine(w.net, w.honest);
  expect(w.net.run(() => sameTip([w.victim, w.honest]), 10_000)).toBe(true);
}

describe('memory held for peers', () => {
  it('twenty peers each sending a 10 MB chunked "vote": each is banned as OVERSIZE at its first chunk, and nothing is held', () => {
    const w = world('votes');
    const bad = attackers(w, 'votes', 20);
    // One 10 MB message (under the old cap of every type, a blob's), all but its last chunk: a partial kept open.
    const frames = chunked(MsgType.Vote, 10 * MB).slice(0, -1);
    for (const p of bad) p.sendRaw(w.victim.id, frames);
    const peak = peakDuring(w, 2000);
    expect(peak).toEqual({ held: 0, reserved: 0 });
    const byPeer = (a: readonly unknown[], b: readonly unknown[]): number => String(a[0]).localeCompare(String(b[0]));
    expect(w.net.disconnects.map((d) => [d.peer, d.fault, d.banned]).sort(byPeer)).toEqual(bad.map((p) => [p.id, 'OVERSIZE', true]).sort(byPeer));
    for (const p of bad) expect(p.received(MsgType.Reject).map((r) => r.code)).toEqual([RejectCode.Oversize]);
    expect(w.victim.mesh.peerCount).toBe(1);
    stillSyncs(w);
  });

  it('a chunked message of a type that always fits one frame (hello, tip, headers, inventory) is OVERSIZE at its first chunk', () => {
    for (const type of [MsgType.Hello, MsgType.Tip, MsgType.Headers, MsgType.Inv, MsgType.Ping]) {
      const w = world(`small-${type}`);
      const [bad] = attackers(w, `small-${type}`, 1);
      bad!.sendRaw(w.victim.id, chunked(type, CHUNK_BYTES + 1).slice(0, 1));
      w.net.runFor(500);
      expect(w.net.disconnects).toEqual([{ by: w.victim.id, peer: bad!.id, fault: 'OVERSIZE', banned: true }]);
      expect(w.victim.mesh.reassembly.held).toBe(0);
    }
  });

  it('twenty peers each holding a near-maximal partial blob: the node-wide budget holds; messages over it are read and dropped, not faulted', () => {
    const w = world('blobs');
    const budget = w.victim.mesh.config.partialBytes;
    const bad = attackers(w, 'blobs', 20);
    const frames = chunked(MsgType.Blob, 10 * MB).slice(0, -1);
    for (const p of bad) p.sendRaw(w.victim.id, frames);
    const peak = peakDuring(w, 2000);
    expect(peak.reserved).toBeLessThanOrEqual(budget);
    expect(peak.held).toBeLessThanOrEqual(peak.reserved);
    // Four of them fit (the blobs a node fetches at once); the other sixteen were dropped as they came.
    expect(Math.floor(budget / (10 * MB))).toBe(4);
    expect(w.victim.mesh.reassembly.discarded).toBe(16);
    expect(peak.held).toBe(4 * (10 * MB - CHUNK_BYTES));
    expect(w.net.disconnects).toEqual([]);
    // Partials still expire by time, and give their bytes back.
    w.net.runFor(w.victim.mesh.config.partialTimeoutMs + 1000);
    expect(w.victim.mesh.reassembly).toEqual({ held: 0, reserved: 0, discarded: 16 });
    stillSyncs(w);
  });

  it('one peer opening partials over its own budget is banned as OVERSIZE and its partials are dropped at once', () => {
    const w = world('peer-budget');
    const [bad] = attackers(w, 'peer-budget', 1);
    const { peerPartialBytes } = w.victim.mesh.config;
    // Two blobs of 10 MB each: more than a blob and a block, more than an honest peer ever has open.
    const a = chunked(MsgType.Blob, 10 * MB);
    expect(2 * 10 * MB).toBeGreaterThan(peerPartialBytes);
    // The first chunk of a second such message (message id 1).
    const second = a[0]!.slice();
    new DataView(second.buffer).setUint32(1, 1);
    bad!.sendRaw(w.victim.id, a.slice(0, 3));
    w.net.runFor(200);
    expect(w.victim.mesh.reassembly.held).toBe(3 * CHUNK_BYTES);
    bad!.sendRaw(w.victim.id, [second]);
    w.net.runFor(500);
    expect(w.net.disconnects).toEqual([{ by: w.victim.id, peer: bad!.id, fault: 'OVERSIZE', banned: true }]);
    expect(w.victim.mesh.reassembly).toEqual({ held: 0, reserved: 0, discarded: 0 });
  });

  it('before its hello nothing from a peer is read: a chunk is a PROTOCOL fault and is not kept', () => {
    const w = world('early-chunk');
    const bad = new ScriptedPeer(w.net, 'early-chunk');
    w.net.connect(bad.id, w.victim.id);
    bad.sendRaw(w.victim.id, chunked(MsgType.Block, 2 * CHUNK_BYTES).slice(0, 1));
    const peak = peakDuring(w, 500);
    expect(peak.held).toBe(0);
    expect(w.net.disconnects).toEqual([{ by: w.victim.id, peer: bad.id, fault: 'PROTOCOL', banned: true }]);
    // Not even a hello in chunks.
    const w2 = world('early-hello-chunk');
    const bad2 = new ScriptedPeer(w2.net, 'early-hello-chunk');
    w2.net.connect(bad2.id, w2.victim.id);
    bad2.sendRaw(w2.victim.id, chunked(MsgType.Hello, 2 * CHUNK_BYTES).slice(0, 1));
    w2.net.runFor(500);
    expect(w2.net.disconnects).toEqual([{ by: w2.victim.id, peer: bad2.id, fault: 'PROTOCOL', banned: true }]);
  });

  it('a peer that never says hello is let go after helloTimeoutMs, unbanned, freeing its slot', () => {
    const w = world('silent');
    const bad = new ScriptedPeer(w.net, 'silent');
    w.net.connect(bad.id, w.victim.id);
    w.net.runFor(w.victim.mesh.config.helloTimeoutMs - 1000);
    expect(w.net.connected(bad.id, w.victim.id)).toBe(true);
    w.net.runFor(2000);
    expect(w.net.disconnects).toEqual([{ by: w.victim.id, peer: bad.id, fault: null, banned: false }]);
    expect(bad.received(MsgType.Reject).map((r) => r.code)).toEqual([RejectCode.Protocol]);
    expect(w.victim.mesh.peerCount).toBe(1);
  });

  it('an honest node refused by a full one is told why and does not hold it against it (no fault, no ban)', () => {
    const net = new SimNet('memory/full-honest');
    const [full, first, second] = makeNodes(net, 'memory/full-honest', 3, { blocks: baseBlocks(3), config: { maxPeers: 1, validatorSlots: 0 } }) as [
      TestNode,
      TestNode,
      TestNode,
    ];
    net.connect(full.id, first.id);
    net.runFor(200);
    net.connect(second.id, full.id);
    net.runFor(500);
    expect(net.connected(second.id, full.id)).toBe(false);
    // The full node refused as the channel opened; the refused node closed on the reject, unbanned.
    expect(net.disconnects).toEqual([
      { by: full.id, peer: second.id, fault: null, banned: false },
      { by: second.id, peer: full.id, fault: null, banned: false },
    ]);
    expect(second.mesh.scores.isBanned(full.id, net.now)).toBe(false);
  });

  it('the peer cap: non-validators are refused at hello once maxPeers − validatorSlots are in, validators still join, and no channel beyond maxPeers is kept', () => {
    // Room for 6, of which 4 for non-validators; the honest node (a Hospital) is a validator.
    const w = world('cap', { maxPeers: 6, validatorSlots: 2 });
    const members = attackers(w, 'cap/member', 5);
    expect(w.net.disconnects).toEqual([{ by: w.victim.id, peer: members[4]!.id, fault: null, banned: false }]);
    expect(members[4]!.received(MsgType.Reject).map((r) => r.code)).toEqual([RejectCode.TooManyPeers]);
    expect(members.slice(0, 4).every((p) => w.net.connected(p.id, w.victim.id))).toBe(true);
    // A validator still gets in where a non-validator did not.
    const [validator] = attackers(w, 'cap/validator', 1, NodeRole.Hospital);
    expect(w.net.connected(validator!.id, w.victim.id)).toBe(true);
    expect(w.victim.mesh.peerCount).toBe(6);
    expect(w.victim.mesh.acceptsPeers).toBe(false);
    // Full: the next channel is refused as it opens, validator or not, told why, and not banned.
    const late = new ScriptedPeer(w.net, 'cap/late');
    w.net.connect(late.id, w.victim.id);
    w.net.runFor(200);
    expect(w.net.connected(late.id, w.victim.id)).toBe(false);
    expect(w.net.disconnects.slice(1)).toEqual([{ by: w.victim.id, peer: late.id, fault: null, banned: false }]);
    expect(late.received(MsgType.Reject).map((r) => r.code)).toEqual([RejectCode.TooManyPeers]);
    expect(w.victim.mesh.scores.isBanned(late.id, w.net.now)).toBe(false);
    const actions = w.victim.mesh.handle({ kind: 'connect', peer: 'ab'.repeat(32), now: w.net.now });
    expect(actions.filter((a) => a.kind === 'disconnect')).toEqual([
      { kind: 'disconnect', peer: 'ab'.repeat(32), fault: null, banned: false, reason: RejectCode.TooManyPeers },
    ]);
    expect(w.victim.mesh.peerCount).toBe(6);
    // A peer leaving frees its slot.
    w.net.cut(members[0]!.id, w.victim.id);
    expect(w.victim.mesh.acceptsPeers).toBe(true);
    stillSyncs(w);
  });
});
