/**
 * The browser's connection to the signalling relay (SPEC §6). It joins the
 * network's opaque room, publishes envelopes signed with this node's key and
 * hands on only envelopes that pass {@link SignalInbox} — the relay is
 * hostile, so whatever it rewrites, replays or redirects is refused and
 * counted by code, never thrown. It pings the relay, treats silence as a dead
 * connection, and reconnects with capped, jittered exponential backoff.
 *
 * On every connection it may also ask the relay for TURN credentials
 * (turn-request.ts), signed with the node key and bound to the relay's
 * host, and asks again before they expire; the answer goes to `onTurn`.
 * Several clients (one per relay, relay-set.ts) can share one envelope
 * check (`accept`), so an envelope that arrives through two relays is
 * handed on once.
 *
 * Everything from the platform is injected — the WebSocket constructor (the
 * browser's, or `ws` in Node tests), the clock, randomness, timers and the
 * signer (a non-extractable WebCrypto key in the app) — so the same code runs
 * in tests against a real relay process.
 */
import type { SignatureVerifier } from '../../core/signature';
import { type SignalKindName, type SignedSignal, EVERYONE, encodeSignal, signalSigningMessage, withSignature } from '../../core/signal/envelope';
import { publishFrame, readRelayFrame, topicsFrame } from '../../core/signal/frame';
import { SignalInbox, type SignalCode, type SignalResult } from '../../core/signal/inbox';
import { turnRequestFrame, turnRequestMessage, type TurnServers } from '../../core/signal/turn-request';
import { roomIdOf, roomTopic } from '../../core/signal/room';

/** The part of the WebSocket API used here (the browser's and `ws`'s both fit). */
export interface WebSocketLike {
  readonly readyState: number;
  onopen: ((ev: never) => void) | null;
  /** Method syntax on purpose: parameters are then checked bivariantly, so richer event types fit. */
  onmessage: { handler(ev: { readonly data: unknown }): void }['handler'] | null;
  onclose: ((ev: never) => void) | null;
  onerror: ((ev: never) => void) | null;
  send(data: string): void;
  close(code?: number, reason?: string): void;
}
export type WebSocketConstructor = new (url: string) => WebSocketLike;

/** This node's signing key: only a public key and a way to sign. */
export interface NodeSigner {
  readonly publicKey: Uint8Array;
  sign(message: Uint8Array): Promise<Uint8Array>;
}

export interface Timers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** Why an envelope was not handed on: the inbox's codes, or already handed on through another relay. */
export type AcceptCode = SignalCode | 'DUPLICATE';
export type AcceptResult = SignalResult | { ok: false; code: 'DUPLICATE' };

/** `connecting` → `open`; on loss `waiting` (backoff) → `connecting` …; `closed` after {@link SignallingClient.stop}. */
export type ConnectionState = 'connecting' | 'open' | 'waiting' | 'closed';

export interface SignallingOptions {
  readonly url: string;
  readonly WebSocket: WebSocketConstructor;
  readonly networkId: string;
  readonly signer: NodeSigner;
  readonly verifier: SignatureVerifier;
  /** Milliseconds since 1970. */
  readonly now: () => number;
  /** Uniform in [0, 1): backoff jitter. */
  readonly random: () => number;
  /** Random bytes: envelope nonces. */
  readonly randomBytes: (n: number) => Uint8Array;
  readonly onSignal: (signal: SignedSignal) => void;
  readonly onState?: (state: ConnectionState) => void;
  /** The envelope check, shared by the clients of several relays (default: this client's own inbox). */
  readonly accept?: (bytes: Uint8Array, now: number) => AcceptResult;
  /** Ask the relay for TURN credentials on every connection, and again before they expire; answers go here. */
  readonly onTurn?: (answer: TurnServers | 'none') => void;
  readonly timers?: Timers;
  /** Ping interval; silence for two intervals means the connection is dead (default 15 s, as y-webrtc). */
  readonly pingMs?: number;
  readonly backoffBaseMs?: number;
  readonly backoffMaxMs?: number;
}

const OPEN = 1;

/** Delay before reconnect attempt `attempt` (0-based): base·2^attempt capped at max, times a jitter in [½, 1). */
export function backoffDelay(attempt: number, baseMs: number, maxMs: number, random: () => number): number {
  return Math.min(maxMs, baseMs * 2 ** Math.min(attempt, 30)) * (0.5 + random() / 2);
}

export class SignallingClient {
  private ws: WebSocketLike | null = null;
  private current: ConnectionState = 'closed';
  private attempt = 0;
  private timer: unknown = null;
  private lastHeard = 0;
  private stopped = true;
  /** When to ask for TURN credentials again (ms), while connected. */
  private turnDue = Infinity;
  private readonly accept: (bytes: Uint8Array, now: number) => AcceptResult;
  private readonly room: Uint8Array;
  private readonly topic: string;
  private readonly timers: Timers;
  /** Envelopes refused, by code (a hostile relay shows up here). */
  readonly rejected: Partial<Record<AcceptCode | 'BAD_FRAME', number>> = {};

  constructor(private readonly o: SignallingOptions) {
    this.room = roomIdOf(o.networkId);
    this.topic = roomTopic(this.room);
    if (o.accept) this.accept = o.accept;
    else {
      const inbox = new SignalInbox({ room: this.room, self: o.signer.publicKey, verifier: o.verifier });
      this.accept = (bytes, now) => inbox.accept(bytes, now);
    }
    this.timers = o.timers ?? { setTimeout: (f, ms) => globalThis.setTimeout(f, ms), clearTimeout: (h) => globalThis.clearTimeout(h as number) };
  }

  get state(): ConnectionState {
    return this.current;
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.connect();
  }

  stop(): void {
    this.stopped = true;
    this.timers.clearTimeout(this.timer);
    const ws = this.ws;
    this.ws = null;
    ws?.close(1000, 'bye');
    this.setState('closed');
  }

  /** Signs and publishes an envelope; false when the relay is not connected (the caller retries on `open`). */
  async send(kind: SignalKindName, to: Uint8Array | null, payload: string): Promise<boolean> {
    return this.publish(await signEnvelope(this.o, this.room, kind, to, payload));
  }

  /** Publishes an envelope already signed (the same one goes through every relay); false when not connected. */
  publish(envelope: Uint8Array): boolean {
    const ws = this.ws;
    if (!ws || ws.readyState !== OPEN || this.current !== 'open') return false;
    ws.send(publishFrame(this.topic, envelope));
    return true;
  }

  private setState(s: ConnectionState): void {
    if (s === this.current) return;
    this.current = s;
    this.o.onState?.(s);
  }

  private connect(): void {
    this.setState('connecting');
    let ws: WebSocketLike;
    try {
      ws = new this.o.WebSocket(this.o.url);
    } catch {
      return this.retry();
    }
    this.ws = ws;
    ws.onopen = () => {
      if (this.ws !== ws) return;
      this.attempt = 0;
      this.lastHeard = this.o.now();
      ws.send(topicsFrame('subscribe', [this.topic]));
      this.setState('open');
      this.turnDue = this.o.onTurn ? this.o.now() : Infinity;
      void this.askTurn(ws);
      this.schedulePing(ws);
    };
    ws.onmessage = (ev) => {
      if (this.ws !== ws) return;
      this.lastHeard = this.o.now();
      if (typeof ev.data === 'string') this.receive(ev.data);
    };
    ws.onclose = () => {
      if (this.ws !== ws) return;
      this.ws = null;
      this.retry();
    };
    ws.onerror = () => {}; // a close follows
  }

  private retry(): void {
    this.timers.clearTimeout(this.timer);
    if (this.stopped) return;
    this.setState('waiting');
    const delay = backoffDelay(this.attempt++, this.o.backoffBaseMs ?? 500, this.o.backoffMaxMs ?? 30_000, this.o.random);
    this.timer = this.timers.setTimeout(() => this.connect(), delay);
  }

  private schedulePing(ws: WebSocketLike): void {
    const pingMs = this.o.pingMs ?? 15_000;
    this.timer = this.timers.setTimeout(() => {
      if (this.ws !== ws) return;
      if (this.o.now() - this.lastHeard > 2 * pingMs) {
        this.ws = null;
        ws.close(4000, 'relay silent');
        return this.retry();
      }
      ws.send('{"type":"ping"}');
      void this.askTurn(ws);
      this.schedulePing(ws);
    }, pingMs);
  }

  /** Asks the relay for TURN credentials when due (on connecting, and before the last ones expire). */
  private async askTurn(ws: WebSocketLike): Promise<void> {
    const o = this.o;
    if (o.now() < this.turnDue) return;
    // Until an answer comes, ask again a minute later (a relay may drop a frame).
    this.turnDue = o.now() + 60_000;
    const request = { key: o.signer.publicKey, topic: this.topic, time: o.now(), nonce: o.randomBytes(16) };
    let host: string;
    try {
      host = new URL(o.url).host;
    } catch {
      return;
    }
    const signature = await o.signer.sign(turnRequestMessage(host, request));
    if (this.ws === ws && ws.readyState === OPEN) ws.send(turnRequestFrame(request, signature));
  }

  private receive(text: string): void {
    const frame = readRelayFrame(text);
    if (frame === null) return this.count('BAD_FRAME');
    if (frame.type === 'turn') return this.turnAnswer(frame.answer);
    if (frame.type !== 'publish' || frame.topic !== this.topic) return;
    const result = this.accept(frame.data, this.o.now());
    if (result.ok) this.o.onSignal(result.signal);
    else this.count(result.code);
  }

  private turnAnswer(answer: TurnServers | 'none'): void {
    if (!this.o.onTurn) return;
    // Ask again at half the credentials' life (a relay without TURN is asked again on the next connection only).
    this.turnDue = answer === 'none' ? Infinity : this.o.now() + (answer.ttl * 1000) / 2;
    this.o.onTurn(answer);
  }

  private count(code: AcceptCode | 'BAD_FRAME'): void {
    this.rejected[code] = (this.rejected[code] ?? 0) + 1;
  }
}

/** Signs one envelope of `kind` in `room` with the node key (the bytes every relay publishes). */
export async function signEnvelope(
  o: Pick<SignallingOptions, 'signer' | 'now' | 'randomBytes'>,
  room: Uint8Array,
  kind: SignalKindName,
  to: Uint8Array | null,
  payload: string,
): Promise<Uint8Array> {
  const unsigned = { room, from: o.signer.publicKey, to: to ?? EVERYONE, kind, time: o.now(), nonce: o.randomBytes(16), payload };
  const signature = await o.signer.sign(signalSigningMessage(unsigned));
  return encodeSignal(withSignature(unsigned, signature));
}
