/**
 * Every limit and timer of the mesh node (SPEC §5–6: every limit is
 * explicit). Times are milliseconds of the injected clock.
 */
import type { ChainParams } from '../params';
import { MAX_BLOB_BYTES } from '../payloads';
import { DEFAULT_SCORE_OPTIONS, type ScoreOptions } from './peer-score';

export interface MeshConfig {
  /** Largest decoded message (a block plus framing); blob messages have their own cap. */
  readonly maxMessageBytes: number;
  /** Largest decoded `blob` message (the network's largest blob plus framing, SPEC §3). */
  readonly maxBlobMessageBytes: number;
  /** A blob request unanswered this long goes to another peer (a 10 MB blob takes a while). */
  readonly blobTimeoutMs: number;
  /** Blob requests in flight to one peer, and requests from one peer being served (a 10 MB blob each). */
  readonly blobsPerPeer: number;
  /** Partial (chunked) messages a peer may have open at once. */
  readonly maxPartials: number;
  /** How long a partial message may wait for its remaining chunks. */
  readonly partialTimeoutMs: number;
  /** Headers kept ahead of their blocks. */
  readonly maxHeaders: number;
  /** A header no connected peer has is dropped after this long. */
  readonly headerStaleMs: number;
  /** Blocks requested from one peer and not yet received. */
  readonly blocksPerPeer: number;
  /**
   * A peer with blocks in flight is asked again only once this many more fit
   * (fewer, larger requests: one per this many blocks, not one per block).
   */
  readonly blocksRefill: number;
  /** Blocks are requested at most this many heights above the lowest missing one. */
  readonly downloadWindow: number;
  /** A block, headers or transaction request unanswered this long goes to another peer. */
  readonly requestTimeoutMs: number;
  /** Unsolicited messages: a burst, then a rate per second. */
  readonly rateBurst: number;
  readonly ratePerSecond: number;
  /**
   * Requests for data (headers, blocks, transactions, blobs): their own,
   * larger allowance. A node catching up asks for thousands of blocks a
   * minute as fast as we answer; counting those as unsolicited banned honest
   * syncing nodes after ~700 blocks.
   */
  readonly requestBurst: number;
  readonly requestsPerSecond: number;
  /** Entries of each per-peer seen-set (blocks, transactions, votes). */
  readonly seenPerPeer: number;
  /** Votes and rejected transactions remembered node-wide. */
  readonly seenGlobal: number;
  /** A silent peer is pinged after this long, and dropped when the pong is this late. */
  readonly pingIntervalMs: number;
  readonly pingTimeoutMs: number;
  readonly score: ScoreOptions;
}

/** The defaults for a network: messages sized for its largest block. */
export function meshConfig(params: ChainParams, overrides: Partial<MeshConfig> = {}): MeshConfig {
  return {
    maxMessageBytes: params.maxBlockBytes + 1024,
    maxBlobMessageBytes: MAX_BLOB_BYTES + 1024,
    blobTimeoutMs: 30_000,
    blobsPerPeer: 2,
    maxPartials: 2,
    partialTimeoutMs: 30_000,
    maxHeaders: 20_000,
    headerStaleMs: 120_000,
    blocksPerPeer: 64,
    blocksRefill: 16,
    downloadWindow: 256,
    requestTimeoutMs: 10_000,
    rateBurst: 500,
    ratePerSecond: 100,
    requestBurst: 4000,
    requestsPerSecond: 4000,
    seenPerPeer: 4096,
    seenGlobal: 16_384,
    pingIntervalMs: 30_000,
    pingTimeoutMs: 60_000,
    score: DEFAULT_SCORE_OPTIONS,
    ...overrides,
  };
}
