/**
 * The browser's {@link Transport} (SPEC §6): peers of a network meet in the
 * relay's opaque room and connect by WebRTC data channels.
 *
 * - The room is joined through every relay of the network (relay-set.ts):
 *   envelopes go out through each relay that is up, and the node keeps
 *   finding peers while any one relay is.
 * - Each node announces itself with a signed `hello` carrying its status
 *   (status.ts), again every `helloMs`, and answers a newcomer's hello with
 *   one addressed to it, so both learn of each other.
 * - For each pair the node with the lower key initiates; offers, answers and
 *   candidates travel as signed envelopes addressed to the peer, sent in
 *   order. The relay is hostile: the signalling client hands on only
 *   envelopes that verify (SignalInbox), so a rewritten SDP — a swapped DTLS
 *   fingerprint — is refused; the link then checks that the certificate
 *   behind the channel is the one the signed SDP pinned (webrtc-link.ts).
 * - A channel that drops, fails or times out is retried with capped backoff
 *   while the peer is still announced; a peer the node disconnected is
 *   refused (its hellos and offers ignored, counted `BANNED`) until the time
 *   the node gave.
 * - Peer connections get the configured STUN servers and the TURN
 *   credentials the relays hand out, so peers behind NAT connect directly
 *   where they can and through TURN where they cannot; each open link's
 *   path (direct or relayed) is read from the connection's statistics, and
 *   {@link WebRtcTransport.links} reports it with the relays' states and
 *   whether every known peer is out of reach.
 * Every refusal is counted by code in {@link WebRtcTransport.refused}.
 */
import type { SimplePeerConstructor } from 'simple-peer/simplepeer.min.js';
import { bytesEqual, fromHex, toHex } from '../../core/bytes';
import { assert } from '../../core/assert';
import { EVERYONE, type SignalKindName, type SignedSignal } from '../../core/signal/envelope';
import { type LinkReport, type PeerLink, UNREACHABLE_AFTER, isBlocked } from './link-report';
import { type LinkPath, linkPath } from './link-path';
import type { StatsLike } from './fingerprint';
import { RelaySet, type RelaySetOptions } from './relay-set';
import { backoffDelay, type Timers } from './signalling-client';
import { decodeStatus, encodeStatus, type NodeStatus } from './status';
import { MAX_FRAME_BYTES, type Transport, type TransportHandlers } from './transport';
import { type LinkEnd, type SignalRefusal, WebRtcLink } from './webrtc-link';

export interface WebRtcTransportOptions {
  /** The relays' options (their URLs and the node's signer); the transport receives the signals. */
  readonly signalling: Omit<RelaySetOptions, 'onSignal' | 'onState'>;
  /** ICE servers besides the relays' TURN credentials, e.g. STUN (default none: host candidates only). */
  readonly iceServers?: RTCIceServer[];
  readonly SimplePeer?: SimplePeerConstructor;
  /** Re-announce period (default 20 000 ms); peers silent for three periods are forgotten. */
  readonly helloMs?: number;
  /** A channel not open this long after it was started is abandoned and retried (default 20 000 ms). */
  readonly connectTimeoutMs?: number;
  readonly reconnectBaseMs?: number;
  readonly reconnectMaxMs?: number;
  /** Period of the housekeeping timer (default 500 ms). */
  readonly houseMs?: number;
  /** How often open links' paths are read again from their statistics (default 5000 ms). */
  readonly pathMs?: number;
}

/** Why the transport refused an envelope, a signal or a channel. */
export type RefusalCode = keyof ReturnType<RelaySet['rejected']> | SignalRefusal | 'BANNED' | 'BAD_STATUS' | Exclude<LinkEnd, 'CLOSED'>;

/** A pending link is restarted on the peer's request only after this long (a request crossing our offer is normal). */
const RESTART_AFTER_MS = 2000;

interface Known {
  lastHello: number;
  attempts: number;
  /** When the next connection attempt (or directed hello) is due. */
  retryAt: number;
  /** Channel attempts that ended before opening, since the last one that opened. */
  failures: number;
}

interface LinkEntry {
  readonly link: WebRtcLink;
  readonly startedAt: number;
  /** Whether `open` was reported (so `close` must be). */
  opened: boolean;
}

export class WebRtcTransport implements Transport {
  readonly self: string;
  /** Refusals by code (hostile relays and peers show up here). */
  readonly counts: Partial<Record<RefusalCode, number>> = {};
  /** Milliseconds from starting a link to its channel opening, for figures. */
  readonly setupMs: number[] = [];
  private readonly client: RelaySet;
  private readonly paths = new Map<string, LinkPath>();
  private lastPaths = -Infinity;
  private readonly timers: Timers;
  private readonly channels = new Map<string, LinkEntry>();
  private readonly known = new Map<string, Known>();
  private readonly refusedUntil = new Map<string, number>();
  private handlers: TransportHandlers | null = null;
  private status: NodeStatus | null = null;
  private lastHello = -Infinity;
  private house: unknown = null;
  /** Envelopes are signed and sent one after another, so a peer receives them in order. */
  private outbox: Promise<unknown> = Promise.resolve();

  constructor(private readonly o: WebRtcTransportOptions) {
    const s = o.signalling;
    this.self = toHex(s.signer.publicKey);
    this.timers = s.timers ?? { setTimeout: (f, ms) => globalThis.setTimeout(f, ms), clearTimeout: (h) => globalThis.clearTimeout(h as number) };
    this.client = new RelaySet({
      ...s,
      onSignal: (sig) => this.onSignal(sig),
      // A relay (re)connected: peers that meet only there learn of us.
      onState: (_url, state) => state === 'open' && this.hello(null),
    });
  }

  /** Envelopes and channels refused, by code: the signalling client's and the transport's own. */
  refused(): Partial<Record<RefusalCode, number>> {
    return { ...this.client.rejected(), ...this.counts };
  }

  /** The relays, TURN, and each known peer's link: open (direct or relayed), connecting, or unreachable. */
  links(): LinkReport {
    const ids = new Set([...this.known.keys(), ...this.channels.keys()]);
    const peers: PeerLink[] = [...ids].sort().map((id) => {
      const open = this.channels.get(id)?.link.state === 'open';
      const failures = this.known.get(id)?.failures ?? 0;
      return {
        id,
        state: open ? 'open' : failures >= UNREACHABLE_AFTER ? 'unreachable' : 'connecting',
        path: open ? (this.paths.get(id) ?? null) : null,
        failures,
      };
    });
    return { relays: this.client.relays(), turn: this.client.turn().kind, peers, blocked: isBlocked(peers) };
  }

  /** The open channel's connection to `peer` (statistics), or null. */
  connection(peer: string): RTCPeerConnection | null {
    const e = this.channels.get(peer);
    return e && e.link.state === 'open' ? e.link.connection : null;
  }

  start(handlers: TransportHandlers): void {
    assert(this.handlers === null, 'transport already started');
    this.handlers = handlers;
    this.client.start();
    this.scheduleHouse();
  }

  send(peer: string, frame: Uint8Array): boolean {
    assert(frame.length <= MAX_FRAME_BYTES, 'frame above the transport cap');
    return this.channels.get(peer)?.link.send(frame) ?? false;
  }

  disconnect(peer: string, refuseUntilMs: number): void {
    this.refusedUntil.set(peer, Math.max(refuseUntilMs, this.refusedUntil.get(peer) ?? 0));
    this.drop(peer);
  }

  announce(status: NodeStatus): void {
    this.status = status;
    this.hello(null);
  }

  connected(): string[] {
    return [...this.channels]
      .filter(([, e]) => e.link.state === 'open')
      .map(([p]) => p)
      .sort();
  }

  stop(): void {
    this.timers.clearTimeout(this.house);
    this.house = null;
    for (const peer of [...this.channels.keys()]) this.drop(peer);
    this.client.stop();
    this.handlers = null;
  }

  private now(): number {
    return this.o.signalling.now();
  }

  private count(code: RefusalCode): void {
    this.counts[code] = (this.counts[code] ?? 0) + 1;
  }

  private refuses(peer: string): boolean {
    const until = this.refusedUntil.get(peer);
    if (until === undefined) return false;
    if (until > this.now()) return true;
    this.refusedUntil.delete(peer);
    return false;
  }

  private envelope(kind: SignalKindName, to: string | null, payload: string): void {
    const key = to === null ? null : fromHex(to);
    this.outbox = this.outbox.then(() => this.client.send(kind, key, payload)).catch(() => false);
  }

  /** Our hello with our status, to everyone or to one peer. */
  private hello(to: string | null): void {
    if (this.status === null || this.handlers === null) return;
    if (to === null) this.lastHello = this.now();
    this.envelope('hello', to, encodeStatus(this.status));
  }

  private onSignal(s: SignedSignal): void {
    if (this.handlers === null) return;
    const peer = toHex(s.from);
    if (this.refuses(peer)) return this.count('BANNED');
    if (s.kind === 'hello') return this.onHello(peer, s);
    const entry = this.channels.get(peer);
    if (s.kind === 'offer') {
      if (this.self < peer) return this.count('UNEXPECTED');
      // A new offer means the peer started over: the old channel is gone on its side.
      if (entry) this.drop(peer);
      this.noteKnown(peer);
      const link = this.startLink(peer, false);
      const r = link.signal('offer', s.payload);
      if (r) {
        this.count(r);
        this.drop(peer);
      }
      return;
    }
    if (!entry) return; // a late candidate of a link already replaced
    const r = entry.link.signal(s.kind, s.payload);
    if (r) {
      this.count(r);
      if (s.kind === 'answer') this.drop(peer);
    }
  }

  private onHello(peer: string, s: SignedSignal): void {
    const status = decodeStatus(s.payload);
    if (!status) return this.count('BAD_STATUS');
    const isNew = !this.known.has(peer);
    this.noteKnown(peer);
    this.handlers!.status(peer, status);
    // A newcomer (or a peer we have no channel with) learns of us from a hello addressed to it.
    if (bytesEqual(s.to, EVERYONE) && (isNew || !this.channels.has(peer))) this.hello(peer);
    const k = this.known.get(peer)!;
    const e = this.channels.get(peer);
    // Asked for a channel while ours is pending or open: the peer has none with us (it refused our offer, or
    // it restarted, e.g. a reopened tab with the same node key), so ours is stale on its side: start over.
    if (e && e.link.initiator && !bytesEqual(s.to, EVERYONE) && this.now() - e.startedAt > RESTART_AFTER_MS) this.drop(peer);
    if (!this.channels.has(peer)) {
      k.retryAt = Math.min(k.retryAt, this.now());
      this.maintain(peer, k);
    }
  }

  private noteKnown(peer: string): void {
    const k = this.known.get(peer);
    if (k) k.lastHello = this.now();
    else this.known.set(peer, { lastHello: this.now(), attempts: 0, retryAt: this.now(), failures: 0 });
  }

  /** One step towards a channel with a known peer: the initiator connects, the other side asks for it with a hello. */
  private maintain(peer: string, k: Known): void {
    const now = this.now();
    if (this.channels.has(peer) || this.refuses(peer) || k.retryAt > now) return;
    const o = this.o;
    k.retryAt = now + backoffDelay(k.attempts++, o.reconnectBaseMs ?? 1000, o.reconnectMaxMs ?? 30_000, o.signalling.random);
    if (this.self < peer) this.startLink(peer, true);
    else this.hello(peer);
  }

  private startLink(peer: string, initiator: boolean): WebRtcLink {
    const startedAt = this.now();
    const link: WebRtcLink = new WebRtcLink({
      initiator,
      iceServers: this.iceServers(),
      timers: this.timers,
      SimplePeer: this.o.SimplePeer,
      events: {
        signal: (kind, payload) => this.channels.get(peer)?.link === link && this.envelope(kind, peer, payload),
        open: () => {
          const e = this.channels.get(peer);
          if (e?.link !== link) return;
          e.opened = true;
          this.setupMs.push(this.now() - startedAt);
          const k = this.known.get(peer);
          if (k) {
            k.attempts = 0;
            k.failures = 0;
          }
          void this.readPath(peer, link);
          this.handlers?.open(peer);
        },
        frame: (data) => {
          if (this.channels.get(peer)?.link === link) this.handlers?.frame(peer, data);
        },
        closed: (reason) => {
          const e = this.channels.get(peer);
          if (e?.link !== link) return;
          this.channels.delete(peer);
          this.paths.delete(peer);
          if (reason !== 'CLOSED') this.count(reason);
          if (e.opened) this.handlers?.close(peer);
          else this.failed(peer);
        },
      },
    });
    this.channels.set(peer, { link, startedAt, opened: false });
    return link;
  }

  /** Closes our channel to `peer` (the peer's side hears the close). */
  private drop(peer: string): void {
    const e = this.channels.get(peer);
    if (!e) return;
    this.channels.delete(peer);
    this.paths.delete(peer);
    e.link.close();
    if (e.opened) this.handlers?.close(peer);
  }

  /** An attempt that never opened (timed out, or ICE found no path). */
  private failed(peer: string): void {
    const k = this.known.get(peer);
    if (k) k.failures++;
  }

  /** The configured servers (STUN) and the TURN credentials a relay handed out, for a new peer connection. */
  private iceServers(): RTCIceServer[] {
    const turn = this.client.turn();
    const servers = [...(this.o.iceServers ?? [])];
    if (turn.kind === 'available') servers.push({ urls: [...turn.servers.urls], username: turn.servers.username, credential: turn.servers.credential });
    return servers;
  }

  /** Reads an open link's path from its connection's statistics. */
  private async readPath(peer: string, link: WebRtcLink): Promise<void> {
    const pc = link.connection;
    if (!pc) return;
    let path: LinkPath | null;
    try {
      path = linkPath((await pc.getStats()) as unknown as StatsLike);
    } catch {
      path = null;
    }
    if (this.channels.get(peer)?.link !== link || link.state !== 'open') return;
    if (path) this.paths.set(peer, path);
    else this.paths.delete(peer);
  }

  private scheduleHouse(): void {
    this.house = this.timers.setTimeout(() => {
      this.housekeeping();
      this.scheduleHouse();
    }, this.o.houseMs ?? 500);
  }

  /** Re-announces, forgets silent peers, abandons stalled links, retries due connections. */
  private housekeeping(): void {
    const now = this.now();
    const helloMs = this.o.helloMs ?? 20_000;
    if (now - this.lastHello >= helloMs) this.hello(null);
    for (const [peer, e] of [...this.channels])
      if (e.link.state !== 'open' && now - e.startedAt > (this.o.connectTimeoutMs ?? 20_000)) {
        this.count('TIMEOUT');
        this.drop(peer);
        this.failed(peer);
      }
    // ICE may move a link to another pair (a TURN allocation lost, a better path found): read paths again.
    if (now - this.lastPaths >= (this.o.pathMs ?? 5000)) {
      this.lastPaths = now;
      for (const [peer, e] of this.channels) if (e.link.state === 'open') void this.readPath(peer, e.link);
    }
    for (const [peer, k] of [...this.known]) {
      if (now - k.lastHello > 3 * helloMs && !this.channels.has(peer)) this.known.delete(peer);
      else this.maintain(peer, k);
    }
  }
}
