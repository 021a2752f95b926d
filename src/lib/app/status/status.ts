/**
 * What the status bar shows everywhere (SPEC §7: connection state, sync
 * progress, mining state, "saved on this device, will sync"). The app reads
 * a {@link StatusSource}: the running node's (app/node/status-source.ts), or,
 * before a network runs in this browser, {@link placeholderStatus}, which
 * reports only what the browser itself knows (online or not) and says
 * plainly that no node is connected: nothing here is ever invented.
 */

import { messages, writeFailureOf } from '../../messages';

/**
 * `no-relay`: no relay answers, so no peer can be found; `blocked`: peers
 * announced themselves but none can be reached (direct connections blocked
 * and TURN absent or not relaying).
 */
export type ConnectionState = 'no-node' | 'offline' | 'connecting' | 'no-relay' | 'blocked' | 'connected';

export interface NodeStatus {
  /** `placeholder` until the node runtime feeds this; the bar says so. */
  readonly source: 'placeholder' | 'node';
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
}

export interface StatusSource {
  current(): NodeStatus;
  /** Calls `listener` on every change; returns the unsubscribe function. */
  subscribe(listener: (status: NodeStatus) => void): () => void;
}

/** The status before any node is running: no connection, no sync, no mining, nothing waiting. */
export function notConnectedStatus(browserOnline: boolean): NodeStatus {
  return { source: 'placeholder', browserOnline, connection: 'no-node', peers: 0, sync: null, mining: 'unknown', unsynced: 0 };
}

/** Where the browser's online/offline signal comes from (the window in the app, a fake in tests). */
export interface OnlineSignal {
  online(): boolean;
  watch(onChange: () => void): () => void;
}

/** A source that only follows the browser's online flag and never claims a node. */
export function placeholderStatus(signal: OnlineSignal): StatusSource {
  return {
    current: () => notConnectedStatus(signal.online()),
    subscribe(listener) {
      return signal.watch(() => listener(notConnectedStatus(signal.online())));
    },
  };
}

/** One line per part of the status, as the bar writes them (also what screen readers hear). */
export function describeStatus(s: NodeStatus): { connection: string; sync: string; mining: string; pending: string | null; failed: { en: string; hi: string } | null } {
  const connection =
    s.connection === 'no-node'
      ? `Node not connected yet${s.browserOnline ? '' : ' · device offline'}`
      : s.connection === 'offline'
        ? 'Offline'
        : s.connection === 'connecting'
          ? 'Connecting…'
          : s.connection === 'no-relay'
            ? 'No relay reachable: cannot find peers, retrying'
            : s.connection === 'blocked'
              ? blockedText(s.turn ?? 'unknown')
              : `Connected to ${s.peers} ${s.peers === 1 ? 'peer' : 'peers'}${s.relayedPeers ? ` (${s.relayedPeers} through TURN)` : ''}`;
  const sync =
    s.sync === null ? 'Sync: not started' : s.sync.have >= s.sync.target ? 'Up to date' : `Syncing ${s.sync.have} of ${s.sync.target} blocks`;
  const mining = s.mining === 'unknown' ? 'Mining: not running' : s.mining === 'off' ? 'Mining off' : s.mining === 'waiting' ? 'Mining: waiting for work' : 'Mining';
  const pending = s.unsynced > 0 ? `${s.unsynced} saved on this device, will sync` : null;
  return { connection, sync, mining, pending, failed: describeFailed(s.failed ?? []) };
}

/** "N writes failed and will not sync: <reason>" in English and Hindi (one reason per kind of failure), or null. */
export function describeFailed(codes: readonly string[]): { en: string; hi: string } | null {
  if (codes.length === 0) return null;
  const reasons = [...new Set(codes.map(writeFailureOf))];
  const text = (lang: 'en' | 'hi') => messages[lang].writeFailed(codes.length, reasons.map((r) => messages[lang].writeFailure[r]).join(' '));
  return { en: text('en'), hi: text('hi') };
}

/** Why peers that announced themselves cannot be reached, in the words an operator needs. */
export function blockedText(turn: 'available' | 'none' | 'unknown'): string {
  const why =
    turn === 'none' ? 'no TURN server configured' : turn === 'available' ? 'the TURN server does not relay' : 'no TURN server has answered';
  return `Peers cannot be reached: direct connection blocked and ${why}`;
}
