/**
 * The narrow interface between the mesh node and whatever carries its
 * frames (SPEC §6): WebRTC data channels found through the signalling relay
 * in the browser ({@link WebRtcTransport}), or an in-memory switchboard in
 * tests ({@link MemoryTransport}). One shared suite
 * (tests/shared/transport-suite.ts) runs against both.
 *
 * Peers are named by the lowercase hex of their Ed25519 node key, which the
 * transport authenticated (signed signalling). A transport opens channels to
 * the peers of its network on its own, reconnects those that drop while they
 * are still announced, and refuses a peer until a time the node sets (a ban,
 * or a cooldown after a polite goodbye). Nothing a peer sends can make it
 * throw; frames are handed on as bytes for the node to judge.
 */
import type { LinkReport } from './link-report';
import type { NodeStatus } from './status';

export interface TransportHandlers {
  /** A channel to `peer` opened (at most once until the matching `close`). */
  open(peer: string): void;
  /** One frame from `peer`, in order, only between `open` and `close`. */
  frame(peer: string, data: Uint8Array): void;
  /** The channel to `peer` closed (by either side, or it failed). */
  close(peer: string): void;
  /** `peer` announced itself (with its status) in the network's room. */
  status(peer: string, status: NodeStatus): void;
}

export interface Transport {
  /** This node's key, lowercase hex. */
  readonly self: string;
  /** Starts finding and connecting peers; events go to `handlers`. */
  start(handlers: TransportHandlers): void;
  /** Queues one frame for `peer`; false when no open channel leads there. */
  send(peer: string, frame: Uint8Array): boolean;
  /** Closes the channel to `peer` and refuses it until `refuseUntilMs` (the transport's clock). */
  disconnect(peer: string, refuseUntilMs: number): void;
  /** Announces (or re-announces) this node's status to the room. */
  announce(status: NodeStatus): void;
  /** Peers with an open channel, sorted. */
  connected(): string[];
  /** How each known peer is reached (direct or relayed), the relays' states, and whether peers are out of reach; absent where there is no network (the in-memory twin). */
  links?(): LinkReport;
  /** Closes every channel and leaves the room. */
  stop(): void;
}

/** Largest frame a transport carries: a 64 KiB chunk plus the chunk header (core/net/chunk.ts), with room to spare. */
export const MAX_FRAME_BYTES = 64 * 1024 + 64;
