/**
 * The relay's limits (SPEC §6: it "limits message size and rate, and guards
 * … number of topics per client") and the two small meters that enforce
 * them per client: the mesh's token bucket (core/net/rate.ts) for the
 * rate, and decaying strikes. Time is passed in (milliseconds) so both are
 * tested without waiting.
 */

export interface RelayLimits {
  /** Larger text frames are dropped (a strike); an SDP offer is 1 to 6 KiB. */
  readonly maxFrameBytes: number;
  /** Larger frames close the connection at once (the WebSocket layer's own cap). */
  readonly hardMaxFrameBytes: number;
  readonly maxClients: number;
  readonly maxTopicsPerClient: number;
  readonly maxTopicChars: number;
  /** Sustained frames per second per client, and the burst allowed above it. */
  readonly ratePerSecond: number;
  readonly burst: number;
  /** Dropped frames a client may accumulate before it is closed; one is forgiven every `strikeForgiveMs`. */
  readonly maxStrikes: number;
  readonly strikeForgiveMs: number;
  /** Interval of WebSocket pings; a client that has not answered the previous one is closed. */
  readonly heartbeatMs: number;
  /** A client that sends no frame for this long is closed (y-webrtc's client pings every 15 s). */
  readonly idleMs: number;
  /** A receiver with more unsent bytes than this misses frames rather than growing the relay's memory. */
  readonly maxBufferedBytes: number;
}

export const DEFAULT_LIMITS: RelayLimits = {
  maxFrameBytes: 64 * 1024,
  hardMaxFrameBytes: 1024 * 1024,
  maxClients: 1000,
  maxTopicsPerClient: 32,
  maxTopicChars: 256,
  ratePerSecond: 50,
  burst: 100,
  maxStrikes: 10,
  strikeForgiveMs: 60_000,
  heartbeatMs: 30_000,
  idleMs: 120_000,
  maxBufferedBytes: 1024 * 1024,
};

/** Strikes that slowly decay, so a rare oddity is forgiven and a persistent offender is not. */
export class Strikes {
  private level = 0;
  /** When the last whole strike was forgiven (or the first one counted). */
  private since = 0;

  constructor(
    private readonly max: number,
    private readonly forgiveMs: number,
  ) {}

  /** Adds a strike; true when the client has now reached the limit. */
  add(now: number): boolean {
    const forgiven = Math.floor(Math.max(0, now - this.since) / this.forgiveMs);
    this.level = Math.max(0, this.level - forgiven);
    this.since = this.level === 0 ? now : this.since + forgiven * this.forgiveMs;
    this.level += 1;
    return this.level >= this.max;
  }
}
