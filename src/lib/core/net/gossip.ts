/**
 * Gossip (SPEC §6): new tips, pending transactions and votes spread to the
 * peers that lack them. Each peer has bounded seen-sets, so nothing is
 * announced to a peer that sent it or was already told. Transactions travel
 * as inventory first and are fetched by whoever lacks them; a tip travels as
 * its header; votes are small and pushed whole, judged by the agreement
 * layer's callback. On every hello the node announces its whole pending pool,
 * so writes made offline reach the network on reconnect (SPEC §6).
 *
 * A peer that told us (hello, tip) of a final height below ours, and has
 * said nothing newer for a while, is sent the commit certificates it lacks,
 * a few heights at a time, each once per channel (while blocks flow, every
 * peer's tips say its final height, and nothing is sent): the certificate of the newest final block waits unannounced in
 * the pool for the next block to record it, and without a next write the
 * peers that missed the precommits (their signers since offline) would stay
 * behind for good (found by the simulator once it ran the shipped node;
 * docs/consensus.md rule 12).
 */
import { hexToBytes, toHex } from '../bytes';
import type { ChainState } from '../chain';
import { taggedHash } from '../hash';
import type { Tx } from '../tx';
import type { VoteCheck } from './events';
import type { HeaderIndex } from './headers';
import { InvKind, type Inv, MsgType, WIRE_CAPS } from './messages';
import type { NetContext, Peer } from './peer';
import { SeenSet } from './seen';

/** Id of an opaque vote (for seen-sets). */
export function voteId(bytes: Uint8Array): string {
  return toHex(taggedHash('medchain/net/vote', bytes));
}

/** Heights of certificates sent to one peer per tick. */
const CERTIFICATE_HEIGHTS = 4;
/** How long a peer's final height must have stood below ours before it is sent certificates (ms). */
const CERTIFICATE_AFTER_MS = 10_000;

/** The encoded precommits that decided a final height, when this node has them. */
export type CertificateSource = (height: number) => readonly Uint8Array[] | undefined;

export class Gossip {
  private lastTip: string;
  /** Transactions asked of a peer: hex id → whom and when. */
  private readonly txAsked = new Map<string, { peer: string; at: number }>();
  /** Transactions our rules refused (not asked for again). */
  private readonly txRejected: SeenSet;
  private readonly votesSeen: SeenSet;

  constructor(
    private readonly net: NetContext,
    private readonly chain: ChainState,
    private readonly headers: HeaderIndex,
    private readonly checkVote: VoteCheck | null,
    private readonly certificate: CertificateSource | null = null,
  ) {
    this.lastTip = chain.tip.key;
    this.txRejected = new SeenSet(net.config.seenGlobal);
    this.votesSeen = new SeenSet(net.config.seenGlobal);
  }

  /** Announces the tip, when it changed, to the peers that lack it. */
  announceTip(): void {
    const tip = this.chain.tip;
    if (tip.key === this.lastTip) return;
    this.lastTip = tip.key;
    for (const p of this.net.readyPeers()) this.tipTo(p);
  }

  /**
   * Sends our tip to a peer unless it has it: told before, or its own best
   * tip descends from ours (a node catching up does not echo back every
   * block it fetches).
   */
  private tipTo(peer: Peer): void {
    const tip = this.chain.tip;
    if (peer.knownBlocks.has(tip.key) || (peer.bestKey !== null && this.headers.descends(peer.bestKey, tip))) return;
    peer.knownBlocks.add(tip.key);
    this.net.send(peer, { type: MsgType.Tip, header: tip.header, work: tip.chainWork, finalHeight: this.chain.finalized.height });
  }

  /**
   * A new peer: it hears of our tip if its hello shows less work (our tip may
   * have moved since our hello left), and of every pending transaction
   * (offline writes go out on reconnect).
   */
  onHello(peer: Peer): void {
    if (peer.bestWork < this.chain.tip.chainWork) this.tipTo(peer);
    this.announceTxs(
      peer,
      this.chain.pending.list().map((e) => e.key),
    );
  }

  /** Sends `peer` the certificates of the next few heights above what it told us it holds and what it was sent, once its word is old. */
  private certificatesTo(peer: Peer, nowMs: number): void {
    if (!this.certificate || nowMs - peer.finalHeardAt < CERTIFICATE_AFTER_MS) return;
    const from = Math.max(peer.finalHeight, peer.certificatesSent) + 1;
    const to = Math.min(this.chain.finalized.height, from + CERTIFICATE_HEIGHTS - 1);
    for (let h = from; h <= to; h++) {
      for (const bytes of this.certificate(h) ?? []) {
        peer.knownVotes.add(voteId(bytes));
        this.net.send(peer, { type: MsgType.Vote, bytes });
      }
      peer.certificatesSent = h;
    }
  }

  /** Announces transaction ids to one peer, those it lacks, in messages of at most the inventory cap. */
  private announceTxs(peer: Peer, keys: readonly string[]): void {
    const fresh = keys.filter((k) => peer.knownTxs.add(k));
    for (let i = 0; i < fresh.length; i += WIRE_CAPS.invItems) {
      const items = fresh.slice(i, i + WIRE_CAPS.invItems).map((k) => ({ kind: InvKind.Tx, hash: hexToBytes(k) }));
      this.net.send(peer, { type: MsgType.Inv, items });
    }
  }

  /** A transaction joined our pool: every other peer hears of it. */
  relayTx(key: string, except: Peer | null): void {
    for (const p of this.net.readyPeers()) if (p !== except) this.announceTxs(p, [key]);
  }

  /** Inventory: unknown transactions are asked for; an unknown block means the peer is ahead. */
  onInv(peer: Peer, m: Inv, nowMs: number, knownBlock: (key: string) => boolean, behind: () => void): void {
    const want: Uint8Array[] = [];
    let unknownBlock = false;
    const timeout = this.net.config.requestTimeoutMs;
    for (const it of m.items) {
      const key = toHex(it.hash);
      if (it.kind === InvKind.Block) {
        peer.knownBlocks.add(key);
        if (!knownBlock(key)) unknownBlock = true;
        continue;
      }
      peer.knownTxs.add(key);
      if (this.chain.pending.has(key) || this.chain.txHeight(key) !== undefined || this.txRejected.has(key)) continue;
      const asked = this.txAsked.get(key);
      if (asked !== undefined && nowMs - asked.at <= timeout) continue;
      this.txAsked.set(key, { peer: peer.id, at: nowMs });
      want.push(it.hash);
    }
    if (want.length > 0) this.net.send(peer, { type: MsgType.GetTxs, ids: want });
    if (unknownBlock) behind();
  }

  /** Serves pending transactions a peer asked for (unknown ones are skipped). */
  onGetTxs(peer: Peer, ids: readonly Uint8Array[]): void {
    for (const id of ids) {
      const e = this.chain.pending.get(toHex(id));
      if (e) {
        peer.knownTxs.add(e.key);
        this.net.send(peer, { type: MsgType.Tx, tx: e.tx });
      }
    }
  }

  /** A transaction from a peer (or from us, `peer` null). Returns the pool's verdict. */
  onTx(peer: Peer | null, tx: Tx, nowMs: number): ReturnType<ChainState['addPendingTx']> {
    const r = this.chain.addPendingTx(tx, Math.floor(nowMs / 1000));
    this.txAsked.delete(r.key);
    peer?.knownTxs.add(r.key);
    if (r.status === 'added') {
      this.net.emit({ kind: 'tx-accepted', key: r.key, from: peer?.id ?? null });
      this.relayTx(r.key, peer);
    } else if (r.status === 'invalid') {
      this.txRejected.add(r.key);
      // A ledger rule may depend on the tip, which can differ between honest peers: only bad structure or signatures are faults.
      if (peer && r.code === undefined) this.net.fault(peer, 'INVALID_TX');
    }
    return r;
  }

  /** A vote from a peer (or from us, `peer` null): judged once, relayed to peers that lack it when accepted. */
  onVote(peer: Peer | null, bytes: Uint8Array, nowMs: number): void {
    const id = voteId(bytes);
    peer?.knownVotes.add(id);
    // Our own votes may be offered again (peers that connected since lack them); per-peer seen-sets stop repeats.
    if (!this.votesSeen.add(id) && peer) return;
    const verdict = peer ? (this.checkVote?.(bytes, peer.id, nowMs) ?? 'ignore') : 'accept';
    if (verdict === 'invalid' && peer) this.net.fault(peer, 'INVALID_VOTE');
    // Refused by a budget: forgotten, so the same vote is judged again when it comes back.
    if (verdict === 'later') {
      this.votesSeen.delete(id);
      peer?.knownVotes.delete(id);
    }
    if (verdict !== 'accept') return;
    for (const p of this.net.readyPeers()) if (p !== peer && p.knownVotes.add(id)) this.net.send(p, { type: MsgType.Vote, bytes });
  }

  /** Whether we asked a peer for this transaction (and have not had it yet). */
  asked(key: string): boolean {
    return this.txAsked.has(key);
  }

  /** Transaction requests unanswered in time go to another peer that announced them, or are forgotten. */
  tick(nowMs: number): void {
    const timeout = this.net.config.requestTimeoutMs;
    const peers = this.net.readyPeers();
    for (const p of peers) this.certificatesTo(p, nowMs);
    const batches = new Map<Peer, Uint8Array[]>();
    for (const [key, asked] of [...this.txAsked]) {
      if (nowMs - asked.at <= timeout) continue;
      const other = peers.find((p) => p.id !== asked.peer && p.knownTxs.has(key));
      if (!other) {
        this.txAsked.delete(key);
        continue;
      }
      this.txAsked.set(key, { peer: other.id, at: nowMs });
      let batch = batches.get(other);
      if (!batch) batches.set(other, (batch = []));
      batch.push(hexToBytes(key));
    }
    for (const [p, ids] of batches)
      for (let i = 0; i < ids.length; i += WIRE_CAPS.invItems) this.net.send(p, { type: MsgType.GetTxs, ids: ids.slice(i, i + WIRE_CAPS.invItems) });
  }
}
