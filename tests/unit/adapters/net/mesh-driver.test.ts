/**
 * The mesh binding in Node: real MeshNodes with their own ChainStates over
 * the in-memory transport. Blocks spread, presence follows announcements and
 * channels, a peer sending garbage is banned and refused while the others
 * stay connected, a broken channel is reopened and the node catches up, and
 * an exception inside the mesh never reaches the caller. The drivers, their
 * ticks and the hub's deliveries run on one virtual clock (issue 14).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MeshDriver } from '../../../../src/lib/adapters/net/mesh-driver';
import { type MemoryHub, MemoryTransport } from '../../../../src/lib/adapters/net/memory-transport';
import type { PresenceEntry } from '../../../../src/lib/adapters/net/presence';
import { toHex } from '../../../../src/lib/core/bytes';
import { MeshNode } from '../../../../src/lib/core/net/mesh';
import { NodeRole } from '../../../../src/lib/core/net/messages';
import { TEST_PARAMS } from '../../../../src/lib/core/params';
import { NOW, addOk, extend, makeKeys, newChain, type Key } from '../../core/helpers';
import { GENESIS, baseBlocks } from '../../core/net/fixtures';
import { VirtualClock } from '../../virtual-clock';

let clock: VirtualClock;
const stops: (() => void)[] = [];
beforeEach(() => {
  clock = new VirtualClock(NOW * 1000);
});
afterEach(() => stops.splice(0).forEach((s) => s()));

interface Node {
  readonly id: string;
  readonly key: Key;
  readonly driver: MeshDriver;
  readonly transport: MemoryTransport;
}

function node(hub: MemoryHub, key: Key, blocks = 3, role: NodeRole = NodeRole.Hospital): Node {
  const chain = newChain(TEST_PARAMS, GENESIS);
  for (const b of baseBlocks(blocks)) addOk(chain, b);
  const id = toHex(key.pub);
  const transport = new MemoryTransport(hub, id);
  const mesh = new MeshNode({ chain, nodeId: key.pub, role });
  const driver = new MeshDriver({ mesh, transport, role, now: clock.now, timers: clock.scope(), tickMs: 50, announceMinMs: 0 });
  driver.start();
  stops.push(() => driver.stop());
  return { id, key, driver, transport };
}

function mine(n: Node): string {
  const chain = n.driver.mesh.chain;
  const block = extend(chain, chain.tip, { miner: n.key });
  const r = n.driver.submitBlock(block);
  if (r.status !== 'accepted') throw new Error(r.status);
  return chain.tip.key;
}

const tipOf = (n: Node) => n.driver.mesh.chain.tip.key;
const peersOf = (n: Node) => n.driver.mesh.readyPeers().map((p) => p.id);

describe('MeshDriver over the in-memory transport', () => {
  it('three nodes connect; a block mined by one reaches the others; presence shows role, height and channel', async () => {
    const hub = clock.hub();
    const keys = makeKeys('driver/three', 3);
    const [a, b, c] = [node(hub, keys[0]!), node(hub, keys[1]!, 3, NodeRole.Member), node(hub, keys[2]!)];
    await clock.runUntil(() => [a, b, c].every((n) => peersOf(n).length === 2), 1000, 'three drivers linked');
    const tip = mine(a);
    await clock.runUntil(() => [b, c].every((n) => tipOf(n) === tip), 1000, 'the block on the other two');
    const seen = (n: Node): PresenceEntry[] => n.driver.presence.list();
    await clock.runUntil(() => seen(c).find((e) => e.nodeId === a.id)?.height === 4, 1000, "a's new height in c's presence");
    expect(seen(c).find((e) => e.nodeId === b.id)).toMatchObject({ role: NodeRole.Member, connected: true });
    expect(seen(c).map((e) => e.nodeId)).toEqual([a.id, b.id].sort());
    expect([a, b, c].flatMap((n) => n.driver.stats.bans)).toEqual([]);
  });

  it('a peer sending garbage frames is banned, its channel closed and refused; the others stay connected', async () => {
    const hub = clock.hub({ reconnectMs: 20 });
    const keys = makeKeys('driver/garbage', 3);
    const [victim, other] = [node(hub, keys[0]!), node(hub, keys[1]!)];
    const rogueId = toHex(keys[2]!.pub);
    const rogue = new MemoryTransport(hub, rogueId);
    let opens = 0;
    rogue.start({
      open: (p) => {
        opens++;
        if (p === victim.id) rogue.send(p, Uint8Array.from([0, 0xde, 0xad, 0xbe, 0xef]));
      },
      frame: () => {},
      close: () => {},
      status: () => {},
    });
    stops.push(() => rogue.stop());
    // Garbage before its hello: nothing but a hello is read from a peer that has not said one (PROTOCOL).
    await clock.runUntil(() => victim.driver.stats.bans.length > 0, 1000, 'the rogue banned');
    expect(victim.driver.stats.bans).toEqual([{ peer: rogueId, fault: 'PROTOCOL' }]);
    await clock.runUntil(() => !hub.linked(victim.id, rogueId), 1000, "the rogue's channel closed");
    // Reconnection attempts go on (the channel to `other` is reopened freely), the victim refuses.
    hub.cut(rogueId, other.id);
    await clock.runUntil(() => opens >= 3, 1000, 'the rogue reconnected to the other');
    // Ten more reconnect periods: the victim still refuses every attempt.
    await clock.advance(200);
    expect(hub.linked(victim.id, rogueId)).toBe(false);
    expect(victim.transport.refuses(rogueId, clock.now() + 30 * 60_000)).toBe(true);
    expect(peersOf(victim)).toEqual([other.id]);
    expect(other.driver.stats.bans).toEqual([]);
  });

  it('a broken channel is reopened and the node catches up with what it missed', async () => {
    const hub = clock.hub({ reconnectMs: 300 });
    const keys = makeKeys('driver/cut', 2);
    const [a, b] = [node(hub, keys[0]!), node(hub, keys[1]!)];
    await clock.runUntil(() => peersOf(a).length === 1, 1000, 'the two drivers linked');
    expect(peersOf(a)).toEqual([b.id]);
    hub.cut(a.id, b.id);
    await clock.runUntil(() => peersOf(a).length === 0, 100, 'the cut channel closed');
    mine(a);
    const tip = mine(a);
    expect(tipOf(b)).not.toBe(tip);
    // Reopened after the hub's 300 ms, not before.
    await clock.advance(200);
    expect(tipOf(b)).not.toBe(tip);
    await clock.runUntil(() => tipOf(b) === tip, 1000, 'b caught up after the reconnect');
    expect(b.driver.mesh.chain.height).toBe(5);
  });

  it('an exception inside the mesh drops that peer and is counted, never thrown to the caller', async () => {
    const hub = clock.hub();
    const keys = makeKeys('driver/throw', 2);
    const a = node(hub, keys[0]!);
    const b = node(hub, keys[1]!);
    await clock.runUntil(() => peersOf(a).length === 1, 1000, 'the two drivers linked');
    expect(peersOf(a)).toEqual([b.id]);
    const mesh = a.driver.mesh;
    const handle = mesh.handle.bind(mesh);
    mesh.handle = (e) => {
      if (e.kind === 'frame') throw new Error('bug');
      return handle(e);
    };
    b.driver.submitVote(new Uint8Array([1])); // any frame to a
    mine(b);
    await clock.runUntil(() => a.driver.stats.errors > 0, 1000, 'the exception counted');
    await clock.runUntil(() => !hub.linked(a.id, b.id), 1000, 'the peer dropped');
  });
});
