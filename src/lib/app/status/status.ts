/**
 * What the status bar shows everywhere (SPEC §7: connection state, sync
 * progress, mining state, "saved on this device, will sync"). The app reads
 * a {@link StatusSource}: the running node's (app/node/status-source.ts), or,
 * while no network runs on this device (before one is joined or founded, and
 * after leaving one), {@link noNetworkSource}, which reports only what the
 * browser itself knows (online or not) and says plainly that there is no
 * network here: nothing here is ever invented.
 */

import type { status as english } from '../../i18n/en/shell';
import { type Catalogue, writeFailureOf } from '../../messages';
import type { StoredBlocks } from './store-health';

/** The words of the status strip in one language (src/lib/i18n). */
export type StatusWords = typeof english;

/**
 * `no-relay`: no relay answers, so no peer can be found; `blocked`: peers
 * announced themselves but none can be reached (direct connections blocked
 * and TURN absent or not relaying).
 */
export type ConnectionState = 'no-network' | 'offline' | 'connecting' | 'no-relay' | 'blocked' | 'connected';

export interface NodeStatus {
  /** `none` while no network runs on this device (the bar offers to join or found one); `node` when the running node feeds this. */
  readonly source: 'none' | 'node';
  /** Whether the browser reports a network at all. */
  readonly browserOnline: boolean;
  readonly connection: ConnectionState;
  /** Peers with an open channel (connected state only). */
  readonly peers: number;
  /** Of those, the peers reached through a TURN server rather than directly. */
  readonly relayedPeers?: number;
  /** Whether a TURN server is known (from a relay), known to be absent, or not yet known. */
  readonly turn?: 'available' | 'none' | 'unknown';
  /** Sync progress as blocks held of blocks known, or null when unknown. */
  readonly sync: { readonly have: number; readonly target: number } | null;
  readonly mining: 'unknown' | 'off' | 'waiting' | 'mining';
  /** Writes made on this device that the network has not seen yet. */
  readonly unsynced: number;
  /** Rule codes of this device's writes that the chain dropped as invalid for good: they will never sync. */
  readonly failed?: readonly string[];
  /** Stored blocks this device could not use at start, and why (absent when there were none). */
  readonly stored?: StoredBlocks;
}

export interface StatusSource {
  current(): NodeStatus;
  /** Calls `listener` on every change; returns the unsubscribe function. */
  subscribe(listener: (status: NodeStatus) => void): () => void;
}

/** The status while no network runs on this device: no connection, no sync, no mining, nothing waiting. */
export function noNetworkStatus(browserOnline: boolean): NodeStatus {
  return { source: 'none', browserOnline, connection: 'no-network', peers: 0, sync: null, mining: 'unknown', unsynced: 0 };
}

/** Where the browser's online/offline signal comes from (the window in the app, a fake in tests). */
export interface OnlineSignal {
  online(): boolean;
  watch(onChange: () => void): () => void;
}

/** The source while no network runs here: it only follows the browser's online flag and never claims a node. */
export function noNetworkSource(signal: OnlineSignal): StatusSource {
  return {
    current: () => noNetworkStatus(signal.online()),
    subscribe(listener) {
      return signal.watch(() => listener(noNetworkStatus(signal.online())));
    },
  };
}

/** One line per part of the status, as the bar writes them (also what screen readers hear), in the language of `m` and `rules` (the screen passes `t().status` and `t().rules`: there is no English default). */
export function describeStatus(
  s: NodeStatus,
  m: StatusWords,
  rules: Catalogue,
): { connection: string; sync: string; mining: string; pending: string | null; failed: string | null; stored: string | null } {
  const connection =
    s.connection === 'no-network'
      ? m.notConnected(!s.browserOnline)
      : s.connection === 'offline'
        ? m.offline
        : s.connection === 'connecting'
          ? m.connecting
          : s.connection === 'no-relay'
            ? m.noRelay
            : s.connection === 'blocked'
              ? blockedText(s.turn ?? 'unknown', m)
              : m.connected(s.peers, s.relayedPeers ?? 0);
  const sync = s.sync === null ? m.syncNotStarted : s.sync.have >= s.sync.target ? m.upToDate : m.syncing(s.sync.have, s.sync.target);
  const mining = s.mining === 'unknown' ? m.miningUnknown : s.mining === 'off' ? m.miningOff : s.mining === 'waiting' ? m.miningWaiting : m.mining;
  const pending = s.unsynced > 0 ? m.pending(s.unsynced) : null;
  return { connection, sync, mining, pending, failed: describeFailed(s.failed ?? [], rules), stored: describeStored(s.stored ?? null, m) };
}

/** What this device's stored blocks that could not be used mean for the person: one sentence per cause, or null. */
export function describeStored(s: StoredBlocks | null, m: StatusWords): string | null {
  if (!s) return null;
  const lines = [
    s.otherVersion && m.storedOtherVersion(s.otherVersion.blocks, s.otherVersion.fromHeight),
    s.damaged && m.storedDamaged(s.damaged.blocks, s.damaged.fromHeight),
    !s.otherVersion && !s.damaged && s.repaired > 0 ? m.storedRepaired(s.repaired) : null,
  ].filter((l) => l !== null);
  return lines.length > 0 ? lines.join(' ') : null;
}

/** "N writes failed and will not sync: <reason>" in the language of `rules` (one reason per kind of failure), or null. */
export function describeFailed(codes: readonly string[], rules: Catalogue): string | null {
  if (codes.length === 0) return null;
  const reasons = [...new Set(codes.map(writeFailureOf))];
  return rules.writeFailed(codes.length, reasons.map((r) => rules.writeFailure[r]).join(' '));
}

/** Why peers that announced themselves cannot be reached, in the words an operator needs. */
export function blockedText(turn: 'available' | 'none' | 'unknown', m: StatusWords): string {
  return m.blocked(turn === 'none' ? m.turnNone : turn === 'available' ? m.turnDown : m.turnUnknown);
}
