/**
 * Headers first (SPEC §6: a node that joins late or comes back from offline
 * asks for what it lacks). Peers' tips are learnt from hello and
 * announcements; when one beats ours, one peer at a time is asked for the
 * headers after our block locator, and asked again while it answers full
 * batches. A new tip whose parent is known needs no exchange: its header
 * joins the index at once and the download fetches the block. What the
 * headers tell us (which peers have which blocks) lets the download spread.
 */
import { bytesEqual, toHex } from '../bytes';
import type { ChainState } from '../chain';
import { HASH_BYTES } from '../hash';
import { type BlockHeader, headerHash } from '../header';
import type { HeaderIndex } from './headers';
import { headersAfter } from './locator';
import { type GetHeaders, MsgType, type TipAnnounce, WIRE_CAPS } from './messages';
import type { NetContext, Peer } from './peer';

const ZERO = new Uint8Array(HASH_BYTES);

export class HeaderSync {
  constructor(
    private readonly net: NetContext,
    private readonly chain: ChainState,
    private readonly headers: HeaderIndex,
    /** Called when headers arrived (the download may have new blocks to fetch). */
    private readonly learnt: (nowMs: number) => void,
    /** A block a quorum committed that we lack (agreement waits for it), or null. */
    private readonly awaited: () => string | null = () => null,
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
    this.askIfBehind(nowMs);
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
    // Parent unknown: a locator exchange, unless one is running (one at a time, not one per announcer).
    if (r === 'unlinked') this.askIfBehind(nowMs);
    this.learnt(nowMs);
  }

  /** A peer asks for headers after its locator. */
  onGetHeaders(peer: Peer, m: GetHeaders): void {
    const headers = headersAfter(this.chain, m.locator, toHex(m.stop), WIRE_CAPS.headers);
    this.net.send(peer, { type: MsgType.Headers, headers });
  }

  /** Headers we asked for: each must link to the one before. */
  onHeaders(peer: Peer, list: readonly BlockHeader[], nowMs: number): void {
    if (!peer.headersExpected) {
      this.net.fault(peer, 'UNSOLICITED');
      return;
    }
    peer.headersExpected = false;
    peer.headersAskedAt = null;
    let prev: Uint8Array | null = null;
    let last: string | null = null;
    let full = false;
    for (const h of list) {
      if (prev !== null && !bytesEqual(h.prevHash, prev)) {
        this.net.fault(peer, 'INVALID_HEADER');
        return;
      }
      prev = headerHash(h);
      const r = this.headers.add(h, peer.id, nowMs, prev);
      if (r === 'invalid') {
        this.net.fault(peer, 'INVALID_HEADER');
        return;
      }
      full = r === 'full';
      if (r === 'unlinked' || r === 'conflicts' || full) break;
      last = toHex(prev);
      peer.knownBlocks.add(last);
    }
    if (last && list.length === WIRE_CAPS.headers && !full) this.ask(peer, nowMs);
    else if (last && !full) this.learnTip(peer, last, this.headers.get(last)?.work ?? this.chain.get(last)?.chainWork ?? peer.bestWork);
    else if (!last && peer.bestKey && !this.headers.known(peer.bestKey)) peer.claimTried = true;
    for (const p of this.net.readyPeers()) if (p.bestKey) this.headers.markSource(p.bestKey, p.id);
    this.askIfBehind(nowMs);
    this.learnt(nowMs);
  }

  private ask(peer: Peer, nowMs: number): void {
    if (peer.headersExpected && peer.headersAskedAt !== null) return;
    peer.headersExpected = true;
    peer.headersAskedAt = nowMs;
    this.net.send(peer, { type: MsgType.GetHeaders, locator: this.headers.locator(), stop: ZERO });
  }

  /**
   * Asks the peer that is furthest ahead, unless a headers request is
   * running or the index has no room for a batch: first by final height (a
   * peer told of a final block above ours is ahead whatever its work: final
   * blocks are never reverted, and a branch with more work that conflicts
   * with them loses; issue 14, found by the simulator), then by work. While
   * agreement waits for a committed block we lack, any peer whose tip we do
   * not know qualifies (its hello may be older than the block's finality).
   */
  askIfBehind(nowMs: number): void {
    const peers = this.net.readyPeers();
    if (this.headers.room < WIRE_CAPS.headers || peers.some((p) => p.headersAskedAt !== null)) return;
    const final = this.chain.finalized.height;
    // A block the quorum committed is missing: any tip we do not know may lead to it.
    const want = this.awaited();
    const pursue = want !== null && !this.chain.get(want) && !this.headers.known(want);
    let best: Peer | null = null;
    for (const p of peers) {
      if (p.claimTried || !p.bestKey || this.headers.known(p.bestKey)) continue;
      if (!pursue && !(p.finalHeight > final) && !this.beats(p.bestWork, p.bestKey)) continue;
      if (!best || p.finalHeight > best.finalHeight || (p.finalHeight === best.finalHeight && p.bestWork > best.bestWork)) best = p;
    }
    if (best) this.ask(best, nowMs);
  }

  /** A headers request unanswered in time: that peer's claim is not pursued again until it announces another tip. Returns whether it stalled. */
  timedOut(peer: Peer, nowMs: number): boolean {
    if (peer.headersAskedAt === null || nowMs - peer.headersAskedAt <= this.net.config.requestTimeoutMs) return false;
    peer.headersAskedAt = null;
    peer.claimTried = true;
    return true;
  }
}
