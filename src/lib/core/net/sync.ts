/**
 * Block download (SPEC §6: only the missing blocks, validated as they are
 * stored, not a full re-download from every peer). The blocks of headers in
 * the index are fetched lowest height first, each from the least busy peer
 * that has it, within a bounded number in flight per peer and a bounded
 * window of heights; a request unanswered in time goes to another peer.
 * Blocks are handed to the chain in order (each once its parent is in the
 * chain), so none waits in the orphan pool. Headers come from
 * `header-sync.ts`.
 */
import type { Block } from '../block';
import { toHex } from '../bytes';
import { type ChainState, NOT_CACHED } from '../chain';
import type { RuleCode } from '../errors';
import { headerHash } from '../header';
import type { HeaderIndex } from './headers';
import { MsgType, RejectCode, WIRE_CAPS } from './messages';
import type { NetContext, Peer } from './peer';

/** Failures an honest peer can cause (its clock or its view of finality differs): no fault. */
const EXCUSED: ReadonlySet<RuleCode> = new Set<RuleCode>(['TIME_TOO_NEW', 'BELOW_FINAL']);

interface Received {
  readonly block: Block;
  readonly size: number;
  readonly from: string;
}

export class BlockDownload {
  /** Block hex hash → the peer it is asked of. */
  private readonly asked = new Map<string, string>();
  /** Peers whose request for a block timed out, per block. */
  private readonly failed = new Map<string, Set<string>>();
  /** Blocks received whose parent is not yet in the chain. */
  private readonly received = new Map<string, Received>();
  /** Blocks moved from the network into the chain (each counted once). */
  blocksFetched = 0;

  constructor(
    private readonly net: NetContext,
    private readonly chain: ChainState,
    private readonly headers: HeaderIndex,
    /** Asks for headers when a peer is ahead (after a timeout or a departure). */
    private readonly behind: (nowMs: number) => void,
    /** Whether a peer's headers request timed out (a stall). */
    private readonly headersTimedOut: (peer: Peer, nowMs: number) => boolean,
  ) {}

  /** A block arrived. */
  onBlock(peer: Peer, block: Block, size: number, nowMs: number): void {
    const key = toHex(headerHash(block.header));
    const mine = peer.blocksAsked.delete(key);
    if (this.asked.get(key) === peer.id) this.asked.delete(key);
    peer.knownBlocks.add(key);
    if (this.chain.get(key) || this.received.has(key)) return; // a duplicate: harmless
    if (!mine && !peer.blocksLate.has(key) && !this.headers.get(key)) {
      this.net.fault(peer, 'UNSOLICITED');
      return;
    }
    this.received.set(key, { block, size, from: peer.id });
    this.blocksFetched++;
    this.drain(nowMs);
    this.schedule(nowMs);
  }

  /** A peer cannot serve a block we asked of it. */
  onNotFound(peer: Peer, subject: Uint8Array, nowMs: number): void {
    const key = toHex(subject);
    if (!peer.blocksAsked.delete(key)) return;
    if (this.asked.get(key) === peer.id) this.asked.delete(key);
    this.headers.get(key)?.sources.delete(peer.id);
    this.schedule(nowMs);
  }

  /** Serves blocks a peer asked for; unknown ones are answered with a not-found reject. */
  onGetBlocks(peer: Peer, hashes: readonly Uint8Array[]): void {
    for (const hash of hashes) {
      const node = this.chain.get(toHex(hash));
      if (node) this.net.send(peer, { type: MsgType.Block, block: node.block, size: node.size });
      else this.net.send(peer, { type: MsgType.Reject, code: RejectCode.NotFound, subject: hash });
    }
  }

  /** Hands received blocks to the chain, parents first. */
  private drain(nowMs: number): void {
    const now = Math.floor(nowMs / 1000);
    for (let progress = true; progress; ) {
      progress = false;
      for (const [key, r] of [...this.received].sort((a, b) => a[1].block.header.height - b[1].block.header.height)) {
        if (!this.chain.get(toHex(r.block.header.prevHash))) continue;
        this.received.delete(key);
        progress = true;
        this.accept(key, r, now);
      }
    }
  }

  private accept(key: string, r: Received, now: number): void {
    const res = this.chain.addBlock(r.block, now, r.size);
    const from = this.net.peer(r.from);
    if (res.status === 'accepted') {
      for (const n of [res.node, ...res.adopted]) this.headers.remove(n.key);
      this.net.emit({ kind: 'block-accepted', node: res.node, reorg: res.reorg, from: r.from });
      return;
    }
    if (res.status !== 'invalid') {
      this.headers.remove(key);
      return;
    }
    const code = res.error.code;
    // A body failure (or a transient one) says nothing of the header: it stays wanted from other peers.
    if (NOT_CACHED.has(code)) this.headers.get(key)?.sources.delete(r.from);
    else for (const gone of this.headers.removeBranch(key)) this.received.delete(gone);
    if (from && !EXCUSED.has(code)) this.net.fault(from, 'INVALID_BLOCK');
  }

  /** Requests missing blocks, lowest first, from the least busy peer that has each. */
  schedule(nowMs: number): void {
    const low = this.headers.lowestHeight();
    if (low === null) return;
    const cfg = this.net.config;
    const batches = new Map<Peer, Uint8Array[]>();
    for (const e of this.headers.ascending(low + cfg.downloadWindow)) {
      if (this.asked.has(e.key) || this.received.has(e.key)) continue;
      const failed = this.failed.get(e.key);
      let pick: Peer | null = null;
      for (const id of e.sources) {
        const p = this.net.peer(id);
        if (!p?.ready || p.blocksAsked.size >= cfg.blocksPerPeer || failed?.has(id)) continue;
        if (!pick || p.blocksAsked.size < pick.blocksAsked.size || (p.blocksAsked.size === pick.blocksAsked.size && p.id < pick.id)) pick = p;
      }
      if (!pick) {
        if (failed && [...e.sources].every((id) => failed.has(id))) this.failed.delete(e.key); // all tried: try again
        continue;
      }
      pick.blocksAsked.set(e.key, nowMs);
      this.asked.set(e.key, pick.id);
      let batch = batches.get(pick);
      if (!batch) batches.set(pick, (batch = []));
      batch.push(e.hash);
    }
    for (const [p, hashes] of batches)
      for (let i = 0; i < hashes.length; i += WIRE_CAPS.getBlocks)
        this.net.send(p, { type: MsgType.GetBlocks, hashes: hashes.slice(i, i + WIRE_CAPS.getBlocks) });
  }

  /** Timeouts: unanswered block and headers requests go elsewhere (a stall costs the peer points); stale headers are dropped. */
  tick(nowMs: number): void {
    const timeout = this.net.config.requestTimeoutMs;
    for (const p of this.net.readyPeers()) {
      let stalled = false;
      for (const [key, at] of p.blocksAsked)
        if (nowMs - at > timeout) {
          p.blocksAsked.delete(key);
          p.blocksLate.add(key);
          if (this.asked.get(key) === p.id) this.asked.delete(key);
          let f = this.failed.get(key);
          if (!f) this.failed.set(key, (f = new Set()));
          f.add(p.id);
          stalled = true;
        }
      if (this.headersTimedOut(p, nowMs)) stalled = true;
      if (stalled) this.net.fault(p, 'STALL');
    }
    this.headers.prune(nowMs, this.net.config.headerStaleMs);
    for (const key of [...this.failed.keys()]) if (!this.headers.get(key)) this.failed.delete(key);
    for (const key of [...this.received.keys()]) if (!this.headers.get(key)) this.received.delete(key);
    this.behind(nowMs);
    this.schedule(nowMs);
  }

  /** A peer left: what it was asked goes to others. */
  onDisconnect(peer: Peer, nowMs: number): void {
    for (const key of peer.blocksAsked.keys()) if (this.asked.get(key) === peer.id) this.asked.delete(key);
    peer.blocksAsked.clear();
    this.headers.dropSource(peer.id);
    this.behind(nowMs);
    this.schedule(nowMs);
  }
}
