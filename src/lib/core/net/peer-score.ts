/**
 * Misbehaviour scores and timed bans (SPEC §6: misbehaving peers are
 * disconnected and ignored, never crash a node). Each fault adds points; at
 * {@link BAN_SCORE} the peer is disconnected and refused until its ban
 * expires. Points fade with time, so an honest peer that once sent, say, a
 * transaction our ledger refused is never banned for it. Duplicates of honest
 * traffic are not faults at all (the node never reports them). Clock injected,
 * milliseconds.
 *
 * Peer identities are free to make (SPEC §5), so a ban only slows a
 * determined attacker; its purpose is that one bad connection cannot keep
 * costing the node work.
 */
import { RejectCode } from './messages';

/** Misbehaviour the node can report. */
export type Fault =
  | 'MALFORMED' // bytes or frames that do not decode canonically
  | 'OVERSIZE' // a message or frame above its limit
  | 'PROTOCOL' // out of order: a message before hello, a second hello, a hello with another node id
  | 'INVALID_HEADER' // a header whose proof of work, link or height is wrong
  | 'INVALID_BLOCK' // a block breaking a consensus rule that no honest node relays
  | 'INVALID_TX' // a transaction with a bad structure or signature
  | 'INVALID_VOTE' // a consensus message the agreement layer refused
  | 'INVALID_BLOB' // blob bytes that do not match the hash asked for (SPEC §3)
  | 'UNSOLICITED' // a block or headers nobody asked for
  | 'SPAM' // unsolicited messages above the rate limit
  | 'STALL' // a request left unanswered past its timeout
  | 'UNSERVED'; // "not found" for a block it announced (it or a descendant)

/** The coded reason a banned peer is told. */
export const REJECT_FOR_FAULT: Readonly<Record<Fault, RejectCode>> = Object.freeze({
  MALFORMED: RejectCode.Malformed,
  OVERSIZE: RejectCode.Oversize,
  PROTOCOL: RejectCode.Protocol,
  INVALID_HEADER: RejectCode.InvalidBlock,
  INVALID_BLOCK: RejectCode.InvalidBlock,
  INVALID_TX: RejectCode.InvalidTx,
  INVALID_VOTE: RejectCode.InvalidVote,
  INVALID_BLOB: RejectCode.InvalidBlob,
  UNSOLICITED: RejectCode.Protocol,
  SPAM: RejectCode.RateLimited,
  STALL: RejectCode.Protocol,
  UNSERVED: RejectCode.Protocol,
});

/** Score at which a peer is banned. */
export const BAN_SCORE = 100;

/** Points per fault. Faults no honest peer commits ban at once. */
export const FAULT_POINTS: Readonly<Record<Fault, number>> = Object.freeze({
  MALFORMED: 100,
  OVERSIZE: 100,
  PROTOCOL: 100,
  INVALID_HEADER: 100,
  INVALID_BLOCK: 100,
  INVALID_TX: 20,
  INVALID_VOTE: 20,
  INVALID_BLOB: 100,
  UNSOLICITED: 10,
  SPAM: 100,
  STALL: 10,
  UNSERVED: 25,
});

export interface ScoreOptions {
  /** How long a ban lasts. */
  readonly banMs: number;
  /** One point fades every this many milliseconds. */
  readonly decayMs: number;
  /** Peers remembered (scores and bans); the oldest entry is forgotten first. */
  readonly maxPeers: number;
}

export const DEFAULT_SCORE_OPTIONS: ScoreOptions = Object.freeze({ banMs: 60 * 60 * 1000, decayMs: 10_000, maxPeers: 4096 });

interface Entry {
  score: number;
  at: number;
  bannedUntil: number;
}

export class PeerScores {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly options: ScoreOptions = DEFAULT_SCORE_OPTIONS) {}

  /** Current score of `peer` (after fading). */
  score(peer: string, nowMs: number): number {
    const e = this.entries.get(peer);
    return e ? this.faded(e, nowMs) : 0;
  }

  /** Whether `peer` is banned at `nowMs`. */
  isBanned(peer: string, nowMs: number): boolean {
    const e = this.entries.get(peer);
    return e !== undefined && e.bannedUntil > nowMs;
  }

  /** Records a fault; returns whether the peer is now banned. */
  penalise(peer: string, fault: Fault, nowMs: number): boolean {
    let e = this.entries.get(peer);
    if (!e) {
      if (this.entries.size >= this.options.maxPeers) this.entries.delete(this.entries.keys().next().value!);
      e = { score: 0, at: nowMs, bannedUntil: 0 };
      this.entries.set(peer, e);
    }
    e.score = this.faded(e, nowMs) + FAULT_POINTS[fault];
    e.at = nowMs;
    if (e.score >= BAN_SCORE) {
      e.bannedUntil = nowMs + this.options.banMs;
      e.score = 0;
      return true;
    }
    return e.bannedUntil > nowMs;
  }

  private faded(e: Entry, nowMs: number): number {
    return Math.max(0, e.score - Math.floor((nowMs - e.at) / this.options.decayMs));
  }
}
