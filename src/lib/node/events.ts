/**
 * What changed in a running node, as events (issue 14): screens subscribe
 * to the kinds they show instead of polling the node's status. The node
 * emits each kind where that part of its state moves (node-changes.ts
 * compares one step's state with the last); a follower tab emits what its
 * re-read of the shared store changed. Listeners must not throw: a throw is
 * the listener's bug and would stop the node's step, so it is caught and
 * counted, never passed on.
 */

/**
 * `tip`: the active chain's tip moved (a block, a reorganisation);
 * `final`: the last final block moved; `pending`: the pool of transactions
 * waiting for a block changed; `peers`: a peer came or went, or a link's
 * path or a relay's state changed; `persisted`: a tip reached the store;
 * `mining`: mining started or stopped.
 */
export type NodeEventType = 'tip' | 'final' | 'pending' | 'peers' | 'persisted' | 'mining';

/** Every kind, for listeners that want all of them. */
export const NODE_EVENT_TYPES: readonly NodeEventType[] = ['tip', 'final', 'pending', 'peers', 'persisted', 'mining'];

export type NodeEventListener = (type: NodeEventType) => void;

/** A small typed emitter: no strings beyond {@link NodeEventType}, unsubscribe by the returned function. */
export class NodeEvents {
  private readonly listeners = new Map<NodeEventType, Set<NodeEventListener>>();
  /** Listener calls that threw (a screen's bug, kept away from the node). */
  errors = 0;

  /** Calls `fn` on each event of `types` (every kind when none is named); returns the unsubscribe function. */
  on(types: readonly NodeEventType[], fn: NodeEventListener): () => void {
    const kinds = types.length === 0 ? NODE_EVENT_TYPES : types;
    for (const t of kinds) (this.listeners.get(t) ?? this.listeners.set(t, new Set()).get(t)!).add(fn);
    return () => {
      for (const t of kinds) this.listeners.get(t)?.delete(fn);
    };
  }

  /** Tells every listener of `type`. */
  emit(type: NodeEventType): void {
    for (const fn of [...(this.listeners.get(type) ?? [])])
      try {
        fn(type);
      } catch {
        // A listener's bug must not stop the node's step: counted, and the other listeners still run.
        this.errors++;
      }
  }

  /** Passes every event of this emitter on to `into` (a tab's node and its follower feed one emitter); returns the function that stops it. */
  pipe(into: NodeEvents): () => void {
    return this.on(NODE_EVENT_TYPES, (t) => into.emit(t));
  }
}
