/**
 * Block download (SPEC §6: only the missing blocks, validated as they are
 * stored, not a full re-download from every peer). The blocks of headers in
 * the index are fetched lowest height first, each from the least busy peer
 * that has it, within a bounded number in flight per peer and a bounded
 * window of heights; a request unanswered in time goes to another peer.
 * Blocks are handed to the chain in order (each once its parent is in the
 * chain), so none waits in the orphan pool. Headers come from
 * `header-sync.ts`.
 *
 * With `prepare` on, a received block first goes out to the transport
 * (a `prepare-blocks` action: its signatures are checked asynchronously, all
 * at once, by an engine faster than the core's) and is handed to the chain
 * only once the transport says `prepared`; downloads go on meanwhile. The
 * chain still checks every signature (SPEC §5): preparing only has the
 * answers ready. A body the chain already found to carry a bad signature
 * (the same bytes relayed again, issue 13) is not prepared again: the chain
 * refuses it at once, and its sender is scored as for any invalid block.
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
  readonly key: string;
  readonly parentKey: string;
  readonly block: Block;
  readonly size: number;
  /** Its encoding as received, when the wire kept it. */
  readonly bytes: Uint8Array | undefined;
  readonly from: string;
  /** Whether it may go to the chain (prepared, or no preparing). */
  ready: boolean;
}

export class BlockDownload {
  /** Block hex hash → the peer it is asked of. */
  private readonly asked = new Map<string, string>();
  /** Peers whose request for a block timed out, per block. */
  private readonly failed = new Map<string, Set<string>>();
  /** Blocks received and not yet handed to the chain (parent missing, or not prepared yet). */
  private readonly received = new Map<string, Received>();
  /** The same, by the hex hash of their parent. */
  private readonly children = new Map<string, Set<string>>();
  /** Received blocks to hand to the transport for preparing (with `prepare` on). */
  private toPrepare: { key: string; block: Block }[] = [];
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
    /** Whether received blocks wait for the transport's `prepared` before joining the chain. */
    private readonly prepare = false,
  ) {}

  /** A block arrived. */
  onBlock(peer: Peer, block: Block, size: number, nowMs: number, bytes?: Uint8Array): void {
    const key = toHex(headerHash(block.header));
    const mine = peer.blocksAsked.delete(key);
    if (this.asked.get(key) === peer.id) this.asked.delete(key);
    peer.knownBlocks.add(key);
    if (this.chain.get(key) || this.received.has(key)) return; // a duplicate: harmless
    if (!mine && !peer.blocksLate.has(key) && !this.headers.get(key)) {
      this.net.fault(peer, 'UNSOLICITED');
      return;
    }
    // A body the chain already found bad skips preparing: its signatures are not checked again (the chain answers at once).
    const ready = !this.prepare || this.chain.knownBadBody(block) !== null;
    const r: Received = { key, parentKey: toHex(block.header.prevHash), block, size, bytes, from: peer.id, ready };
    this.received.set(key, r);
    let siblings = this.children.get(r.parentKey);
    if (!siblings) this.children.set(r.parentKey, (siblings = new Set()));
    siblings.add(key);
    this.blocksFetched++;
    if (!ready) this.toPrepare.push({ key, block });
    else this.drain([key], nowMs);
    this.schedule(nowMs);
  }

  /** Received blocks waiting to be prepared, taken once (the mesh turns them into one `prepare-blocks` action). */
  takePrepare(): { key: string; block: Block }[] {
    const out = this.toPrepare;
    this.toPrepare = [];
    return out;
  }

  /** The transport prepared these blocks: each may join the chain once its parent has. */
  onPrepared(keys: readonly string[], nowMs: number): void {
    for (const k of keys) {
      const r = this.received.get(k);
      if (r) r.ready = true;
    }
    this.drain(keys, nowMs);
    this.schedule(nowMs);
  }

  /**
   * A peer cannot serve a block we asked of it. We ask only peers that said
   * they have the block (they announced it or a descendant), so this costs
   * it standing (UNSERVED): a peer that announces a tip and answers "not
   * found" again and again is banned (issue 13, defect 1), while an honest
   * peer whose stored body is awaiting repair loses a little and fades back.
   */
  onNotFound(peer: Peer, subject: Uint8Array, nowMs: number): void {
    const key = toHex(subject);
    if (!peer.blocksAsked.delete(key)) return;
    if (this.asked.get(key) === peer.id) this.asked.delete(key);
    this.headers.get(key)?.sources.delete(peer.id);
    if (!this.net.fault(peer, 'UNSERVED')) return;
    this.schedule(nowMs);
  }

  /**
   * Serves blocks a peer asked for; unknown ones, and those whose stored body
   * is not available here (damaged below the snapshot, awaiting repair), are
   * answered with a not-found reject so the peer asks someone else.
   */
  onGetBlocks(peer: Peer, hashes: readonly Uint8Array[]): void {
    for (const hash of hashes) {
      const node = this.chain.get(toHex(hash));
      if (node && this.chain.hasBody(node)) this.net.send(peer, { type: MsgType.Block, block: node.block, size: node.size });
      else this.net.send(peer, { type: MsgType.Reject, code: RejectCode.NotFound, subject: hash });
    }
  }

  /**
   * Hands received blocks to the chain, parents first: from `start` (lowest
   * height first), each block that is ready and whose parent is in the
   * chain, then the children of each block that joined.
   */
  private drain(start: Iterable<string>, nowMs: number): void {
    const now = Math.floor(nowMs / 1000);
    const height = (key: string) => this.received.get(key)?.block.header.height ?? -1;
    const queue = [...start].sort((a, b) => height(a) - height(b));
    for (let i = 0; i < queue.length; i++) {
      const key = queue[i]!;
      const r = this.received.get(key);
      if (!r || !r.ready || !this.chain.get(r.parentKey)) continue;
      this.forget(key);
      for (const joined of this.accept(key, r, now)) for (const c of this.children.get(joined) ?? []) queue.push(c);
    }
  }

  /** Drops a received block from both indexes. */
  private forget(key: string): void {
    const r = this.received.get(key);
    if (!r) return;
    this.received.delete(key);
    const siblings = this.children.get(r.parentKey);
    siblings?.delete(key);
    if (siblings?.size === 0) this.children.delete(r.parentKey);
  }

  /** Adds one block to the chain; returns the keys of the blocks that joined the tree. */
  private accept(key: string, r: Received, now: number): string[] {
    const res = this.chain.addBlock(r.block, now, r.size);
    const from = this.net.peer(r.from);
    if (res.status === 'accepted') {
      const joined = [res.node, ...res.adopted].map((n) => n.key);
      for (const k of joined) this.headers.remove(k);
      this.net.emit({ kind: 'block-accepted', node: res.node, reorg: res.reorg, from: r.from, bytes: r.bytes });
      return joined;
    }
    if (res.status !== 'invalid') {
      this.headers.remove(key);
      return [];
    }
    const code = res.error.code;
    // A body failure (or a transient one) says nothing of the header: it stays wanted from other peers.
    if (NOT_CACHED.has(code)) this.headers.get(key)?.sources.delete(r.from);
    else for (const gone of this.headers.removeBranch(key)) this.forget(gone);
    if (from && !EXCUSED.has(code)) this.net.fault(from, 'INVALID_BLOCK');
    return [];
  }

  /**
   * Requests missing blocks, lowest first, from the least busy peer that has
   * each: a peer with nothing in flight at once, one with blocks in flight
   * once `blocksRefill` more fit. Nothing is walked while every block of the
   * window is already asked for or received.
   */
  schedule(nowMs: number): void {
    const low = this.headers.lowestHeight();
    if (low === null) return;
    // The window follows our own progress: a header held far below our tip (a side branch nobody serves)
    // must not hold it down (issue 13, defect 1).
    const top = Math.max(low, this.chain.tip.height) + this.net.config.downloadWindow;
    const cfg = this.net.config;
    if (this.asked.size + this.received.size >= cfg.downloadWindow) return;
    const open = (p: Peer) => p.blocksAsked.size === 0 || p.blocksAsked.size <= cfg.blocksPerPeer - cfg.blocksRefill;
    if (!this.net.readyPeers().some(open)) return;
    const batches = new Map<Peer, Uint8Array[]>();
    for (const e of this.headers.ascending(top)) {
      if (this.asked.has(e.key) || this.received.has(e.key)) continue;
      const failed = this.failed.get(e.key);
      let pick: Peer | null = null;
      for (const id of e.sources) {
        const p = this.net.peer(id);
        if (!p?.ready || p.blocksAsked.size >= cfg.blocksPerPeer || failed?.has(id) || (!batches.has(p) && !open(p))) continue;
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
    for (const key of [...this.received.keys()]) if (!this.headers.get(key)) this.forget(key);
    this.drain([...this.received.keys()], nowMs);
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
