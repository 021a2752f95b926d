/**
 * One WebRTC data channel to one peer (SPEC §6), over simple-peer. It applies
 * only signals that parse into the expected shape, keeps the DTLS
 * fingerprint the peer's *signed* offer or answer pinned, and, once the
 * channel is up, opens it to the node only if the remote certificate is that
 * one (fingerprint.ts). Frames that arrive before that (the far end may
 * open first) wait, a bounded number. Sending is queued under the channel's
 * buffer so a burst of blocks cannot overflow it; a peer that reads too
 * slowly is dropped.
 * Nothing from the peer throws: every failure ends in one `closed(reason)`.
 */
import SimplePeer, { type SignalData, type SimplePeerConstructor, type SimplePeerInstance } from 'simple-peer/simplepeer.min.js';
import { utf8 } from '../../core/bytes';
import type { SignalKindName } from '../../core/signal/envelope';
import { type Fingerprint, sameFingerprint, sdpFingerprint, statsFingerprint, type StatsLike } from './fingerprint';
import type { Timers } from './signalling-client';

/** Why a link ended. */
export type LinkEnd = 'CLOSED' | 'FINGERPRINT_MISMATCH' | 'TIMEOUT' | 'SLOW_PEER' | 'EARLY_FLOOD';

/** Why a signal from the peer was not applied (counted by the transport). */
export type SignalRefusal = 'BAD_PAYLOAD' | 'NO_FINGERPRINT' | 'UNEXPECTED';

export interface LinkEvents {
  /** Our own signal to send to the peer (signed by the transport). */
  signal(kind: Exclude<SignalKindName, 'hello'>, payload: string): void;
  open(): void;
  frame(data: Uint8Array): void;
  closed(reason: LinkEnd): void;
}

export interface LinkOptions {
  readonly initiator: boolean;
  readonly iceServers: RTCIceServer[];
  readonly timers: Timers;
  readonly events: LinkEvents;
  readonly SimplePeer?: SimplePeerConstructor;
  /** Queued outgoing bytes above which the peer is dropped (default 16 MiB). */
  readonly maxQueuedBytes?: number;
}

/** Channel buffer kept below this; more waits in our queue. */
const HIGH_WATER = 1024 * 1024;
const DRAIN_MS = 10;
/** Frames held while the certificate is checked. */
const MAX_EARLY_FRAMES = 256;

export class WebRtcLink {
  state: 'connecting' | 'verifying' | 'open' | 'closed' = 'connecting';
  /** The fingerprint pinned by the peer's signed offer or answer. */
  remoteFingerprint: Fingerprint | null = null;
  private readonly sp: SimplePeerInstance;
  private readonly queue: Uint8Array[] = [];
  private queued = 0;
  private drainTimer: unknown = null;
  private early: Uint8Array[] = [];
  private sdpApplied = false;

  constructor(private readonly o: LinkOptions) {
    const Peer = o.SimplePeer ?? SimplePeer;
    this.sp = new Peer({ initiator: o.initiator, trickle: true, config: { iceServers: o.iceServers } });
    this.sp.on('signal', (d) => this.outgoing(d));
    this.sp.on('connect', () => void this.verify());
    this.sp.on('data', (d) => this.incoming(d));
    this.sp.on('close', () => this.end('CLOSED'));
    this.sp.on('error', () => this.end('CLOSED'));
  }

  get initiator(): boolean {
    return this.o.initiator;
  }

  /** The underlying connection, for statistics (null once closed). */
  get connection(): RTCPeerConnection | null {
    return this.state === 'closed' ? null : this.sp._pc;
  }

  /** Applies one verified signal of the peer; a refusal code when it does not fit. */
  signal(kind: Exclude<SignalKindName, 'hello'>, payload: string): SignalRefusal | null {
    if (this.state === 'closed') return 'UNEXPECTED';
    let data: unknown;
    try {
      data = JSON.parse(payload);
    } catch {
      return 'BAD_PAYLOAD';
    }
    if (typeof data !== 'object' || data === null) return 'BAD_PAYLOAD';
    const d = data as Record<string, unknown>;
    if (kind === 'candidate') {
      const c = d.candidate as Record<string, unknown> | null | undefined;
      if (d.type !== 'candidate' || typeof c !== 'object' || c === null || typeof c.candidate !== 'string') return 'BAD_PAYLOAD';
      const init: RTCIceCandidateInit = { candidate: c.candidate };
      if (typeof c.sdpMid === 'string') init.sdpMid = c.sdpMid;
      if (typeof c.sdpMLineIndex === 'number') init.sdpMLineIndex = c.sdpMLineIndex;
      return this.apply({ candidate: init });
    }
    // An initiator takes one answer; the other side one offer.
    if (this.sdpApplied || (kind === 'offer') === this.o.initiator) return 'UNEXPECTED';
    if (d.type !== kind || typeof d.sdp !== 'string') return 'BAD_PAYLOAD';
    const fp = sdpFingerprint(d.sdp);
    if (!fp) return 'NO_FINGERPRINT';
    this.remoteFingerprint = fp;
    this.sdpApplied = true;
    return this.apply({ type: kind, sdp: d.sdp });
  }

  /** Queues one frame; false when the link is not open. */
  send(frame: Uint8Array): boolean {
    if (this.state !== 'open') return false;
    this.queue.push(frame);
    this.queued += frame.length;
    if (this.queued > (this.o.maxQueuedBytes ?? 16 * 1024 * 1024)) {
      this.end('SLOW_PEER');
      return false;
    }
    this.drain();
    return true;
  }

  /** Closes without a `closed` event (the transport already knows). */
  close(): void {
    if (this.state === 'closed') return;
    this.state = 'closed';
    this.release();
  }

  private apply(d: SignalData): null {
    try {
      this.sp.signal(d);
    } catch {
      this.end('CLOSED');
    }
    return null;
  }

  private outgoing(d: SignalData): void {
    if (this.state === 'closed') return;
    if ((d.type === 'offer' || d.type === 'answer') && typeof d.sdp === 'string') this.o.events.signal(d.type, JSON.stringify({ type: d.type, sdp: d.sdp }));
    else if (d.candidate) this.o.events.signal('candidate', JSON.stringify({ type: 'candidate', candidate: d.candidate }));
    // Renegotiation requests are never needed: one data channel, no media.
  }

  /** The certificate behind the open channel must be the one the signed SDP pinned. */
  private async verify(): Promise<void> {
    if (this.state !== 'connecting') return;
    this.state = 'verifying';
    let actual: Fingerprint | null = null;
    try {
      const pc = this.sp._pc;
      if (pc) actual = statsFingerprint((await pc.getStats()) as unknown as StatsLike);
    } catch {
      actual = null;
    }
    if (this.state !== 'verifying') return;
    if (!actual || !this.remoteFingerprint || !sameFingerprint(actual, this.remoteFingerprint)) return this.end('FINGERPRINT_MISMATCH');
    this.state = 'open';
    this.o.events.open();
    const early = this.early;
    this.early = [];
    for (const f of early) {
      if (this.state !== 'open') return;
      this.o.events.frame(f);
    }
  }

  private incoming(d: unknown): void {
    const bytes = typeof d === 'string' ? utf8(d) : d instanceof Uint8Array ? new Uint8Array(d.buffer, d.byteOffset, d.byteLength) : null;
    // The far end may open and send before our side reports the channel up: keep those frames too.
    if (bytes === null || this.state === 'closed') return;
    if (this.state === 'open') return this.o.events.frame(bytes);
    if (this.early.length >= MAX_EARLY_FRAMES) return this.end('EARLY_FLOOD');
    this.early.push(bytes.slice());
  }

  private drain(): void {
    this.o.timers.clearTimeout(this.drainTimer);
    this.drainTimer = null;
    while (this.queue.length > 0 && this.state === 'open') {
      if (this.sp.bufferedAmount > HIGH_WATER) {
        this.drainTimer = this.o.timers.setTimeout(() => this.drain(), DRAIN_MS);
        return;
      }
      const f = this.queue.shift()!;
      this.queued -= f.length;
      try {
        this.sp.send(f);
      } catch {
        return this.end('CLOSED');
      }
    }
  }

  private end(reason: LinkEnd): void {
    if (this.state === 'closed') return;
    this.state = 'closed';
    this.release();
    this.o.events.closed(reason);
  }

  private release(): void {
    this.o.timers.clearTimeout(this.drainTimer);
    this.queue.length = 0;
    this.queued = 0;
    this.early = [];
    try {
      this.sp.destroy();
    } catch {
      // already gone
    }
  }
}
