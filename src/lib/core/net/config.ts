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
  /** Largest decoded `tx` message (the network's largest transaction plus framing). */
  readonly maxTxMessageBytes: number;
  /** Largest decoded `blob` message (the network's largest blob plus framing, SPEC §3). */
  readonly maxBlobMessageBytes: number;
  /** A blob request unanswered this long goes to another peer (a 10 MB blob takes a while). */
  readonly blobTimeoutMs: number;
  /** Blob requests in flight to one peer, and requests from one peer being served (a 10 MB blob each). */
  readonly blobsPerPeer: number;
  /** Blob requests in flight to all peers together: their answers fit {@link MeshConfig.partialBytes}. */
  readonly blobsInFlight: number;
  /** Partial (chunked) messages a peer may have open at once. */
  readonly maxPartials: number;
  /**
   * Bytes one peer's partial messages may announce together. An honest peer
   * sends one message's chunks back to back, so it never has more than one
   * open; this is the largest message (a blob) plus a block. Over it the
   * peer is faulted (OVERSIZE) and its partials dropped.
   */
  readonly peerPartialBytes: number;
  /**
   * Bytes all peers' partial messages may announce together: the blobs we
   * fetch at once and eight large blocks. Over it a new message is read and
   * dropped, not faulted (other peers filled it), and its request goes
   * elsewhere after its timeout.
   */
  readonly partialBytes: number;
  /**
   * Peers connected at once (SPEC §6, §10 "bounded mesh"). A channel that
   * opens when this many are connected is refused (`TooManyPeers`).
   */
  readonly maxPeers: number;
  /**
   * Of {@link MeshConfig.maxPeers}, the slots only validators take (so
   * validators keep links to each other): a peer that is not one is refused
   * at its hello when `maxPeers − validatorSlots` others already said hello.
   */
  readonly validatorSlots: number;
  /** A peer that has not said hello this long after its channel opened is dropped (it holds a slot). */
  readonly helloTimeoutMs: number;
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

/** Large blocks whose chunks the node-wide reassembly budget holds at once, besides the blobs. */
const BLOCKS_IN_REASSEMBLY = 8;

/**
 * The defaults for a network: messages sized for its largest block; the
 * reassembly budgets follow from the message sizes (and their overrides).
 */
export function meshConfig(params: ChainParams, overrides: Partial<MeshConfig> = {}): MeshConfig {
  const base = {
    maxMessageBytes: params.maxBlockBytes + 1024,
    maxTxMessageBytes: params.maxTxBytes + 1024,
    maxBlobMessageBytes: MAX_BLOB_BYTES + 1024,
    blobsInFlight: 4,
    ...overrides,
  };
  return {
    peerPartialBytes: base.maxBlobMessageBytes + base.maxMessageBytes,
    partialBytes: base.blobsInFlight * base.maxBlobMessageBytes + BLOCKS_IN_REASSEMBLY * base.maxMessageBytes,
    maxPeers: 32,
    validatorSlots: 8,
    helloTimeoutMs: 20_000,
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
    ...base,
  };
}
