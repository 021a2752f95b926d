/**
 * The node's events (src/lib/node/events.ts, node-changes.ts; issue 14):
 * what the screens subscribe to instead of polling. A running node tells
 * its pool, its tip, the store and finality as each moves, and nothing
 * while nothing moves; the emitter keeps a listener's throw away from the
 * node.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { toHex } from '../../../src/lib/core/bytes';
import { txId } from '../../../src/lib/core/tx';
import { type NodeEventType, NodeEvents } from '../../../src/lib/node/events';
import { ChangeWatch, type NodeFacts } from '../../../src/lib/node/node-changes';
import { patientTx, testNetwork } from '../../../src/bench/node-network';
import { HANG_GUARD_MS, T0, VirtualNodes } from './virtual';

const facts = (o: Partial<NodeFacts> = {}): NodeFacts => ({ tip: 't', final: 'f', pending: '', peers: '', mining: false, ...o });

describe('node events', () => {
  it('a change watch tells every part on first sight, then only the parts that moved', () => {
    const events = new NodeEvents();
    const told: NodeEventType[] = [];
    events.on([], (t) => told.push(t));
    const watch = new ChangeWatch(events);
    watch.see(facts());
    expect(told.sort()).toEqual(['final', 'mining', 'peers', 'pending', 'tip']);
    told.length = 0;
    watch.see(facts());
    expect(told).toEqual([]);
    watch.see(facts({ tip: 'u', pending: 'a' }));
    expect(told).toEqual(['tip', 'pending']);
  });

  it('a listener hears only the kinds it asked for, stops when it unsubscribes, and its throw stays with it', () => {
    const events = new NodeEvents();
    const heard: NodeEventType[] = [];
    const off = events.on(['tip'], (t) => heard.push(t));
    events.on(['tip'], () => {
      throw new Error('a screen’s bug');
    });
    events.emit('pending');
    events.emit('tip');
    off();
    events.emit('tip');
    expect(heard).toEqual(['tip']);
    expect(events.errors).toBe(2);
  });

  describe('a running node', { timeout: HANG_GUARD_MS }, () => {
    let v: VirtualNodes;
    beforeEach(() => {
      v = new VirtualNodes();
    });
    afterEach(() => v.stopAll());

    it('tells its pool, tip, store and final block as each moves, and nothing while idle', async () => {
      const net = testNetwork('node-events', 1, T0);
      const { node } = await v.start(v.clock.hub(), net, { validator: net.validators[0] });
      await v.clock.runUntil(() => node.status().finalHeight === 0, 1000, 'the node runs');
      await v.clock.advance(2000);
      const told: NodeEventType[] = [];
      node.events.on([], (t) => told.push(t));
      // Idle: its step timer runs, but nothing moved.
      await v.clock.advance(3000);
      expect(told).toEqual([]);

      const tx = patientTx(net, 'events', v.clock.sec());
      await node.submitTx(tx);
      expect(told).toContain('pending');
      const key = toHex(txId(tx));
      await v.clock.runUntil(() => (node.chain.txHeight(key) ?? Infinity) <= node.chain.finalized.height, 30_000, 'the write is final');
      await v.clock.advance(1000);
      for (const t of ['tip', 'persisted', 'final', 'mining'] as const) expect(told).toContain(t);
      // Every tip the node reached was told before the store had it.
      expect(told.indexOf('tip')).toBeLessThan(told.indexOf('persisted'));
    });
  });
});
