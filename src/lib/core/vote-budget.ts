/**
 * What one signer may make a node hold, per signer and never one pool for
 * all (issue 13, defects 2 and 3; docs/consensus.md "Limits on votes").
 * A shared pool lets one validator's flood of valid votes crowd out every
 * other validator's, and a height whose honest votes are refused never
 * becomes final. With a share each, a flood costs only its signer.
 *
 * - {@link RoundWindow}: at the height under agreement, each validator's
 *   votes are kept for its latest rounds only. An honest validator's rounds
 *   only go up, so what falls out is what no longer decides anything.
 * - {@link FutureVotes}: votes for the next few heights wait, a bounded
 *   number per signer, until their height is reached.
 */
import { type Vote } from './vote';

/** Limits that keep a validator, or a stranger, from filling memory with votes. */
export const VOTE_LIMITS = Object.freeze({
  /** Rounds above this are not rounds anyone reaches: the vote is malformed. */
  maxRound: 1_000_000,
  /**
   * A vote at the height under agreement may be at most this many rounds above one past the latest round in
   * which a quorum precommitted (where honest validators can be, rule 5), so a flood across rounds stays near them.
   */
  roundsAhead: 16,
  /** Rounds per validator whose votes are kept at the height under agreement (its latest ones). */
  roundsPerValidator: 64,
  /** Distinct choices per validator in one slot (one, unless it equivocates). */
  choicesPerSlot: 3,
  /** How many heights above the one under agreement a vote may be for (certificates recorded a little late, a node a little behind). */
  futureHeights: 8,
  /** Votes for later heights kept per signer. */
  futurePerSigner: 64,
  certificatesKept: 1024,
  evidenceKept: 1024,
});

/** The same vote: one signer, one slot, one choice (signed twice it is still one vote, whatever its time field says). */
export function sameVote(a: Vote, b: Vote): boolean {
  return a.validator === b.validator && a.height === b.height && a.round === b.round && a.phase === b.phase && a.block === b.block;
}

/** What keeping a vote in a {@link RoundWindow} takes: nothing, first dropping the validator's oldest round, or it is refused. */
export type WindowPlan = { readonly drop: number | null } | 'rounds-full';

/** Per validator, the rounds (at most `perValidator`, its latest) in which its votes are kept. */
export class RoundWindow {
  private readonly kept = new Map<string, Set<number>>();

  constructor(private readonly perValidator: number) {}

  /** What keeping `validator`'s vote in `round` takes; changes nothing (the caller may still refuse the vote). */
  plan(validator: string, round: number): WindowPlan {
    const rounds = this.kept.get(validator);
    if (!rounds || rounds.has(round) || rounds.size < this.perValidator) return { drop: null };
    const oldest = Math.min(...rounds);
    // Older than everything it keeps: what it signed later already moved past this round.
    return round < oldest ? 'rounds-full' : { drop: oldest };
  }

  /** Records that `validator` has votes in `round`, having dropped `drop` (from {@link plan}). */
  keep(validator: string, round: number, drop: number | null): void {
    let rounds = this.kept.get(validator);
    if (!rounds) this.kept.set(validator, (rounds = new Set()));
    if (drop !== null) rounds.delete(drop);
    rounds.add(round);
  }
}

/** Votes for heights above the one under agreement, a bounded number per signer. */
export class FutureVotes {
  private readonly bySigner = new Map<string, Vote[]>();

  constructor(private readonly perSigner: number) {}

  /** Keeps a vote for later: refused when it is already kept, or when its signer's share is used up. */
  add(v: Vote): 'future' | 'duplicate' | 'future-full' {
    const mine = this.bySigner.get(v.validator) ?? [];
    if (mine.some((x) => sameVote(x, v))) return 'duplicate';
    if (mine.length >= this.perSigner) return 'future-full';
    this.bySigner.set(v.validator, [...mine, v]);
    return 'future';
  }

  /** Forgets the votes for heights below `height` (decided: they can no longer count). */
  dropBelow(height: number): void {
    for (const [signer, votes] of [...this.bySigner]) {
      const left = votes.filter((v) => v.height >= height);
      if (left.length === 0) this.bySigner.delete(signer);
      else this.bySigner.set(signer, left);
    }
  }

  /**
   * Takes every kept vote out, by height, round and phase: a round's
   * precommits come before later rounds' votes, which they let in
   * (`roundsAhead`).
   */
  drain(): Vote[] {
    const all = [...this.bySigner.values()].flat();
    this.bySigner.clear();
    return all.sort((a, b) => a.height - b.height || a.round - b.round || a.phase - b.phase);
  }
}
