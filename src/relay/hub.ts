/**
 * The relay's topics and clients, apart from sockets (SPEC §6): who is
 * subscribed to what, the per-client meters, and what each frame does.
 * A publish is forwarded, as the exact text received, to every *other*
 * subscriber of its topic. (y-webrtc's own server also echoes it to the
 * sender and adds a `clients` count; y-webrtc's client ignores both — it
 * drops messages `from` itself — so the relay forwards unchanged and saves
 * the echo.) A TURN credentials request (core/signal/turn-request.ts) is
 * answered to its sender only, once its signature binds it to this relay's
 * host and its topic is one the sender subscribed to: with credentials when
 * the relay has a TURN server ({@link TurnConfig}), with none otherwise.
 * Nothing is stored; logs carry codes and counts, never topics, payloads or
 * the TURN secret — nor client addresses.
 *
 * It also decides who may take a slot ({@link Hub.admit}): at most
 * `maxClientsPerAddress` per address (address.ts), and, under pressure, a
 * newcomer gets the slot of the longest-idle client (keepalive.ts). Every
 * refusal and every close is counted by code in {@link RelayStats}.
 */
import { TokenBucket } from '../lib/core/net/rate';
import { checkTurnRequest, turnAnswerFrame } from '../lib/core/signal/turn-request';
import { nobleVerifier } from '../lib/core/signature';
import { pressureVictim, underPressure } from './keepalive';
import { type RelayLimits, Strikes } from './limits';
import { type DropCode, parseFrame } from './protocol';
import { TURN_RATE, turnCredentials, type TurnConfig } from './turn';

/** What the hub needs of a connection. */
export interface Peer {
  /** Sends a text frame. */
  sendText(text: Buffer): void;
  close(code: number, reason: string): void;
  readonly bufferedAmount: number;
}

/** Structured log lines: an event name and numbers or codes, nothing a client sent. */
export type RelayLog = (event: string, fields: Readonly<Record<string, number | string>>) => void;

export const CLOSE_POLICY = 1008;
export const CLOSE_GOING_AWAY = 1001;
/** WebSocket "try again later": the relay is busy, the client's reconnect backoff applies. */
export const CLOSE_TRY_AGAIN_LATER = 1013;

/** Why the relay refused an upgrade: full (HTTP 503), or the address holds its share (HTTP 429). */
export type RefuseCode = 'FULL' | 'PER_ADDRESS';

/** Why the relay closed a client (logged `close code=…`, counted in {@link RelayStats}). */
export type CloseCode = 'STRIKES' | 'IDLE' | 'NO_SUBSCRIBE' | 'NO_PONG' | 'PRESSURE';

/** The WebSocket close status and reason sent for each code (NO_PONG is a cut connection: nothing is sent). */
const CLOSES: Readonly<Record<CloseCode, readonly [number, string]>> = {
  STRIKES: [CLOSE_POLICY, 'too many bad frames'],
  IDLE: [CLOSE_POLICY, 'idle'],
  NO_SUBSCRIBE: [CLOSE_POLICY, 'no subscription'],
  NO_PONG: [CLOSE_POLICY, 'no pong'],
  PRESSURE: [CLOSE_TRY_AGAIN_LATER, 'relay busy'],
};

/** An upgrade's verdict: refused with a code, or admitted — after closing `evict`, if any, to make room. */
export type Admission = { readonly ok: true; readonly evict: Client | null } | { readonly ok: false; readonly code: RefuseCode };

export interface Client {
  readonly id: number;
  readonly peer: Peer;
  readonly topics: Set<string>;
  readonly bucket: TokenBucket;
  readonly strikes: Strikes;
  /** TURN credentials requests, metered apart from frames: each costs a signature check. */
  readonly turnBucket: TokenBucket;
  /**
   * The lower-cased `Host` header of the client's upgrade request, which its
   * TURN requests must be signed for (so a request made for another relay
   * cannot be replayed here); null when the request had none.
   */
  readonly host: string | null;
  /** What the client counts under for `maxClientsPerAddress` (address.ts `addressKey`); null: not counted. */
  readonly address: string | null;
  /** Answered the last heartbeat ping (or sent anything since): the connection is up, not that it is used. */
  alive: boolean;
  /** When the relay last accepted a frame from it (joining counts): dropped frames and pongs do not keep a slot. */
  lastFrameAt: number;
  /** Since when it has held no topic (from joining); null while it holds one. */
  bareSince: number | null;
}

export interface RelayStats {
  clients: number;
  topics: number;
  forwarded: number;
  /** Frames not delivered to a slow receiver. */
  skipped: number;
  /** TURN requests answered (with credentials, or with none when the relay has no TURN server). */
  turnAnswered: number;
  dropped: Partial<Record<DropCode, number>>;
  /** Upgrades refused, by code. */
  refused: Partial<Record<RefuseCode, number>>;
  /** Clients closed by the relay, by code. */
  closed: Partial<Record<CloseCode, number>>;
}

export class Hub {
  readonly clients = new Set<Client>();
  private readonly topics = new Map<string, Set<Client>>();
  private nextId = 1;
  private forwarded = 0;
  private skipped = 0;
  private turnAnswered = 0;
  private readonly dropped: Partial<Record<DropCode, number>> = {};
  private readonly refused: Partial<Record<RefuseCode, number>> = {};
  private readonly closed: Partial<Record<CloseCode, number>> = {};
  /** Clients per address key (entries at zero are removed). */
  private readonly perAddress = new Map<string, number>();

  constructor(
    private readonly limits: RelayLimits,
    private readonly log: RelayLog,
    /** null: the relay has no TURN server and answers valid requests with none. */
    private readonly turn: TurnConfig | null = null,
  ) {}

  get full(): boolean {
    return this.clients.size >= this.limits.maxClients;
  }

  /**
   * Whether a client from `address` (an address key) may join now. Checked
   * at the upgrade, before the handshake, so a refusal costs one HTTP
   * response; the caller joins the client (after closing `evict`) in the
   * same turn of the event loop, so simultaneous upgrades cannot overshoot
   * a cap. The per-address cap is checked first: a host over its share
   * never pushes anyone out.
   */
  admit(address: string, now: number): Admission {
    const mine = this.perAddress.get(address) ?? 0;
    if (mine >= this.limits.maxClientsPerAddress) return this.refuse('PER_ADDRESS', { fromAddress: mine });
    const evict = underPressure(this.clients.size, this.limits) ? pressureVictim(this.clients, now, this.limits) : null;
    if (this.full && evict === null) return this.refuse('FULL', {});
    return { ok: true, evict };
  }

  private refuse(code: RefuseCode, fields: Readonly<Record<string, number>>): Admission {
    this.refused[code] = (this.refused[code] ?? 0) + 1;
    this.log('refused', { code, clients: this.clients.size, ...fields });
    return { ok: false, code };
  }

  /** Closes a client for `code` (logged and counted) and forgets it; a no-op for a client already gone. */
  expel(client: Client, code: CloseCode): void {
    if (!this.clients.has(client)) return;
    this.closed[code] = (this.closed[code] ?? 0) + 1;
    this.log('close', { client: client.id, code });
    const [status, reason] = CLOSES[code];
    client.peer.close(status, reason);
    this.leave(client);
  }

  /** A new client; `host` is its upgrade request's `Host` header, if any; `address` its address key, if counted. */
  join(peer: Peer, now: number, host: string | null = null, address: string | null = null): Client {
    const { ratePerSecond, burst, maxStrikes, strikeForgiveMs } = this.limits;
    const client: Client = {
      id: this.nextId++,
      peer,
      topics: new Set(),
      bucket: new TokenBucket(burst, ratePerSecond, now),
      strikes: new Strikes(maxStrikes, strikeForgiveMs),
      turnBucket: new TokenBucket(TURN_RATE.burst, TURN_RATE.perSecond, now),
      host: host === null || host === '' ? null : host.toLowerCase(),
      address,
      alive: true,
      lastFrameAt: now,
      bareSince: now,
    };
    this.clients.add(client);
    if (address !== null) this.perAddress.set(address, (this.perAddress.get(address) ?? 0) + 1);
    this.log('connect', { client: client.id, clients: this.clients.size });
    return client;
  }

  leave(client: Client): void {
    if (!this.clients.delete(client)) return;
    this.unsubscribe(client, [...client.topics]);
    if (client.address !== null) {
      const left = (this.perAddress.get(client.address) ?? 1) - 1;
      if (left > 0) this.perAddress.set(client.address, left);
      else this.perAddress.delete(client.address);
    }
    this.log('disconnect', { client: client.id, clients: this.clients.size });
  }

  /**
   * One frame from a client: acted on, or dropped with a strike. Only a
   * frame acted on renews the client's slot (`lastFrameAt`): a trickle of
   * bad frames, slower than strikes are forgiven, must not hold one.
   */
  receive(client: Client, data: Buffer, isBinary: boolean, now: number): void {
    if (!this.clients.has(client)) return; // closed, frames still in flight
    client.alive = true;
    const code = this.handle(client, data, isBinary, now);
    if (code === null) {
      client.lastFrameAt = now;
      return;
    }
    this.dropped[code] = (this.dropped[code] ?? 0) + 1;
    this.log('drop', { client: client.id, code });
    if (client.strikes.add(now)) this.expel(client, 'STRIKES');
  }

  private handle(client: Client, data: Buffer, isBinary: boolean, now: number): DropCode | null {
    if (!client.bucket.take(now)) return 'RATE';
    if (isBinary) return 'BINARY';
    if (data.length > this.limits.maxFrameBytes) return 'OVERSIZE';
    const parsed = parseFrame(data.toString('utf8'), this.limits);
    if (!parsed.ok) return parsed.code;
    const frame = parsed.frame;
    switch (frame.type) {
      case 'ping':
        client.peer.sendText(Buffer.from('{"type":"pong"}'));
        return null;
      case 'subscribe': {
        const added = frame.topics.filter((t) => !client.topics.has(t));
        if (client.topics.size + added.length > this.limits.maxTopicsPerClient) return 'TOO_MANY_TOPICS';
        for (const t of added) {
          client.topics.add(t);
          let subs = this.topics.get(t);
          if (!subs) this.topics.set(t, (subs = new Set()));
          subs.add(client);
        }
        if (client.topics.size > 0) client.bareSince = null;
        return null;
      }
      case 'unsubscribe':
        this.unsubscribe(client, frame.topics);
        if (client.topics.size === 0) client.bareSince ??= now;
        return null;
      case 'publish':
        if (!client.topics.has(frame.topic)) return 'NOT_SUBSCRIBED';
        this.forward(client, frame.topic, data);
        return null;
      case 'turn':
        return this.answerTurn(client, frame.fields, now);
    }
  }

  /** Checks a TURN credentials request and answers its sender alone; the rate is taken first, so it also caps signature checks. */
  private answerTurn(client: Client, fields: Readonly<Record<string, unknown>>, now: number): DropCode | null {
    if (!client.turnBucket.take(now)) return 'TURN_RATE';
    if (client.host === null) return 'BAD_REQUEST';
    const checked = checkTurnRequest(fields, client.host, now, nobleVerifier);
    if (!checked.ok) return checked.code;
    if (!client.topics.has(checked.request.topic)) return 'NOT_SUBSCRIBED';
    const servers = this.turn ? turnCredentials(this.turn, checked.request.key, now) : null;
    client.peer.sendText(Buffer.from(turnAnswerFrame(servers)));
    this.turnAnswered++;
    this.log('turn', { client: client.id, urls: servers ? servers.urls.length : 0 });
    return null;
  }

  private forward(from: Client, topic: string, data: Buffer): void {
    for (const to of this.topics.get(topic) ?? []) {
      if (to === from) continue;
      if (to.peer.bufferedAmount > this.limits.maxBufferedBytes) {
        this.skipped++;
        continue;
      }
      to.peer.sendText(data);
      this.forwarded++;
    }
  }

  private unsubscribe(client: Client, topics: readonly string[]): void {
    for (const t of topics) {
      client.topics.delete(t);
      const subs = this.topics.get(t);
      subs?.delete(client);
      if (subs?.size === 0) this.topics.delete(t);
    }
  }

  stats(): RelayStats {
    const { forwarded, skipped, turnAnswered } = this;
    return {
      clients: this.clients.size,
      topics: this.topics.size,
      forwarded,
      skipped,
      turnAnswered,
      dropped: { ...this.dropped },
      refused: { ...this.refused },
      closed: { ...this.closed },
    };
  }
}
