/**
 * The relay's limits (SPEC §6: it "limits message size and rate, and guards
 * … number of topics per client"), how many slots one host may hold and
 * how long a silent client keeps one (address.ts, keepalive.ts), and the
 * two small meters that enforce the frame limits per client: the mesh's
 * token bucket (core/net/rate.ts) for the rate, and decaying strikes. Time is passed in (milliseconds) so both are
 * tested without waiting.
 */

export interface RelayLimits {
  /** Larger text frames are dropped (a strike); an SDP offer is 1 to 6 KiB. */
  readonly maxFrameBytes: number;
  /** Larger frames close the connection at once (the WebSocket layer's own cap). */
  readonly hardMaxFrameBytes: number;
  readonly maxClients: number;
  /**
   * Concurrent clients from one address (address.ts: an IPv4 address or an
   * IPv6 /64), so one host cannot take every slot (issue 13, defect 6).
   * Not lower, because a hospital's workstations reach the relay from one
   * NAT address, each open tab holding one connection; 16 lets a ward's
   * worth of tabs in while 63 addresses are still needed to fill the
   * default 1000 slots. A larger site behind one address raises it
   * (`medchain relay --per-address N`). Refused at the upgrade with HTTP 429.
   */
  readonly maxClientsPerAddress: number;
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
  /**
   * A client none of whose frames the relay accepted for this long is closed
   * (IDLE). Answering the relay's WebSocket pings does not count, nor do
   * frames the relay drops: the real client (signalling-client.ts, like
   * y-webrtc's) sends a `ping` frame every 15 s, so only a client that
   * merely holds the slot goes quiet this long.
   */
  readonly idleMs: number;
  /**
   * A client that holds no topic for this long is closed (NO_SUBSCRIBE): it
   * can neither send nor receive signalling, so it only holds a slot. The
   * real client subscribes as soon as its socket opens; 10 s spares a slow
   * link, and a client that unsubscribes from everything gets the same time.
   */
  readonly subscribeGraceMs: number;
  /**
   * From this share of `maxClients` on, each newcomer makes room by closing
   * the longest-idle client (PRESSURE, close code 1013), rather than being
   * refused while silent clients keep their slots.
   */
  readonly pressureFraction: number;
  /**
   * Only a client idle longer than this is closed to make room under
   * pressure: three of the real client's 15 s pings. An honest client is
   * never that quiet, so a flood of newcomers cannot push out the peers
   * that are signalling — it is refused with 503 once the relay is full of
   * clients that are all active.
   */
  readonly pressureIdleMs: number;
  /** A receiver with more unsent bytes than this misses frames rather than growing the relay's memory. */
  readonly maxBufferedBytes: number;
}

export const DEFAULT_LIMITS: RelayLimits = {
  maxFrameBytes: 64 * 1024,
  hardMaxFrameBytes: 1024 * 1024,
  maxClients: 1000,
  maxClientsPerAddress: 16,
  maxTopicsPerClient: 32,
  maxTopicChars: 256,
  ratePerSecond: 50,
  burst: 100,
  maxStrikes: 10,
  strikeForgiveMs: 60_000,
  heartbeatMs: 30_000,
  idleMs: 120_000,
  subscribeGraceMs: 10_000,
  pressureFraction: 0.9,
  pressureIdleMs: 45_000,
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
