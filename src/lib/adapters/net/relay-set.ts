/**
 * Signalling through several relays at once (SPEC §6: "a network may list
 * several relays; any one of them introduces peers"). One
 * {@link SignallingClient} per relay, each reconnecting on its own with
 * backoff; an envelope is signed once and published through every relay
 * that is connected, and an envelope arriving through several relays is
 * handed on once (the others count as `DUPLICATE`, not as hostility). The
 * set is `open` while any relay is, so the node keeps working while one
 * relay is down.
 *
 * TURN credentials (turn-request.ts) are asked of every relay; the freshest
 * answer wins. {@link RelaySet.turn} says whether a TURN server is known,
 * known to be absent (every relay that answered has none), or not yet known.
 */
import { toHex } from '../../core/bytes';
import type { SignalKindName, SignedSignal } from '../../core/signal/envelope';
import { SignalInbox } from '../../core/signal/inbox';
import { roomIdOf } from '../../core/signal/room';
import type { TurnServers } from '../../core/signal/turn-request';
import { type AcceptCode, type AcceptResult, type ConnectionState, SignallingClient, type SignallingOptions, signEnvelope } from './signalling-client';

export interface RelaySetOptions extends Omit<SignallingOptions, 'url' | 'onSignal' | 'onState' | 'accept' | 'onTurn'> {
  /** The network's relays (at least one). */
  readonly urls: readonly string[];
  /** Ask the relays for TURN credentials (default true). */
  readonly turn?: boolean;
  readonly onSignal: (signal: SignedSignal) => void;
  /** A relay's connection changed state (`open` means: say hello through it). */
  readonly onState?: (url: string, state: ConnectionState) => void;
}

/** What the node knows of TURN: credentials (with when they expire, ms), none configured, or nothing yet. */
export type TurnState =
  { readonly kind: 'available'; readonly servers: TurnServers; readonly expiresAt: number } | { readonly kind: 'none' } | { readonly kind: 'unknown' };

/** Envelopes remembered to spot the same one arriving through another relay. */
const DUPLICATE_MEMORY = 4096;

export class RelaySet {
  readonly clients: readonly SignallingClient[];
  /** The relays' URLs, each once, in the clients' order. */
  readonly urls: readonly string[];
  private readonly seen = new Set<string>();
  private turnState: TurnState = { kind: 'unknown' };
  private readonly room: Uint8Array;

  constructor(private readonly o: RelaySetOptions) {
    this.room = roomIdOf(o.networkId);
    const inbox = new SignalInbox({ room: this.room, self: o.signer.publicKey, verifier: o.verifier });
    const accept = (bytes: Uint8Array, now: number): AcceptResult => {
      // The signature's 64 bytes end every envelope and name it; an altered copy fails the inbox and is not remembered.
      const id = toHex(bytes.subarray(bytes.length - 64));
      if (this.seen.has(id)) return { ok: false, code: 'DUPLICATE' };
      const r = inbox.accept(bytes, now);
      if (r.ok) this.remember(id);
      return r;
    };
    this.urls = [...new Set(o.urls)];
    this.clients = this.urls.map(
      (url) =>
        new SignallingClient({
          ...o,
          url,
          accept,
          onSignal: o.onSignal,
          onState: (state) => o.onState?.(url, state),
          onTurn: o.turn === false ? undefined : (answer) => this.onTurn(answer),
        }),
    );
  }

  /** `open` while any relay is connected; otherwise the most hopeful of the others' states. */
  get state(): ConnectionState {
    const states = this.clients.map((c) => c.state);
    for (const s of ['open', 'connecting', 'waiting'] as const) if (states.includes(s)) return s;
    return 'closed';
  }

  /** Each relay and its connection state. */
  relays(): { url: string; state: ConnectionState }[] {
    return this.clients.map((c, i) => ({ url: this.urls[i]!, state: c.state }));
  }

  /** TURN as last heard from the relays; credentials past their expiry count as unknown. */
  turn(): TurnState {
    const t = this.turnState;
    return t.kind === 'available' && t.expiresAt <= this.o.now() ? { kind: 'unknown' } : t;
  }

  start(): void {
    for (const c of this.clients) c.start();
  }

  stop(): void {
    for (const c of this.clients) c.stop();
  }

  /** Signs once and publishes through every connected relay; false when none is connected. */
  async send(kind: SignalKindName, to: Uint8Array | null, payload: string): Promise<boolean> {
    if (this.state !== 'open') return false;
    const envelope = await signEnvelope(this.o, this.room, kind, to, payload);
    let sent = false;
    for (const c of this.clients) sent = c.publish(envelope) || sent;
    return sent;
  }

  /** Refusals by code, summed over the relays. */
  rejected(): Partial<Record<AcceptCode | 'BAD_FRAME', number>> {
    const sum: Partial<Record<AcceptCode | 'BAD_FRAME', number>> = {};
    for (const c of this.clients) for (const [k, v] of Object.entries(c.rejected)) sum[k as AcceptCode] = (sum[k as AcceptCode] ?? 0) + v;
    return sum;
  }

  private onTurn(answer: TurnServers | 'none'): void {
    if (answer !== 'none') this.turnState = { kind: 'available', servers: answer, expiresAt: this.o.now() + answer.ttl * 1000 };
    // A relay without TURN does not hide what another relay offered.
    else if (this.turn().kind !== 'available') this.turnState = { kind: 'none' };
  }

  private remember(id: string): void {
    this.seen.add(id);
    if (this.seen.size > DUPLICATE_MEMORY) this.seen.delete(this.seen.values().next().value!);
  }
}
