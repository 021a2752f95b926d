/**
 * The node's events as Svelte reactivity (issue 14): a screen that reads
 * {@link NodeReads.chain} inside a template, `$derived` or `$effect` is
 * subscribed (Svelte's `createSubscriber`) to the events that change what it
 * shows, and re-runs when one comes; nothing polls. The subscription starts
 * with the first reader and ends with the last, so a screen that is closed
 * costs the node nothing.
 */
import { createSubscriber } from 'svelte/reactivity';
import type { NodeEventType } from '../../node/events';
import type { TabNode } from './tab-access';

/** What the record screens show: the ledger and blocks (tip, final block) and what waits in the pool. */
export const CHAIN_EVENTS: readonly NodeEventType[] = ['tip', 'final', 'pending'];

/** Every event: the explorer also shows peers, links and mining. */
export const ALL_EVENTS: readonly NodeEventType[] = [];

/** Events seen by every counter of every node so far: a value is never given twice, so a `$derived` of it always moves. */
let ticks = 0;

/** A counter for a set of events, moved by those events while someone reads it. */
function counter(node: Pick<TabNode, 'onEvents'>, types: readonly NodeEventType[]): () => number {
  let seen = ticks;
  const subscribe = createSubscriber((update) =>
    node.onEvents(types, () => {
      seen = ++ticks;
      update();
    }),
  );
  return () => {
    subscribe();
    return seen;
  };
}

export class NodeReads {
  private readonly chainCount: () => number;
  private readonly allCount: () => number;

  constructor(node: Pick<TabNode, 'onEvents'>) {
    this.chainCount = counter(node, CHAIN_EVENTS);
    this.allCount = counter(node, ALL_EVENTS);
  }

  /** Moves when the tip, the final block or the pool change; a reactive read subscribes to those. */
  get chain(): number {
    return this.chainCount();
  }

  /** Moves on every event of the node (peers, links and mining too). */
  get any(): number {
    return this.allCount();
  }
}
