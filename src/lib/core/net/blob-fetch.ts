/**
 * Fetching blobs from peers (SPEC §3, §6): one peer at a time is asked for a
 * wanted blob; the answer is checked against the hash and size the chain
 * holds before anything is stored. Bytes that do not match are a peer fault
 * (INVALID_BLOB: no honest peer serves them, since it checks its own store on
 * the way out) and the next peer is asked; so is the next after a `NotFound`,
 * a silence past the timeout (STALL) or a disconnect. At most
 * `blobsPerPeer` requests are in flight to one peer, and `blobsInFlight` to
 * all peers together (each answer may hold 10 MB in reassembly, and the
 * node-wide reassembly budget is sized for that many); a blob whose untried
 * peers are all busy, or that finds every slot taken, waits. When every connected peer was tried the
 * fetch fails (`blob-failed`); the caller may ask again.
 */
import { checkBlob } from '../blobs';
import { toHex } from '../bytes';
import type { BlobRef } from '../payloads';
import { MsgType } from './messages';
import type { NetContext, Peer } from './peer';

interface Want {
  readonly ref: BlobRef;
  readonly tried: Set<string>;
  asking: string | null;
  askedAt: number;
}

export class BlobFetch {
  /** Wanted blobs by hex hash. */
  private readonly wants = new Map<string, Want>();

  constructor(private readonly ctx: NetContext) {}

  /** Whether `peer` owes us the blob `hash` (its answer is solicited). */
  asked(peer: Peer, hash: string): boolean {
    return this.wants.get(hash)?.asking === peer.id;
  }

  /** Hex hashes being fetched. */
  get wanted(): string[] {
    return [...this.wants.keys()];
  }

  /** Starts fetching `ref` (a fetch under way is left alone). */
  want(ref: BlobRef, now: number): void {
    const hash = toHex(ref.hash);
    if (this.wants.has(hash)) return;
    const w: Want = { ref, tried: new Set(), asking: null, askedAt: now };
    this.wants.set(hash, w);
    this.askNext(hash, w, now);
  }

  /** Gives up on a blob (the caller's own timeout); a late answer is then unsolicited. */
  cancel(hash: string): void {
    this.wants.delete(hash);
  }

  onBlob(peer: Peer, hash: Uint8Array, bytes: Uint8Array, now: number): void {
    const hex = toHex(hash);
    const w = this.wants.get(hex);
    if (!w || w.asking !== peer.id) {
      this.ctx.fault(peer, 'UNSOLICITED');
      return;
    }
    w.asking = null;
    if (checkBlob(w.ref, bytes) !== null) {
      this.ctx.fault(peer, 'INVALID_BLOB');
      this.askWaiting(now);
      return;
    }
    this.wants.delete(hex);
    this.ctx.emit({ kind: 'blob-received', ref: w.ref, bytes, from: peer.id });
    this.askWaiting(now);
  }

  /** A `NotFound` naming `subject`: when it answers our request, the next peer is asked. */
  onNotFound(peer: Peer, subject: Uint8Array, now: number): void {
    const hex = toHex(subject);
    const w = this.wants.get(hex);
    if (!w || w.asking !== peer.id) return;
    w.asking = null;
    this.askWaiting(now);
  }

  onDisconnect(peer: Peer, now: number): void {
    for (const w of this.wants.values()) if (w.asking === peer.id) w.asking = null;
    this.askWaiting(now);
  }

  tick(now: number): void {
    for (const w of [...this.wants.values()]) {
      if (w.asking === null || now - w.askedAt <= this.ctx.config.blobTimeoutMs) continue;
      const peer = this.ctx.peer(w.asking);
      w.asking = null;
      if (peer) this.ctx.fault(peer, 'STALL');
    }
    this.askWaiting(now);
  }

  /** Asks the next peer for every blob not being asked now (a peer freed, or one failed). */
  private askWaiting(now: number): void {
    for (const [hex, w] of [...this.wants]) if (w.asking === null) this.askNext(hex, w, now);
  }

  /** Requests in flight to `peer`, or to anyone (null). */
  private inFlight(peer: string | null): number {
    let n = 0;
    for (const w of this.wants.values()) if (w.asking !== null && (peer === null || w.asking === peer)) n++;
    return n;
  }

  private askNext(hex: string, w: Want, now: number): void {
    if (this.wants.get(hex) !== w || w.asking !== null) return;
    if (this.inFlight(null) >= this.ctx.config.blobsInFlight) return; // asked when a request ends
    const untried = this.ctx.readyPeers().filter((p) => !w.tried.has(p.id));
    if (untried.length === 0) {
      this.wants.delete(hex);
      this.ctx.emit({ kind: 'blob-failed', hash: hex });
      return;
    }
    const peer = untried.find((p) => this.inFlight(p.id) < this.ctx.config.blobsPerPeer);
    if (!peer) return; // every untried peer is busy: asked when one frees up
    w.tried.add(peer.id);
    w.asking = peer.id;
    w.askedAt = now;
    this.ctx.send(peer, { type: MsgType.GetBlob, hash: w.ref.hash });
  }
}
