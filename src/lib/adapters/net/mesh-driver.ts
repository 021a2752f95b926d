/**
 * Binds a pure {@link MeshNode} to a {@link Transport} (SPEC §6): channel
 * open/frame/close and a periodic timer become `MeshNode.handle` events, and
 * the actions it returns are carried out — frames sent, peers disconnected,
 * banned peers refused by the transport until the ban ends, accepted blocks
 * and transactions handed to the node runtime. Announcements in the room
 * (this node's role and tip height) follow the tip, at most one per
 * `announceMinMs`. Presence combines those announcements with open channels.
 *
 * Blocks from peers the mesh holds back for preparing (`prepare-blocks`)
 * go to `prepare` (the signatures checked ahead with WebCrypto, all in
 * flight at once); when it settles, whether it resolved or failed, the mesh
 * hears `prepared` and hands them to the chain, which checks every
 * signature itself (answers ready, or its fallback engine).
 *
 * Nothing from a peer can throw out of here: the mesh turns garbage into
 * faults, and should it ever throw (our bug) the peer is dropped and the
 * error counted, never passed on to the page.
 */
import type { Block } from '../../core/block';
import type { AddBlockResult, AddTxResult } from '../../core/chain';
import type { NetAction } from '../../core/net/events';
import type { BlobFetchStart, MeshNode } from '../../core/net/mesh';
import type { NodeRole } from '../../core/net/messages';
import type { Fault } from '../../core/net/peer-score';
import type { BlobRef } from '../../core/payloads';
import type { Tx } from '../../core/tx';
import { Presence } from './presence';
import type { Transport } from './transport';
import { type Timers, realTimers } from '../timers';

export type IntervalTimers = Pick<Timers, 'setInterval' | 'clearInterval'>;

export type AcceptedAction = Extract<NetAction, { kind: 'block-accepted' | 'tx-accepted' }>;
/** Blob requests to serve and blob fetches that ended (SPEC §3). */
export type BlobAction = Extract<NetAction, { kind: 'blob-wanted' | 'blob-received' | 'blob-failed' }>;

export interface MeshDriverOptions {
  readonly mesh: MeshNode;
  readonly transport: Transport;
  readonly role: NodeRole;
  /** Milliseconds; the transport's clock too. */
  readonly now: () => number;
  readonly timers?: IntervalTimers;
  /** Period of the mesh's tick event (default 1000). */
  readonly tickMs?: number;
  /** A peer told goodbye without a ban is not reconnected for this long (default 30 000). */
  readonly cooldownMs?: number;
  /** Shortest gap between two announcements of a moving tip (default 2000). */
  readonly announceMinMs?: number;
  /** Presence entries not re-announced for this long are dropped (default 60 000). */
  readonly presenceTtlMs?: number;
  /** Blocks and transactions the mesh accepted (persist them). */
  readonly onAccepted?: (action: AcceptedAction) => void;
  /** Blob requests from peers (answer with `serveBlob`) and our fetches' outcomes. */
  readonly onBlob?: (action: BlobAction) => void;
  /** Prepares blocks the mesh holds back (MeshOptions.prepareBlocks); without it they are released at once. */
  readonly prepare?: (blocks: readonly Block[]) => Promise<void>;
}

export interface DriverStats {
  framesIn: number;
  bytesIn: number;
  framesOut: number;
  bytesOut: number;
  /** Peers this node banned, with the fault, in order. */
  readonly bans: { peer: string; fault: Fault | null }[];
  /** Exceptions caught from the mesh (bugs; the peer was dropped). */
  errors: number;
}

export class MeshDriver {
  readonly presence: Presence;
  readonly stats: DriverStats = { framesIn: 0, bytesIn: 0, framesOut: 0, bytesOut: 0, bans: [], errors: 0 };
  private readonly timers: IntervalTimers;
  private timer: unknown = null;
  private announcedHeight = -1;
  private lastAnnounce = -Infinity;
  /** Blocks waiting to be prepared, and batches being prepared. */
  private readonly toPrepare: { key: string; block: Block }[] = [];
  private preparing = 0;

  constructor(private readonly o: MeshDriverOptions) {
    this.presence = new Presence(o.presenceTtlMs ?? 60_000);
    this.timers = o.timers ?? realTimers;
  }

  get mesh(): MeshNode {
    return this.o.mesh;
  }

  start(): void {
    if (this.timer !== null) return;
    const { transport } = this.o;
    transport.start({
      open: (peer) => {
        this.presence.connected(peer, true);
        this.handle(peer, () => this.o.mesh.handle({ kind: 'connect', peer, now: this.o.now() }));
      },
      frame: (peer, data) => {
        this.stats.framesIn++;
        this.stats.bytesIn += data.length;
        this.handle(peer, () => this.o.mesh.handle({ kind: 'frame', peer, data, now: this.o.now() }));
        const hello = this.o.mesh.peer(peer)?.hello;
        if (hello) this.presence.height(peer, hello.tipHeight);
      },
      close: (peer) => {
        this.presence.connected(peer, false);
        this.handle(peer, () => this.o.mesh.handle({ kind: 'disconnect', peer, now: this.o.now() }));
      },
      status: (peer, status) => this.presence.announced(peer, status, this.o.now()),
    });
    this.announce(true);
    this.timer = this.timers.setInterval(() => this.tick(), this.o.tickMs ?? 1000);
  }

  stop(): void {
    if (this.timer === null) return;
    this.timers.clearInterval(this.timer);
    this.timer = null;
    this.o.transport.stop();
  }

  /** Our own block (mined here): added and announced. */
  submitBlock(block: Block): AddBlockResult {
    const { result, actions } = this.o.mesh.submitBlock(block, this.o.now());
    this.perform(actions);
    return result;
  }

  /** Our own transaction: pooled and announced (kept while offline, re-announced on reconnect). */
  submitTx(tx: Tx): AddTxResult {
    const { result, actions } = this.o.mesh.submitTx(tx, this.o.now());
    this.perform(actions);
    return result;
  }

  /** Our own vote, sent to every peer. */
  submitVote(bytes: Uint8Array): void {
    this.perform(this.o.mesh.submitVote(bytes, this.o.now()));
  }

  /** Starts fetching a referenced blob from peers; the outcome comes through `onBlob`. */
  fetchBlob(ref: BlobRef): BlobFetchStart {
    const { result, actions } = this.o.mesh.fetchBlob(ref, this.o.now());
    this.perform(actions);
    return result;
  }

  /** Answers a `blob-wanted` with the store's bytes (null: not held). */
  serveBlob(peer: string, ref: BlobRef, bytes: Uint8Array | null): void {
    this.handle(peer, () => this.o.mesh.serveBlob(peer, ref, bytes, this.o.now()));
  }

  private tick(): void {
    const now = this.o.now();
    this.handle(null, () => this.o.mesh.handle({ kind: 'tick', now }));
    this.presence.expire(now);
    this.announce(false);
  }

  /** Runs one mesh call; an exception (a bug) drops the peer involved instead of reaching the page. */
  private handle(peer: string | null, call: () => NetAction[]): void {
    let actions: NetAction[];
    try {
      actions = call();
    } catch {
      this.stats.errors++;
      if (peer !== null) this.o.transport.disconnect(peer, this.o.now() + (this.o.cooldownMs ?? 30_000));
      return;
    }
    this.perform(actions);
  }

  private perform(actions: readonly NetAction[]): void {
    const { transport, mesh } = this.o;
    for (const a of actions) {
      switch (a.kind) {
        case 'send':
          for (const f of a.frames) {
            if (!transport.send(a.peer, f)) break;
            this.stats.framesOut++;
            this.stats.bytesOut += f.length;
          }
          break;
        case 'disconnect': {
          const now = this.o.now();
          if (a.banned) this.stats.bans.push({ peer: a.peer, fault: a.fault });
          transport.disconnect(a.peer, now + (a.banned ? mesh.config.score.banMs : (this.o.cooldownMs ?? 30_000)));
          break;
        }
        case 'block-accepted':
          this.announce(false);
          this.o.onAccepted?.(a);
          break;
        case 'tx-accepted':
          this.o.onAccepted?.(a);
          break;
        case 'blob-wanted':
        case 'blob-received':
        case 'blob-failed':
          this.o.onBlob?.(a);
          break;
        case 'prepare-blocks':
          this.prepare(a.blocks);
          break;
      }
    }
  }

  /**
   * Prepares held-back blocks, then releases them to the chain (also when
   * preparing failed: the chain checks them anyway). At most
   * {@link PREPARING} batches are prepared at once; blocks arriving
   * meanwhile wait and go together in the next batch, so a syncing node
   * prepares hundreds of blocks per call, a quiet one each block at once.
   */
  private prepare(blocks: readonly { key: string; block: Block }[]): void {
    this.toPrepare.push(...blocks);
    this.pumpPrepare();
  }

  private pumpPrepare(): void {
    while (this.preparing < PREPARING && this.toPrepare.length > 0) {
      const batch = this.toPrepare.splice(0, PREPARE_BATCH);
      const keys = batch.map((b) => b.key);
      const release = () => {
        this.preparing--;
        if (this.timer !== null) this.handle(null, () => this.o.mesh.handle({ kind: 'prepared', keys, now: this.o.now() }));
        this.pumpPrepare();
      };
      this.preparing++;
      if (!this.o.prepare) {
        release();
        continue;
      }
      let started: Promise<void>;
      try {
        started = this.o.prepare(batch.map((b) => b.block));
      } catch {
        started = Promise.resolve();
      }
      void started.then(release, release);
    }
  }

  /** Announces our status when the tip height changed (or `force`), at most once per `announceMinMs`. */
  private announce(force: boolean): void {
    const now = this.o.now();
    const height = this.o.mesh.chain.height;
    if (!force && (height === this.announcedHeight || now - this.lastAnnounce < (this.o.announceMinMs ?? 2000))) return;
    this.announcedHeight = height;
    this.lastAnnounce = now;
    this.o.transport.announce({ role: this.o.role, height });
  }
}

/** Batches being prepared at once (one being checked, one waiting its turn). */
const PREPARING = 2;
/** Most blocks in one batch. */
const PREPARE_BATCH = 512;
