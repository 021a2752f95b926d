/**
 * What a node can say about its links (SPEC §6: "each peer shows whether its
 * link is direct or relayed", and a clear state when peers cannot be
 * reached): per known peer whether a channel is open and by which path, and
 * for the node the relays' states, whether a TURN server is known, and
 * whether every peer it knows of is out of reach. The app's status bar and
 * explorer, and the tests, read this; it carries no key and no secret.
 */
import type { ConnectionState } from './signalling-client';
import type { LinkPath } from './link-path';

/** A channel attempt that failed this many times in a row makes a peer `unreachable` (until one opens). */
export const UNREACHABLE_AFTER = 2;

export interface PeerLink {
  /** Hex of the peer's node key. */
  readonly id: string;
  /** `open`: a channel is up; `connecting`: trying; `unreachable`: the last attempts all failed. */
  readonly state: 'open' | 'connecting' | 'unreachable';
  /** The open channel's path, once the browser's statistics name it. */
  readonly path: LinkPath | null;
  /** Channel attempts that failed since the last one that opened. */
  readonly failures: number;
}

export interface LinkReport {
  readonly relays: readonly { readonly url: string; readonly state: ConnectionState }[];
  /** `available`: credentials from a relay; `none`: the relays have no TURN server; `unknown`: no answer yet. */
  readonly turn: 'available' | 'none' | 'unknown';
  readonly peers: readonly PeerLink[];
  /**
   * Peers are known (they announced themselves through a relay) but none can
   * be reached: direct connections are blocked (NAT or firewall) and TURN is
   * absent or does not relay.
   */
  readonly blocked: boolean;
}

/** Whether the node is cut off: peers known, none open, each unreachable. */
export function isBlocked(peers: readonly PeerLink[]): boolean {
  return peers.length > 0 && peers.every((p) => p.state === 'unreachable');
}
