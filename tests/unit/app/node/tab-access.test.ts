/**
 * The app's access to the tab's node (src/lib/app/node/tab-access.ts;
 * issue 14): changes reach the screens as the node's events, never by a
 * timer comparing the status; a listener hears only the kinds it asked
 * for, once per burst; and the chain the screens get is a read-only view.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { demoChain } from '../../../../src/lib/core/demo';
import { TEST_PARAMS } from '../../../../src/lib/core/params';
import { NodeEvents } from '../../../../src/lib/node/events';
import type { BootedNode } from '../../../../src/lib/node/boot';
import { type TabNode, tabNodeAccess } from '../../../../src/lib/app/node/tab-access';

const { chain } = demoChain({ blocks: 6, seed: 'tab-access', params: TEST_PARAMS });

/** A booted node as the app sees it, over a chain in memory (no store, no mesh). */
function fakeBooted(): BootedNode {
  return {
    node: null,
    leading: new Promise(() => {}),
    events: new NodeEvents(),
    status: () => ({ nodeId: null, role: 'follower', height: chain.height, tipHash: chain.tip.key, finalHeight: 0, peers: 0, pending: 0, mining: false }),
    verifyChain: async () => ({ ok: true, height: chain.height }),
    submitTx: async () => {
      throw new Error('a follower');
    },
    chain: () => chain,
    health: () => null,
    links: () => null,
    stop: async () => {},
  };
}

const microtasks = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

let open: TabNode | null = null;
afterEach(async () => {
  await open?.stop();
  open = null;
  vi.restoreAllMocks();
});

describe('tab node access', () => {
  it('sets no timer: changes come from the node’s events', () => {
    const interval = vi.spyOn(globalThis, 'setInterval');
    const timeout = vi.spyOn(globalThis, 'setTimeout');
    open = tabNodeAccess(fakeBooted(), { dbName: 'tab-access-timers', blobs: null as never });
    expect(interval).not.toHaveBeenCalled();
    expect(timeout).not.toHaveBeenCalled();
  });

  it('tells a listener the kinds it asked for, once for several in one step', async () => {
    const booted = fakeBooted();
    open = tabNodeAccess(booted, { dbName: 'tab-access-events', blobs: null as never });
    let chainChanges = 0;
    let anyChanges = 0;
    open.onEvents(['tip', 'final'], () => chainChanges++);
    open.onChange(() => anyChanges++);
    booted.events.emit('peers');
    await microtasks();
    expect([chainChanges, anyChanges]).toEqual([0, 1]);
    booted.events.emit('tip');
    booted.events.emit('final');
    booted.events.emit('persisted');
    await microtasks();
    expect([chainChanges, anyChanges]).toEqual([1, 2]);
  });

  it('stops telling a listener that unsubscribed', async () => {
    const booted = fakeBooted();
    open = tabNodeAccess(booted, { dbName: 'tab-access-off', blobs: null as never });
    let heard = 0;
    const off = open.onChange(() => heard++);
    off();
    booted.events.emit('tip');
    await microtasks();
    expect(heard).toBe(0);
  });

  it('gives the screens a read-only view of the chain, with the patient index', () => {
    open = tabNodeAccess(fakeBooted(), { dbName: 'tab-access-view', blobs: null as never });
    const view = open.chain()!;
    expect(view.height).toBe(chain.height);
    for (const live of ['addBlock', 'markFinal', 'addPendingTx', 'pending']) expect(live in view).toBe(false);
    const patient = [...chain.ledger!.patients.values()][0]!.id;
    expect(view.ofPatient(patient).length).toBeGreaterThan(0);
  });
});
