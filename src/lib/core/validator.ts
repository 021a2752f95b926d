/**
 * What an honest validator signs (docs/consensus.md, "The honest validator").
 * At the height under agreement, round by round:
 *
 * 1. Prevote: the block it is locked on, else the block at that height on its
 *    own fully valid chain (fork choice leans to the latest polka), else wait
 *    for a candidate.
 * 2. Precommit: on seeing a polka for a valid block in this round, lock on it
 *    and precommit it; when the prevote timeout of the round passes without
 *    one, precommit nil.
 * 3. When the round's time is up and a quorum has precommitted in it, go to
 *    the next round; timeouts grow with the round, so after the network
 *    heals, rounds outlast message delays. The growth stops after
 *    {@link TIMEOUT_GROWTH_ROUNDS} rounds: no round waits longer than that.
 *
 * A lock is released only by a polka for another block in a later round
 * (that polka proves no block was final in between; the safety argument).
 * A validator joins a later round when more validators vote there than could
 * all be faulty ({@link roundJumpVoters}), and never beyond one round above
 * the latest round a quorum precommitted in: no honest validator can be
 * further, so no faulty minority can pull it there.
 *
 * At most one prevote and one precommit per round: what it cast is its
 * memory, which survives restarts ({@link ValidatorPolicy.rebind}), or it
 * could sign a conflicting vote after a crash.
 */
import type { ChainState } from './chain';
import type { Finality } from './finality';
import { roundJumpVoters } from './finality';
import { hexToBytes, toHex } from './bytes';
import type { Tx } from './tx';
import { VotePhase, readVote, signVote } from './vote';
import { VOTE_LIMITS } from './vote-budget';
import type { VoteMemory } from './vote-memory';

/** Round timing, in the node clock's seconds. */
export interface RoundTiming {
  /** How long a round waits for a polka before precommitting nil. */
  readonly prevote: number;
  /** How long a round lasts in all. */
  readonly round: number;
  /** Added to both for each later round. */
  readonly growth: number;
}

/** For the default network (5 s spacing): agreement takes a few message delays, well under a block. */
export const DEFAULT_TIMING: RoundTiming = Object.freeze({ prevote: 1, round: 2, growth: 0.5 });

/**
 * Rounds over which timeouts grow; later rounds wait as long as this one.
 * Growth is there so rounds come to outlast message delays after a heal; past
 * a bound it only lets a round reached by faults (or a bug) wait for days.
 * With DEFAULT_TIMING the longest round is 2 + 0.5 × 32 = 18 s, many times
 * the delays of a working mesh (docs/consensus.md "Limits on rounds").
 */
export const TIMEOUT_GROWTH_ROUNDS = 32;

/** Rounds whose votes a validator keeps to re-send (its latest ones; the same as peers keep of it). */
const ROUNDS_RESENT = VOTE_LIMITS.roundsPerValidator;

interface Memory {
  height: number;
  round: number;
  /** When the current round started (the node's clock); null until a candidate exists. */
  start: number | null;
  locked: { block: string; round: number } | null;
  /** The prevotes of the polka that made the lock: re-sent with our votes, so peers that lost them (restarts, drops) can see why we hold it. */
  lockProof: Tx[];
  /** "round/phase" → the choice cast (null = nil), at this height. */
  readonly cast: Map<string, string | null>;
  /** The transactions of the votes cast at this height, for re-sending. */
  readonly sent: Tx[];
}

export class ValidatorPolicy {
  private readonly id: string;
  private m: Memory = { height: -1, round: 0, start: null, locked: null, lockProof: [], cast: new Map(), sent: [] };

  constructor(
    private readonly chain: ChainState,
    private readonly finality: Finality,
    private readonly key: { readonly secret: Uint8Array; readonly pub: Uint8Array },
    private readonly timing: RoundTiming = DEFAULT_TIMING,
  ) {
    this.id = toHex(key.pub);
  }

  /** The same validator (its memory of what it cast, which is persisted) on a restarted node. */
  rebind(chain: ChainState, finality: Finality): ValidatorPolicy {
    const p = new ValidatorPolicy(chain, finality, this.key, this.timing);
    p.m = this.m;
    return p;
  }

  /** What this validator remembers now, to persist before any new vote leaves (null before its first vote). */
  memory(): VoteMemory | null {
    const m = this.m;
    if (m.height < 0 || m.sent.length === 0) return null;
    return { height: m.height, round: m.round, locked: m.locked && { ...m.locked }, lockProof: [...m.lockProof], cast: new Map(m.cast), sent: [...m.sent] };
  }

  /** Takes back a persisted memory (after a restart); its round timer starts again. */
  restore(memory: VoteMemory): void {
    this.m = {
      height: memory.height,
      round: memory.round,
      start: null,
      locked: memory.locked && { ...memory.locked },
      lockProof: [...memory.lockProof],
      cast: new Map(memory.cast),
      sent: [...memory.sent],
    };
  }

  /**
   * The votes to re-send at the height under agreement (messages get lost,
   * peers restart): those it cast, its lock's proof, and the votes behind
   * its view ({@link Finality.justification}), whose signers may never send
   * them again. Each vote once.
   */
  votesCast(): readonly Tx[] {
    if (this.m.height !== this.finality.height) return [];
    const seen = new Set<string>();
    return [...this.m.lockProof, ...this.m.sent, ...this.finality.justification()].filter((tx) => {
      const id = toHex(tx.signature);
      if (seen.has(id)) return false;
      seen.add(id);
      return true;
    });
  }

  /** The round this validator is in at the height under agreement. */
  get round(): number {
    return this.m.round;
  }

  /**
   * The votes to sign and broadcast now. Call after every event (a block, a
   * vote) and on a timer; calling again changes nothing until something did.
   */
  step(now: number): Tx[] {
    const f = this.finality;
    if (!f.validators().includes(this.id)) return [];
    const m = this.enter(f.height);
    const final = this.chain.finalized;
    const tip = this.chain.tip;
    const candidate = tip.height >= m.height && this.chain.descendsFromFinal(tip) ? this.chain.ancestor(tip, m.height)! : null;
    if (m.start === null) {
      // A round starts once there is something to vote on (here or in others' votes).
      if (!candidate && f.roundsSeen().length === 0) return [];
      m.start = now;
    }
    this.joinLaterRound(now);
    const out: Tx[] = [];
    for (let guard = 0; guard < 4; guard++) {
      const r = m.round;
      // A polka for another block in a later round than our lock releases the lock.
      const latest = f.latestPolka();
      if (m.locked && latest && latest.round > m.locked.round && latest.block !== m.locked.block) {
        m.locked = null;
        m.lockProof = [];
      }
      if (!m.cast.has(`${r}/1`)) {
        const choice = m.locked?.block ?? candidate?.key ?? null;
        // Nothing to vote for yet: wait for a candidate until the prevote timeout.
        if (choice === null && now < m.start! + this.after(this.timing.prevote, r)) break;
        out.push(this.vote(VotePhase.Prevote, choice, now));
      }
      if (!m.cast.has(`${r}/2`)) {
        const p = f.polka(r);
        const node = p === null ? undefined : this.chain.get(p);
        // Lock only on a block we hold, at this height, on our valid chain (fork choice moved there after the polka).
        const valid = node !== undefined && node.parent === final && (this.chain.isActive(node) || m.locked?.block === p);
        if (valid) {
          m.locked = { block: p!, round: r };
          m.lockProof = f.prevotesFor(r, p!);
          out.push(this.vote(VotePhase.Precommit, p, now));
        } else if (now >= m.start! + this.after(this.timing.prevote, r)) out.push(this.vote(VotePhase.Precommit, null, now));
      }
      // A round ends when its time is up and a quorum has precommitted in it (so no validator races ahead alone).
      if (!m.cast.has(`${r}/2`) || now < m.start! + this.after(this.timing.round, r) || f.precommittersIn(r) < f.need()) break;
      m.round = r + 1;
      m.start = now;
    }
    return out;
  }

  private after(base: number, round: number): number {
    return base + this.timing.growth * Math.min(round, TIMEOUT_GROWTH_ROUNDS);
  }

  /** Memory for the height under agreement, starting afresh when the final block moved. */
  private enter(height: number): Memory {
    if (this.m.height !== height) this.m = { height, round: 0, start: null, locked: null, lockProof: [], cast: new Map(), sent: [] };
    return this.m;
  }

  /**
   * Joins a later round in which more validators vote than could all be
   * faulty, at most one round above the latest round a quorum precommitted
   * in (rule 5 keeps every honest validator there or below).
   */
  private joinLaterRound(now: number): void {
    const f = this.finality;
    const enough = roundJumpVoters(f.quorum, f.validators().length);
    const cap = f.quorumRound() + 1;
    for (const r of f.roundsSeen()) {
      if (r <= this.m.round) break;
      if (r <= cap && f.votersIn(r) >= enough) {
        this.m.round = r;
        this.m.start = now;
        return;
      }
    }
  }

  private vote(phase: VotePhase, block: string | null, now: number): Tx {
    const m = this.m;
    m.cast.set(`${m.round}/${phase}`, block);
    const tx = signVote(this.chain.genesis.hash, this.key, { height: m.height, round: m.round, phase, block: block === null ? null : hexToBytes(block) }, now);
    m.sent.push(tx);
    this.prune();
    return tx;
  }

  /**
   * Forgets what no longer matters, so the memory stays bounded however many
   * rounds a height takes: choices of rounds below the current one (rounds
   * only go up, so they are never consulted), and votes older than the
   * rounds peers keep of this validator (re-sending those does nothing).
   */
  private prune(): void {
    const m = this.m;
    for (const slot of [...m.cast.keys()]) if (Number(slot.split('/')[0]) < m.round) m.cast.delete(slot);
    const oldest = m.round - ROUNDS_RESENT + 1;
    if (oldest <= 0) return;
    const kept = m.sent.filter((tx) => (readVote(tx)?.round ?? oldest) >= oldest);
    m.sent.splice(0, m.sent.length, ...kept);
  }
}
