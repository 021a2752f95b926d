/**
 * Who is online (SPEC §6, §7): every peer announced in the network's room,
 * with its role and tip height (from its signed hello, refreshed as it
 * re-announces) and whether a data channel to it is open. A small
 * observable list for the app: `subscribe` calls back with the sorted list
 * on every change. Entries not re-announced within the time-to-live and not
 * connected are dropped by {@link Presence.expire}. Clock passed in (ms).
 */
import type { NodeRole } from '../../core/net/messages';
import type { NodeStatus } from './status';

export interface PresenceEntry {
  /** Node key, lowercase hex. */
  readonly nodeId: string;
  readonly role: NodeRole | null;
  readonly height: number | null;
  readonly connected: boolean;
  /** When the node last announced itself (ms), or null if only connected. */
  readonly lastSeen: number | null;
}

export type PresenceListener = (list: readonly PresenceEntry[]) => void;

export class Presence {
  private readonly entries = new Map<string, PresenceEntry>();
  private readonly listeners = new Set<PresenceListener>();

  constructor(private readonly ttlMs: number) {}

  /** The current list, sorted by node id. */
  list(): PresenceEntry[] {
    return [...this.entries.values()].sort((a, b) => (a.nodeId < b.nodeId ? -1 : a.nodeId > b.nodeId ? 1 : 0));
  }

  /** Calls `fn` now and on every change; returns the unsubscribe function. */
  subscribe(fn: PresenceListener): () => void {
    this.listeners.add(fn);
    fn(this.list());
    return () => this.listeners.delete(fn);
  }

  announced(nodeId: string, status: NodeStatus, nowMs: number): void {
    const e = this.entries.get(nodeId);
    this.put({ nodeId, role: status.role, height: status.height, connected: e?.connected ?? false, lastSeen: nowMs }, e);
  }

  /** A higher tip learnt over the data channel (announcements are slower). */
  height(nodeId: string, height: number): void {
    const e = this.entries.get(nodeId);
    if (e && (e.height === null || height > e.height)) this.put({ ...e, height }, e);
  }

  connected(nodeId: string, connected: boolean): void {
    const e = this.entries.get(nodeId);
    if (e?.connected === connected) return;
    this.put({ nodeId, role: e?.role ?? null, height: e?.height ?? null, lastSeen: e?.lastSeen ?? null, connected }, e);
    if (!connected && (e?.lastSeen ?? null) === null) this.remove(nodeId);
  }

  /** Drops peers neither connected nor announced within the time-to-live. */
  expire(nowMs: number): void {
    for (const e of [...this.entries.values()]) if (!e.connected && (e.lastSeen === null || nowMs - e.lastSeen > this.ttlMs)) this.remove(e.nodeId);
  }

  private put(next: PresenceEntry, prev: PresenceEntry | undefined): void {
    this.entries.set(next.nodeId, next);
    if (!prev || prev.role !== next.role || prev.height !== next.height || prev.connected !== next.connected) this.changed();
  }

  private remove(nodeId: string): void {
    if (this.entries.delete(nodeId)) this.changed();
  }

  private changed(): void {
    const list = this.list();
    for (const fn of this.listeners) fn(list);
  }
}
