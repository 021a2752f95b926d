/**
 * What the transport tells the mesh node, and what the node asks of it
 * (SPEC §6). The node does no I/O: a WebRTC binding, or the in-memory
 * network of the tests, turns events into calls and carries out the actions.
 * Peers are named by the hex of their node key, which signalling authenticated.
 */
import type { Block } from '../block';
import type { BlockNode, Reorg } from '../chain';
import type { BlobRef } from '../payloads';
import type { Message, RejectCode } from './messages';
import type { Fault } from './peer-score';

export type NetEvent =
  /** A data channel to `peer` opened. */
  | { readonly kind: 'connect'; readonly peer: string; readonly now: number }
  /** One data-channel message from `peer`. */
  | { readonly kind: 'frame'; readonly peer: string; readonly data: Uint8Array; readonly now: number }
  /** The channel closed. */
  | { readonly kind: 'disconnect'; readonly peer: string; readonly now: number }
  /** Time passed (timeouts, pings). */
  | { readonly kind: 'tick'; readonly now: number }
  /** The blocks of `prepare-blocks` actions with these hex hashes are prepared (their signatures' answers are ready). */
  | { readonly kind: 'prepared'; readonly keys: readonly string[]; readonly now: number };

export type NetAction =
  /** Send `frames`, in order, on the channel to `peer` (`msg` is what they carry, for logs and tests). */
  | { readonly kind: 'send'; readonly peer: string; readonly msg: Message; readonly frames: readonly Uint8Array[] }
  /**
   * Close the channel; `banned` peers are refused until the ban ends.
   * `reason`: the code the peer was told in a reject (absent: nothing said),
   * e.g. `TooManyPeers` for a peer refused because the node is full.
   */
  | { readonly kind: 'disconnect'; readonly peer: string; readonly fault: Fault | null; readonly banned: boolean; readonly reason?: RejectCode }
  /**
   * A block joined the block tree (persist it; `reorg` says how the active
   * chain changed; `bytes`, when it came from a peer: its encoding as
   * received, equal to encodeBlock's).
   */
  | { readonly kind: 'block-accepted'; readonly node: BlockNode; readonly reorg: Reorg | null; readonly from: string | null; readonly bytes?: Uint8Array }
  /**
   * Blocks received from peers, held back until the transport answers with a
   * `prepared` event (MeshOptions.prepareBlocks): check their signatures
   * ahead, asynchronously, so the chain's own checks find the answers ready.
   */
  | { readonly kind: 'prepare-blocks'; readonly blocks: readonly { readonly key: string; readonly block: Block }[] }
  /** A transaction joined the pending pool. */
  | { readonly kind: 'tx-accepted'; readonly key: string; readonly from: string | null }
  /** `peer` asks for a blob we may serve: read it from the store and answer with `MeshNode.serveBlob` (SPEC §3). */
  | { readonly kind: 'blob-wanted'; readonly peer: string; readonly ref: BlobRef }
  /** A blob we asked for arrived and matches its hash (store it). */
  | { readonly kind: 'blob-received'; readonly ref: BlobRef; readonly bytes: Uint8Array; readonly from: string }
  /** No connected peer could supply a blob we asked for. */
  | { readonly kind: 'blob-failed'; readonly hash: string };

/**
 * What the agreement layer says of a vote: relay it, drop it, fault its
 * sender, or `later` — refused for now by a budget (its signer's share is
 * full), not relayed and not remembered as seen, so it counts if it comes
 * again once there is room.
 */
export type VoteVerdict = 'accept' | 'ignore' | 'invalid' | 'later';

/** The agreement layer's check of an opaque vote (votes it accepts are relayed). */
export type VoteCheck = (bytes: Uint8Array, from: string | null, nowMs: number) => VoteVerdict;
