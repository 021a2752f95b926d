/**
 * The mesh node (SPEC §6): the network logic of one node as a state machine
 * with no I/O. The transport feeds it events (a channel opened, a frame
 * arrived, a channel closed, time passed) and carries out the actions it
 * returns (send frames, disconnect a peer, persist an accepted block). Local
 * writes (a mined block, a new transaction, a vote) enter through the
 * `submit` methods. Nothing a peer sends can make it throw: bad frames and
 * messages become faults, scored and punished with a timed ban.
 *
 * Memory a peer can make it hold is bounded (issue 13, defect 5): at most
 * `maxPeers` peers (admission.ts); nothing but a whole hello taken before a
 * peer's hello; chunked messages capped by their type at the first chunk
 * (type-caps.ts) and by a per-peer and a node-wide budget (chunk.ts).
 */
import type { Block } from '../block';
import { toHex } from '../bytes';
import type { BlobRef } from '../payloads';
import type { AddBlockResult, AddTxResult, ChainState } from '../chain';
import { type Tx, txId } from '../tx';
import { BlobFetch } from './blob-fetch';
import { BlobIndex } from './blob-refs';
import { CHUNK_BYTES, Chunker, ReassemblyPool, wholeMessageType } from './chunk';
import { type ValidatorTest, claimsValidator, roomAtHello, roomForChannel } from './admission';
import { type MeshConfig, meshConfig } from './config';
import type { NetAction, NetEvent, VoteCheck } from './events';
import { type CertificateSource, Gossip } from './gossip';
import { HeaderIndex } from './headers';
import { type Hello, type Message, MsgType, type NodeRole, RejectCode } from './messages';
import { type NetContext, Peer } from './peer';
import { type Fault, PeerScores, REJECT_FOR_FAULT } from './peer-score';
import { judgeHello, makeHello } from './hello';
import { HeaderSync } from './header-sync';
import { BlockDownload } from './sync';
import { chunkedCap } from './type-caps';
import { decodeMessage, encodeMessage } from './wire';

/** Whether a fetch started ('asked'; the outcome comes as an action) or why not: nothing here references the hash and size, or its record is erased. */
export type BlobFetchStart = 'asked' | 'unreferenced' | 'erased';

export interface MeshOptions {
  readonly chain: ChainState;
  /** This node's Ed25519 public key. */
  readonly nodeId: Uint8Array;
  readonly role: NodeRole;
  readonly config?: Partial<MeshConfig>;
  /** The agreement layer's check of votes; without one, votes from peers are not relayed. */
  readonly checkVote?: VoteCheck;
  /**
   * Whether blocks from peers wait for the transport to prepare them (a
   * `prepare-blocks` action answered by a `prepared` event) before they
   * join the chain: the browser checks their signatures with WebCrypto,
   * many at once, ahead of the synchronous core (issue 7).
   */
  readonly prepareBlocks?: boolean;
  /** Which greeted peers are kept as validators (admission.ts); default: those whose hello claims the Hospital role. */
  readonly isValidator?: ValidatorTest;
  /** The agreement layer's commit certificates, sent to peers whose final height is below ours (gossip.ts). */
  readonly certificate?: CertificateSource;
  /** The block a quorum committed that this node lacks (the agreement layer's; header-sync.ts fetches its branch). */
  readonly awaitedBlock?: () => string | null;
}

/** Bytes the node's reassembly holds for partial messages (chunk.ts {@link ReassemblyPool}). */
export interface ReassemblyStats {
  /** Received and kept. */
  readonly held: number;
  /** Announced totals of the partial messages kept (held ≤ reserved ≤ `partialBytes`). */
  readonly reserved: number;
  /** Messages read and dropped because the node-wide budget was full. */
  readonly discarded: number;
}

export class MeshNode implements NetContext {
  readonly config: MeshConfig;
  readonly chain: ChainState;
  readonly headers: HeaderIndex;
  readonly scores: PeerScores;
  /** Which blobs may be asked for and served (referenced here, not erased). */
  readonly blobs: BlobIndex;
  private readonly blobFetch: BlobFetch;
  private readonly peers = new Map<string, Peer>();
  private readonly download: BlockDownload;
  private readonly headerSync: HeaderSync;
  private readonly gossip: Gossip;
  private readonly nodeId: Uint8Array;
  private readonly role: NodeRole;
  private readonly isValidator: ValidatorTest;
  /** Every peer's partial messages, under the node-wide budget. */
  private readonly pool: ReassemblyPool;
  private out: NetAction[] = [];
  private pingCounter = 0;
  /** The clock of the event being handled. */
  private now = 0;

  constructor(options: MeshOptions) {
    this.chain = options.chain;
    this.nodeId = options.nodeId;
    this.role = options.role;
    this.config = meshConfig(this.chain.params, options.config);
    this.isValidator = options.isValidator ?? claimsValidator;
    this.pool = new ReassemblyPool(this.config.partialBytes);
    this.scores = new PeerScores(this.config.score);
    this.headers = new HeaderIndex(this.chain, this.config.maxHeaders);
    this.headerSync = new HeaderSync(this, this.chain, this.headers, (now) => this.download.schedule(now), options.awaitedBlock);
    this.download = new BlockDownload(
      this,
      this.chain,
      this.headers,
      (now) => this.headerSync.askIfBehind(now),
      (peer, now) => this.headerSync.timedOut(peer, now),
      options.prepareBlocks === true,
    );
    this.gossip = new Gossip(this, this.chain, this.headers, options.checkVote ?? null, options.certificate ?? null);
    this.blobs = new BlobIndex(this.chain);
    this.blobFetch = new BlobFetch(this);
  }

  /** Blocks received from the network and handed to the chain so far. */
  get blocksFetched(): number {
    return this.download.blocksFetched;
  }

  /** What the node holds now for peers' partial messages. */
  get reassembly(): ReassemblyStats {
    return { held: this.pool.held, reserved: this.pool.reserved, discarded: this.pool.discarded };
  }

  /** Connected peers (greeted or not). */
  get peerCount(): number {
    return this.peers.size;
  }

  /** Whether another channel would be kept: a transport may stop dialling while it is not. */
  get acceptsPeers(): boolean {
    return roomForChannel(this.peers.size, this.config);
  }

  /** Peers that said hello, in id order. */
  readyPeers(): Peer[] {
    return [...this.peers.values()].filter((p) => p.ready).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }

  peer(id: string): Peer | undefined {
    return this.peers.get(id);
  }

  /** Handles one transport event; returns what the transport must do. */
  handle(event: NetEvent): NetAction[] {
    this.now = event.now;
    switch (event.kind) {
      case 'connect':
        this.onConnect(event.peer, event.now);
        break;
      case 'frame':
        this.onFrame(event.peer, event.data, event.now);
        break;
      case 'disconnect':
        this.drop(event.peer, event.now);
        break;
      case 'tick':
        this.onTick(event.now);
        break;
      case 'prepared':
        this.download.onPrepared(event.keys, event.now);
        break;
    }
    return this.flush();
  }

  /** Our own block (mined here): added, and announced when it becomes the tip. */
  submitBlock(block: Block, nowMs: number): { result: AddBlockResult; actions: NetAction[] } {
    this.now = nowMs;
    const result = this.chain.addBlock(block, Math.floor(nowMs / 1000));
    if (result.status === 'accepted') {
      for (const n of [result.node, ...result.adopted]) this.headers.remove(n.key);
      this.emit({ kind: 'block-accepted', node: result.node, reorg: result.reorg, from: null });
    }
    return { result, actions: this.flush() };
  }

  /** Our own transaction: into the pool and announced (kept and re-announced on reconnect when offline). */
  submitTx(tx: Tx, nowMs: number): { result: AddTxResult; actions: NetAction[] } {
    this.now = nowMs;
    const result = this.gossip.onTx(null, tx, nowMs);
    return { result, actions: this.flush() };
  }

  /** Our own vote: sent to every peer. */
  submitVote(bytes: Uint8Array, nowMs: number): NetAction[] {
    this.now = nowMs;
    this.gossip.onVote(null, bytes, nowMs);
    return this.flush();
  }

  /**
   * Fetches a blob from peers (SPEC §3): only one a transaction on our chain
   * or in our pool references, under the size and hash the chain holds (not
   * `ref`'s claim), never one whose record is erased. The outcome comes as a
   * `blob-received` or `blob-failed` action.
   */
  fetchBlob(ref: BlobRef, nowMs: number): { result: BlobFetchStart; actions: NetAction[] } {
    this.now = nowMs;
    const entry = this.blobs.lookup(toHex(ref.hash));
    let result: BlobFetchStart = 'asked';
    if (!entry || entry.ref.size !== ref.size) result = 'unreferenced';
    else if (entry.erased) result = 'erased';
    else this.blobFetch.want(entry.ref, nowMs);
    return { result, actions: this.flush() };
  }

  /** Gives up on a blob being fetched (the caller's timeout). */
  cancelBlob(hashHex: string): void {
    this.blobFetch.cancel(hashHex);
  }

  /**
   * Answers a `blob-wanted` action with the store's bytes (null: not held).
   * Checked again here, since the record may have been erased meanwhile.
   */
  serveBlob(peerId: string, ref: BlobRef, bytes: Uint8Array | null, nowMs: number): NetAction[] {
    this.now = nowMs;
    const peer = this.peers.get(peerId);
    if (peer) peer.blobServing = Math.max(0, peer.blobServing - 1);
    if (peer?.ready) {
      const entry = this.blobs.lookup(toHex(ref.hash));
      if (bytes && entry && !entry.erased) this.send(peer, { type: MsgType.Blob, hash: ref.hash, bytes });
      else this.send(peer, { type: MsgType.Reject, code: RejectCode.NotFound, subject: ref.hash });
    }
    return this.flush();
  }

  send(peer: Peer, msg: Message): void {
    this.out.push({ kind: 'send', peer: peer.id, msg, frames: peer.chunker.frames(encodeMessage(msg)) });
  }

  emit(action: NetAction): void {
    this.out.push(action);
  }

  fault(peer: Peer, fault: Fault): boolean {
    const now = this.now;
    if (!this.scores.penalise(peer.id, fault, now)) return true;
    if (this.peers.get(peer.id) !== peer) return false;
    const reason = REJECT_FOR_FAULT[fault];
    this.send(peer, { type: MsgType.Reject, code: reason, subject: new Uint8Array(32) });
    this.emit({ kind: 'disconnect', peer: peer.id, fault, banned: true, reason });
    this.drop(peer.id, now);
    return false;
  }

  private flush(): NetAction[] {
    this.gossip.announceTip();
    const prepare = this.download.takePrepare();
    if (prepare.length > 0) this.out.push({ kind: 'prepare-blocks', blocks: prepare });
    const out = this.out;
    this.out = [];
    return out;
  }

  private onConnect(id: string, now: number): void {
    if (this.scores.isBanned(id, now)) {
      this.emit({ kind: 'disconnect', peer: id, fault: null, banned: true });
      return;
    }
    if (this.peers.has(id)) return;
    if (!roomForChannel(this.peers.size, this.config)) {
      // Refused before it is a peer: told why, not banned (the driver's cooldown keeps it away a while).
      const reason = RejectCode.TooManyPeers;
      const msg: Message = { type: MsgType.Reject, code: reason, subject: new Uint8Array(32) };
      this.out.push({ kind: 'send', peer: id, msg, frames: new Chunker().frames(encodeMessage(msg)) });
      this.emit({ kind: 'disconnect', peer: id, fault: null, banned: false, reason });
      return;
    }
    const peer = new Peer(id, this.config, now, this.pool);
    this.peers.set(id, peer);
    this.send(peer, makeHello(this.chain, this.nodeId, this.role));
  }

  private drop(id: string, now: number): void {
    const peer = this.peers.get(id);
    if (!peer) return;
    this.peers.delete(id);
    peer.reassembler.clear();
    this.download.onDisconnect(peer, now);
    this.blobFetch.onDisconnect(peer, now);
  }

  /** Says goodbye without a fault (another network or version, no room, no hello in time). */
  private refuse(peer: Peer, code: RejectCode, now: number): void {
    this.send(peer, { type: MsgType.Reject, code, subject: new Uint8Array(32) });
    this.emit({ kind: 'disconnect', peer: peer.id, fault: null, banned: false, reason: code });
    this.drop(peer.id, now);
  }

  private onFrame(id: string, data: Uint8Array, now: number): void {
    const peer = this.peers.get(id);
    if (!peer) return;
    peer.lastHeard = now;
    // Before its hello a peer is owed nothing: no chunk is kept, no message read but its hello or its
    // refusal (a full node says TooManyPeers and nothing else).
    const early = wholeMessageType(data);
    if (!peer.ready && early !== MsgType.Hello && early !== MsgType.Reject) {
      this.fault(peer, 'PROTOCOL');
      return;
    }
    const r = peer.reassembler.accept(data, now);
    if (r.kind === 'partial' || r.kind === 'discarded') return;
    if (r.kind === 'fault') {
      this.fault(peer, r.fault === 'OVERSIZE' || r.fault === 'OVER_BUDGET' ? 'OVERSIZE' : 'MALFORMED');
      return;
    }
    // A whole frame is at most one chunk; a reassembled message was held to its type's cap.
    const cap = Math.max(CHUNK_BYTES, chunkedCap(this.config, r.bytes[0] ?? -1) ?? 0);
    const d = decodeMessage(r.bytes, cap);
    if (!d.ok) {
      this.fault(peer, d.code === 'OVERSIZE' ? 'OVERSIZE' : 'MALFORMED');
      return;
    }
    if (!this.solicited(peer, d.msg) && !(isRequest(d.msg) ? peer.requests : peer.bucket).take(now)) {
      this.fault(peer, 'SPAM');
      return;
    }
    this.onMessage(peer, d.msg, now);
  }

  /**
   * Answers to our own requests do not count against a peer's rate (a node
   * back from offline may be owed hundreds of transactions at once). Blocks
   * nobody asked for are a fault of their own (UNSOLICITED).
   */
  private solicited(peer: Peer, m: Message): boolean {
    if (m.type === MsgType.Headers) return peer.headersExpected;
    if (m.type === MsgType.Block) return true;
    if (m.type === MsgType.Tx) return this.gossip.asked(toHex(txId(m.tx)));
    if (m.type === MsgType.Blob) return this.blobFetch.asked(peer, toHex(m.hash));
    return false;
  }

  private onMessage(peer: Peer, m: Message, now: number): void {
    if (m.type === MsgType.Hello) return this.onHello(peer, m, now);
    if (!peer.ready && m.type === MsgType.Reject) {
      // Refused before it greeted us (it is full): no fault; the driver's cooldown keeps us from redialling at once.
      this.emit({ kind: 'disconnect', peer: peer.id, fault: null, banned: false });
      this.drop(peer.id, now);
      return;
    }
    if (!peer.ready) {
      this.fault(peer, 'PROTOCOL');
      return;
    }
    switch (m.type) {
      case MsgType.Tip:
        // A peer whose final block moved up may have refused our votes while it was behind (a height too far
        // for its budget: it forgets them, and we never sent them again). Forget what it was sent, so the votes
        // we re-send for the height under agreement reach it once more (rule 14, docs/consensus.md).
        if (m.finalHeight > peer.finalHeight) peer.knownVotes.clear();
        peer.finalHeight = m.finalHeight;
        peer.finalHeardAt = now;
        return this.headerSync.onTip(peer, m, now);
      case MsgType.Inv:
        return this.gossip.onInv(
          peer,
          m,
          now,
          (k) => this.headers.known(k),
          () => this.headerSync.askIfBehind(now),
        );
      case MsgType.GetHeaders:
        return this.headerSync.onGetHeaders(peer, m);
      case MsgType.Headers:
        return this.headerSync.onHeaders(peer, m.headers, now);
      case MsgType.GetBlocks:
        return this.download.onGetBlocks(peer, m.hashes);
      case MsgType.Block:
        return this.download.onBlock(peer, m.block, m.size, now, m.bytes);
      case MsgType.GetTxs:
        return this.gossip.onGetTxs(peer, m.ids);
      case MsgType.Tx:
        this.gossip.onTx(peer, m.tx, now);
        return;
      case MsgType.Vote:
        return this.gossip.onVote(peer, m.bytes, now);
      case MsgType.Ping:
        return this.send(peer, { type: MsgType.Pong, nonce: m.nonce });
      case MsgType.Pong:
        if (m.nonce === peer.pingNonce) peer.pingNonce = null;
        return;
      case MsgType.Reject:
        if (m.code === RejectCode.NotFound) {
          this.download.onNotFound(peer, m.subject, now);
          this.blobFetch.onNotFound(peer, m.subject, now);
        }
        return;
      case MsgType.GetBlob:
        return this.onGetBlob(peer, m.hash);
      case MsgType.Blob:
        return this.blobFetch.onBlob(peer, m.hash, m.bytes, now);
    }
  }

  /**
   * Serves only blobs referenced here and not erased, at most
   * `blobsPerPeer` to one peer at a time (our fetcher asks no more); the
   * store's answer comes back through {@link serveBlob}.
   */
  private onGetBlob(peer: Peer, hash: Uint8Array): void {
    const entry = this.blobs.lookup(toHex(hash));
    if (entry && !entry.erased && peer.blobServing < this.config.blobsPerPeer) {
      peer.blobServing++;
      this.emit({ kind: 'blob-wanted', peer: peer.id, ref: entry.ref });
    } else this.send(peer, { type: MsgType.Reject, code: RejectCode.NotFound, subject: hash });
  }

  private onHello(peer: Peer, m: Hello, now: number): void {
    const verdict = judgeHello(this.chain, peer.id, peer.ready, m);
    if (verdict === 'fault') {
      this.fault(peer, 'PROTOCOL');
      return;
    }
    if (verdict !== 'ok') return this.refuse(peer, verdict, now);
    const validator = this.isValidator(peer.id, m);
    if (!roomAtHello(validator, this.peers.values(), this.config)) return this.refuse(peer, RejectCode.TooManyPeers, now);
    peer.validator = validator;
    peer.hello = m;
    peer.finalHeight = m.finalHeight;
    peer.finalHeardAt = now;
    this.headerSync.onHello(peer, now);
    this.gossip.onHello(peer);
  }

  private onTick(now: number): void {
    for (const p of [...this.peers.values()]) {
      p.reassembler.expire(now);
      if (!p.ready) {
        if (now - p.since > this.config.helloTimeoutMs) this.refuse(p, RejectCode.Protocol, now);
        continue;
      }
      if (p.pingNonce !== null && now - p.pingSentAt > this.config.pingTimeoutMs) {
        this.emit({ kind: 'disconnect', peer: p.id, fault: null, banned: false });
        this.drop(p.id, now);
      } else if (p.pingNonce === null && now - p.lastHeard > this.config.pingIntervalMs) {
        p.pingNonce = ++this.pingCounter;
        p.pingSentAt = now;
        this.send(p, { type: MsgType.Ping, nonce: p.pingNonce });
      }
    }
    this.download.tick(now);
    this.headerSync.askIfBehind(now);
    this.gossip.tick(now);
    this.blobFetch.tick(now);
  }
}

/** Requests for data: paced by the asker's own download window, so they get their own allowance. */
function isRequest(m: Message): boolean {
  return m.type === MsgType.GetHeaders || m.type === MsgType.GetBlocks || m.type === MsgType.GetTxs || m.type === MsgType.GetBlob;
}
