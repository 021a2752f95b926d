/**
 * Catching up (SPEC §6): a node that joins late or comes back from offline
 * learns its peers' tips from hello and announcements, fetches headers first
 * with a block locator, then only the blocks it lacks. Downloads go lowest
 * height first, spread over the peers that have each block, within a bounded
 * window per peer and overall; a request unanswered in time goes to another
 * peer. Blocks are handed to the chain in order (each once its parent is in
 * the chain), so they are validated as they are stored and none waits in
 * the orphan pool. Announced new tips take the same path: a header whose
 * parent is known is fetched at once; one whose parent is not starts a
 * locator exchange.
 */
import type { Block } from '../block';
import { toHex } from '../bytes';
import { type ChainState, NOT_CACHED } from '../chain';
import type { RuleCode } from '../errors';
import type { BlockHeader } from '../header';
import { HASH_BYTES } from '../hash';
import { headerHash } from '../header';
import type { HeaderIndex } from './headers';
import { headersAfter } from './locator';
import { type GetHeaders, MsgType, RejectCode, type TipAnnounce, WIRE_CAPS } from './messages';
import type { NetContext, Peer } from './peer';

/** Failures an honest peer can cause (its clock or its view of finality differs): no fault. */
const EXCUSED: ReadonlySet<RuleCode> = new Set<RuleCode>(['TIME_TOO_NEW', 'BELOW_FINAL']);

interface Received {
  readonly block: Block;
  readonly size: number;
  readonly from: string;
}

const ZERO = new Uint8Array(HASH_BYTES);

export class BlockSync {
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
  ) {}

  /** Our best known tip: the chain's, or a header with more work. */
  private bestKnown(): { work: bigint; key: string } {
    const h = this.headers.best();
    const tip = this.chain.tip;
    return h && h.work > tip.chainWork ? h : { work: tip.chainWork, key: tip.key };
  }

  /** Whether a claimed tip would win fork choice over ours: more work, or equal work and a lower hash. */
  private beats(work: bigint, key: string): boolean {
    const ours = this.bestKnown();
    return work > ours.work || (work === ours.work && key < ours.key);
  }

  /** A peer said hello: remember its tip and, if it is ahead, ask for headers. */
  onHello(peer: Peer, nowMs: number): void {
    const h = peer.hello!;
    this.learnTip(peer, toHex(h.tipHash), h.tipWork);
    this.askHeadersIfBehind(nowMs);
  }

  private learnTip(peer: Peer, key: string, work: bigint): void {
    if (key !== peer.bestKey) peer.claimTried = false;
    peer.bestKey = key;
    peer.bestWork = work;
    peer.knownBlocks.add(key);
    this.headers.markSource(key, peer.id);
  }

  /** A peer's new tip. */
  onTip(peer: Peer, m: TipAnnounce, nowMs: number): void {
    const key = toHex(headerHash(m.header));
    this.learnTip(peer, key, m.work);
    const r = this.headers.add(m.header, peer.id, nowMs);
    if (r === 'invalid') {
      this.net.fault(peer, 'INVALID_HEADER');
      return;
    }
    // Parent unknown: a locator exchange, unless one is running (one sync at a time, not one per announcer).
    if (r === 'unlinked') this.askHeadersIfBehind(nowMs);
    this.schedule(nowMs);
  }

  /** A peer asks for headers after its locator. */
  onGetHeaders(peer: Peer, m: GetHeaders): void {
    const headers = headersAfter(this.chain, m.locator, toHex(m.stop), WIRE_CAPS.headers);
    this.net.send(peer, { type: MsgType.Headers, headers });
  }

  /** Headers we asked for. */
  onHeaders(peer: Peer, list: readonly BlockHeader[], nowMs: number): void {
    if (!peer.headersExpected) {
      this.net.fault(peer, 'UNSOLICITED');
      return;
    }
    peer.headersExpected = false;
    peer.headersAskedAt = null;
    let prev: Uint8Array | null = null;
    let last: string | null = null;
    for (const h of list) {
      if (prev && toHex(h.prevHash) !== toHex(prev)) {
        this.net.fault(peer, 'INVALID_HEADER');
        return;
      }
      prev = headerHash(h);
      const r = this.headers.add(h, peer.id, nowMs);
      if (r === 'invalid') {
        this.net.fault(peer, 'INVALID_HEADER');
        return;
      }
      if (r === 'unlinked' || r === 'full') break;
      last = toHex(prev);
      peer.knownBlocks.add(last);
    }
    if (last && list.length === WIRE_CAPS.headers) this.askHeaders(peer, nowMs);
    else if (last) this.learnTip(peer, last, this.headers.get(last)?.work ?? this.chain.get(last)?.chainWork ?? peer.bestWork);
    else if (peer.bestKey && !this.headers.known(peer.bestKey)) peer.claimTried = true;
    for (const p of this.net.readyPeers()) if (p.bestKey) this.headers.markSource(p.bestKey, p.id);
    this.askHeadersIfBehind(nowMs);
    this.schedule(nowMs);
  }

  private askHeaders(peer: Peer, nowMs: number): void {
    if (peer.headersExpected && peer.headersAskedAt !== null) return;
    peer.headersExpected = true;
    peer.headersAskedAt = nowMs;
    this.net.send(peer, { type: MsgType.GetHeaders, locator: this.headers.locator(), stop: ZERO });
  }

  /** Asks the peer whose claimed tip beats ours by the most work, unless a headers request is already running. */
  askHeadersIfBehind(nowMs: number): void {
    const peers = this.net.readyPeers();
    if (peers.some((p) => p.headersAskedAt !== null)) return;
    let best: Peer | null = null;
    for (const p of peers)
      if (!p.claimTried && p.bestKey && !this.headers.known(p.bestKey) && this.beats(p.bestWork, p.bestKey) && (!best || p.bestWork > best.bestWork))
        best = p;
    if (best) this.askHeaders(best, nowMs);
  }

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

  /** Timeouts: unanswered block and headers requests go elsewhere; stale headers are dropped. */
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
      if (p.headersAskedAt !== null && nowMs - p.headersAskedAt > timeout) {
        p.headersAskedAt = null;
        p.claimTried = true;
        stalled = true;
      }
      if (stalled) this.net.fault(p, 'STALL');
    }
    this.headers.prune(nowMs, this.net.config.headerStaleMs);
    for (const key of [...this.failed.keys()]) if (!this.headers.get(key)) this.failed.delete(key);
    for (const key of [...this.received.keys()]) if (!this.headers.get(key)) this.received.delete(key);
    this.askHeadersIfBehind(nowMs);
    this.schedule(nowMs);
  }

  /** A peer left: what it was asked goes to others. */
  onDisconnect(peer: Peer, nowMs: number): void {
    for (const key of peer.blocksAsked.keys()) if (this.asked.get(key) === peer.id) this.asked.delete(key);
    peer.blocksAsked.clear();
    this.headers.dropSource(peer.id);
    this.askHeadersIfBehind(nowMs);
    this.schedule(nowMs);
  }
}
