/**
 * What the node knows of one connected peer (SPEC §6): its hello, its best
 * tip, what it already has (bounded seen-sets, so nothing is announced to it
 * twice), what we asked of it, its framing state and its rate bucket.
 */
import { Chunker, Reassembler, type ReassemblyPool } from './chunk';
import type { MeshConfig } from './config';
import type { NetAction } from './events';
import type { Hello, Message } from './messages';
import type { Fault } from './peer-score';
import { TokenBucket } from './rate';
import { SeenSet } from './seen';
import { chunkedCap } from './type-caps';

export class Peer {
  hello: Hello | null = null;
  /** The final height it last told us of (hello, tip). */
  finalHeight = 0;
  /** When it last told us its final height (ms). */
  finalHeardAt = 0;
  /** The highest final height whose certificate we sent it on this channel (gossip.ts). */
  certificatesSent = 0;
  /** Kept as a validator (judged at its hello; admission.ts). */
  validator = false;
  /** Hex hash of the best tip the peer told us of, and the work it claimed. */
  bestKey: string | null = null;
  bestWork = 0n;
  /** The peer's claimed tip could not be reached through its headers: not asked again until it announces another. */
  claimTried = false;
  readonly knownBlocks: SeenSet;
  readonly knownTxs: SeenSet;
  readonly knownVotes: SeenSet;
  /** Blocks asked of this peer: hex hash → when. */
  readonly blocksAsked = new Map<string, number>();
  /** Blocks whose request timed out (a late answer is not a fault). */
  readonly blocksLate: SeenSet;
  /** When headers were asked, or null. */
  headersAskedAt: number | null = null;
  /** Whether a headers answer is expected (stays set after a timeout, so a late answer is welcome). */
  headersExpected = false;
  /** Its blob requests handed to the store and not answered yet (capped: each may be 10 MB). */
  blobServing = 0;
  readonly chunker = new Chunker();
  readonly reassembler: Reassembler;
  readonly bucket: TokenBucket;
  /** The allowance for requests for data (headers, blocks, transactions, blobs). */
  readonly requests: TokenBucket;
  /** When its channel opened (it must say hello within `helloTimeoutMs`). */
  readonly since: number;
  lastHeard: number;
  pingNonce: number | null = null;
  pingSentAt = 0;

  /** `pool`: the node's reassembly budget, shared by its peers. */
  constructor(
    readonly id: string,
    config: MeshConfig,
    nowMs: number,
    pool?: ReassemblyPool,
  ) {
    this.knownBlocks = new SeenSet(config.seenPerPeer);
    this.knownTxs = new SeenSet(config.seenPerPeer);
    this.knownVotes = new SeenSet(config.seenPerPeer);
    this.blocksLate = new SeenSet(config.seenPerPeer);
    this.reassembler = new Reassembler(
      {
        maxBytes: (type) => chunkedCap(config, type),
        maxPartials: config.maxPartials,
        budgetBytes: config.peerPartialBytes,
        timeoutMs: config.partialTimeoutMs,
      },
      pool,
    );
    this.bucket = new TokenBucket(config.rateBurst, config.ratePerSecond, nowMs);
    this.requests = new TokenBucket(config.requestBurst, config.requestsPerSecond, nowMs);
    this.since = nowMs;
    this.lastHeard = nowMs;
  }

  /** Whether the peer said hello (only then does it take part). */
  get ready(): boolean {
    return this.hello !== null;
  }
}

/**
 * What sync and gossip need from the node: the peers, and ways to send,
 * report a fault and emit an action. Implemented by the mesh node.
 */
export interface NetContext {
  readonly config: MeshConfig;
  readyPeers(): Peer[];
  peer(id: string): Peer | undefined;
  send(peer: Peer, msg: Message): void;
  /** Reports misbehaviour; returns false when the peer was dropped for it. */
  fault(peer: Peer, fault: Fault): boolean;
  emit(action: NetAction): void;
}
