/**
 * Approval by a quorum of the hospitals, and finality (paper §III
 * "agreement"; SPEC §5; the rules and the argument are in docs/consensus.md).
 *
 * Agreement runs height by height above the last final block F: at height
 * F.height + 1 the validators (the admitted hospitals after F) vote in rounds.
 * In each round a validator signs at most one prevote and one precommit (a
 * {@link Vote}). A quorum of prevotes for one block in one round is a *polka*:
 * validators that see it lock on the block and precommit it. A quorum of
 * precommits for one block in one round makes the block final: the chain then
 * never reorganises below it ({@link ChainState.markFinal}). Those precommits
 * are the block's commit certificate, recorded in a later block, so a node
 * that syncs late finds finality in the chain itself ({@link Finality.fromBlock}).
 *
 * This class counts votes for every node, validator or not. It never throws
 * on peers' data: a vote that is malformed, from a non-validator, or about
 * a height already decided is reported and ignored. What a signer can make
 * it hold is bounded per signer ({@link VOTE_LIMITS}, `vote-budget.ts`): one
 * validator's flood never crowds out another's votes. Two votes of one
 * validator in one slot (height, round, phase) for different choices are
 * {@link Evidence}; both are counted, as any signed vote is, so nodes that
 * heard the same signatures agree on every tally.
 *
 * The quorum is a parameter: a network's genesis records its founders'
 * choice (quorum-rule.ts), two thirds by default (SPEC §5), which tolerates
 * equivocation by fewer than a third; the paper's majority is safe only while
 * no validator equivocates (docs/consensus.md, "The quorum"). The
 * constructor's default stays the majority for the simulator's and the
 * tests' own wiring; the node passes the genesis rule.
 */
import type { BlockNode, ChainState, Reorg } from './chain';
import { type Tx, TxKind } from './tx';
import { type Vote, VotePhase, readVote } from './vote';
import { FutureVotes, RoundWindow, VOTE_LIMITS } from './vote-budget';

export { VOTE_LIMITS };

/** Two signed votes by one validator that no honest validator signs together. */
export interface Evidence {
  readonly validator: string;
  readonly first: Vote;
  readonly second: Vote;
}

export type VoteResult =
  | {
      readonly status: 'counted';
      readonly finalized: BlockNode | null;
      readonly reorg: Reorg | null;
      /** Whether this vote completed a polka (fork choice may have moved). */
      readonly polka: boolean;
      /** Set when this vote was its validator's second choice in one slot. */
      readonly evidence: Evidence | null;
      /**
       * Its round is more than VOTE_LIMITS.roundsAhead above one past the latest round a quorum precommitted in:
       * no honest validator is there yet as far as this node knows. Counted (it may belong to a certificate whose
       * earlier rounds this node never saw) but not passed on, so a flood across rounds goes no further than its signer sends it.
       */
      readonly far: boolean;
    }
  | { readonly status: 'future' } // for a height not reached yet: kept (bounded) until it is
  | { readonly status: VoteRefusal };

/** Why a vote was not counted nor kept: one code per rule. */
export type VoteRefusal =
  | 'duplicate' // already counted or kept (the same signer, slot and choice)
  | 'stale' // for a height already decided
  | 'not-a-validator' // its signer is not a validator at the height under agreement (also for a later height)
  | 'malformed' // not a vote, a round above VOTE_LIMITS.maxRound, or a known block named at another height
  | 'slot-full' // its signer's choicesPerSlot distinct choices in this slot are already kept
  | 'rounds-full' // its signer's votes are kept for roundsPerValidator later rounds already
  | 'height-too-far' // more than futureHeights above the height under agreement
  | 'future-full'; // its signer's futurePerSigner votes for later heights are already kept

/**
 * Refusals by a budget or a horizon: the vote may be valid and count later
 * (here, once the others caught up, or at another node), so it must be
 * neither relayed nor remembered as seen.
 */
export const BUDGET_REFUSALS: ReadonlySet<VoteResult['status']> = new Set(['slot-full', 'rounds-full', 'height-too-far', 'future-full']);

/** Whether a vote is passed on to peers: one this node keeps for its height, or counted and not far above the rounds a quorum reached. */
export const relayed = (r: VoteResult): boolean => r.status === 'future' || (r.status === 'counted' && !r.far);

type Counted = Extract<VoteResult, { status: 'counted' }>;

/** More than half of `n` (SPEC §5). */
export const majority = (n: number) => Math.floor(n / 2) + 1;
/** More than two thirds of `n`: any two quorums share more than a third of the validators. */
export const twoThirds = (n: number) => Math.floor((2 * n) / 3) + 1;
/** How many equivocating validators a quorum function tolerates for `n` validators: any two quorums share f + 1. */
export const tolerated = (quorum: (n: number) => number, n: number) => Math.max(0, 2 * quorum(n) - n - 1);

/**
 * Distinct validators that must vote in a later round before another joins it
 * (rule 5): more than could all be faulty, so at least one of them is honest
 * and got there by the rules. Faulty here is the most of: the equivocators the
 * quorum tolerates, the validators that can be missing while the rest still
 * make a quorum (n − q), and a third (f of n = 3f + 1). One validator alone can
 * never pull the others into a round where a timeout is days long.
 */
export const roundJumpVoters = (quorum: (n: number) => number, n: number) => Math.max(tolerated(quorum, n), n - quorum(n), Math.floor(n / 3)) + 1;

interface Round {
  /** Validator → the distinct choices it signed in this slot (more than one only when it equivocated). */
  readonly prevotes: Map<string, Vote[]>;
  readonly precommits: Map<string, Vote[]>;
}

export class Finality {
  /** Votes at the height under agreement, by round. */
  private rounds = new Map<number, Round>();
  /** Per validator, the rounds its votes are kept for at this height. */
  private window = new RoundWindow(VOTE_LIMITS.roundsPerValidator);
  /** The latest round at this height in which a quorum precommitted (−1: none yet). */
  private quorumAt = -1;
  /** The height the vote state above belongs to. */
  private at = -1;
  /** Round → the block that got a polka in it, at the height under agreement. */
  private polkas = new Map<number, string>();
  /** Votes for heights above the one under agreement. */
  private future = new FutureVotes(VOTE_LIMITS.futurePerSigner);
  /** A commit whose block has not arrived yet. */
  private awaiting: { block: string; votes: Vote[] } | null = null;
  /** Final height → the precommits that decided it (its commit certificate). */
  private readonly certs = new Map<number, Tx[]>();
  readonly evidence: Evidence[] = [];

  constructor(
    private readonly chain: ChainState,
    readonly quorum: (validators: number) => number = majority,
  ) {}

  /** The height under agreement: one above the last final block. */
  get height(): number {
    return this.chain.finalized.height + 1;
  }

  /** The validators voting at the height under agreement: the admitted hospitals after the last final block. */
  validators(): readonly string[] {
    return this.chain.validatorsAt(this.chain.finalized.key) ?? [];
  }

  /** Votes needed for a polka or a commit. */
  need(): number {
    return this.quorum(this.validators().length);
  }

  /** Counts a vote (an Approval transaction whose signature the caller has checked). Never throws on bad input. */
  add(tx: Tx): VoteResult {
    this.follow();
    const v = readVote(tx);
    if (!v || v.round > VOTE_LIMITS.maxRound) return { status: 'malformed' };
    if (v.height < this.height) return { status: 'stale' };
    if (v.height > this.height) return this.early(v);
    return this.count(v);
  }

  /**
   * A vote for a later height waits, if it is near (a node slightly behind, a
   * certificate recorded late) and its signer is a validator now: a stranger
   * or a far height would let anyone fill the buffer that honest votes need.
   */
  private early(v: Vote): VoteResult {
    if (v.height > this.height + VOTE_LIMITS.futureHeights) return { status: 'height-too-far' };
    if (!this.validators().includes(v.validator)) return { status: 'not-a-validator' };
    return { status: this.future.add(v) };
  }

  /**
   * Counts the votes recorded in a block (signatures checked with the block):
   * the commit certificates of earlier heights, so finality can be learnt
   * from the chain alone.
   */
  fromBlock(node: BlockNode): VoteResult[] {
    return node.block.txs.filter((t) => t.kind === TxKind.Approval).map((t) => this.add(t));
  }

  /** Finalises a block that a quorum had precommitted before it arrived (call when a block is accepted). */
  blockArrived(node: BlockNode): VoteResult[] {
    this.follow();
    if (this.awaiting?.block !== node.key) return [];
    if (node.height !== this.height || node.parent !== this.chain.finalized) {
      // The votes named a hash at the wrong height: a quorum never signs that, so nothing is decided.
      this.awaiting = null;
      return [{ status: 'malformed' }];
    }
    return [this.commit(node.key)];
  }

  /** The block that got a polka in `round` at the height under agreement. */
  polka(round: number): string | null {
    this.follow();
    return this.polkas.get(round) ?? null;
  }

  /** The polka of the latest round at the height under agreement. */
  latestPolka(): { readonly block: string; readonly round: number } | null {
    this.follow();
    let best: { block: string; round: number } | null = null;
    for (const [round, block] of this.polkas) if (!best || round > best.round) best = { block, round };
    return best;
  }

  /** Distinct validators that voted in `round` at the height under agreement. */
  votersIn(round: number): number {
    this.follow();
    const r = this.rounds.get(round);
    if (!r) return 0;
    return new Set([...r.prevotes.keys(), ...r.precommits.keys()]).size;
  }

  /**
   * Takes back a commit certificate this node kept (persisted with its final
   * mark), so after a restart it can still hand it to peers that are behind.
   * Checked before it is kept: precommits of one round, for the active block
   * at that height, from a quorum of the validators of its parent. Returns
   * whether it was kept.
   */
  restore(height: number, txs: readonly Tx[]): boolean {
    const block = this.chain.atHeight(height);
    if (!block || !block.parent || height > this.chain.finalized.height) return false;
    const voters = new Set(this.chain.validatorsAt(block.parent.key) ?? []);
    const votes = txs.map(readVote);
    const round = votes[0]?.round;
    const signers = new Set<string>();
    for (const v of votes) {
      if (!v || v.phase !== VotePhase.Precommit || v.height !== height || v.round !== round || v.block !== block.key || !voters.has(v.validator)) return false;
      signers.add(v.validator);
    }
    if (signers.size < this.quorum(voters.size)) return false;
    this.certs.set(height, [...txs]);
    return true;
  }

  /** The prevotes for `block` in `round` at the height under agreement (a polka's proof, to pass on). */
  prevotesFor(round: number, block: string): Tx[] {
    this.follow();
    const r = this.rounds.get(round);
    if (!r) return [];
    return [...r.prevotes.values()].flatMap((vs) => vs.filter((v) => v.block === block).map((v) => v.tx));
  }

  /**
   * The votes behind this node's view of the height under agreement: the
   * prevotes of the latest polka (the block fork choice leans to, and what
   * releases a lock: rules 4 and 6) and the precommits of the latest round a
   * quorum precommitted in (how far rounds may go: rule 5). An honest
   * validator re-sends them with its own votes: their signers may be offline
   * for good, and a polka or quorum only some honest validators saw splits
   * them for ever (issue 13 defect 12, docs/consensus.md "Re-sending").
   */
  justification(): Tx[] {
    this.follow();
    const polka = this.latestPolka();
    const out = polka ? this.prevotesFor(polka.round, polka.block) : [];
    for (const votes of this.rounds.get(this.quorumAt)?.precommits.values() ?? []) for (const v of votes) out.push(v.tx);
    return out;
  }

  /** Distinct validators that precommitted (a block or nil) in `round` at the height under agreement. */
  precommittersIn(round: number): number {
    this.follow();
    return this.rounds.get(round)?.precommits.size ?? 0;
  }

  /**
   * The latest round at the height under agreement in which a quorum
   * precommitted (−1 when none): honest validators are at most one round
   * above it (rule 5), so no vote or round jump needs to go much further.
   */
  quorumRound(): number {
    this.follow();
    return this.quorumAt;
  }

  /** Rounds with votes at the height under agreement, highest first. */
  roundsSeen(): number[] {
    this.follow();
    return [...this.rounds.keys()].sort((a, b) => b - a);
  }

  /**
   * Fork-choice weight (ChainState.approvalWeight): a candidate at the height
   * under agreement weighs one more than the latest round in which it got a
   * polka, so nodes follow the block the validators are converging on.
   */
  weight(key: string): number {
    this.follow();
    let w = 0;
    for (const [round, block] of this.polkas) if (block === key && round + 1 > w) w = round + 1;
    return w;
  }

  /**
   * The block a quorum precommitted at the height under agreement that this
   * node has not received yet (the commit waits for it): the mesh fetches its
   * branch whatever its work (core/net/header-sync.ts).
   */
  awaitedBlock(): string | null {
    this.follow();
    return this.awaiting?.block ?? null;
  }

  /** The commit certificate of a final height (the precommits that decided it), if this node saw it. */
  certificate(height: number): readonly Tx[] | undefined {
    return this.certs.get(height);
  }

  /** Starts afresh at a new height when the final block moved (here or through the chain, e.g. on restart). */
  private follow(): void {
    if (this.at === this.height) return;
    this.at = this.height;
    this.rounds = new Map();
    this.polkas = new Map();
    this.window = new RoundWindow(VOTE_LIMITS.roundsPerValidator);
    this.quorumAt = -1;
    this.awaiting = null;
    this.future.dropBelow(this.at);
  }

  private count(v: Vote): VoteResult {
    if (!this.validators().includes(v.validator)) return { status: 'not-a-validator' };
    // A vote naming a known block must name it at its height, as a child of the final block.
    const node = v.block === null ? undefined : this.chain.get(v.block);
    if (node && (node.height !== v.height || node.parent !== this.chain.finalized)) return { status: 'malformed' };
    // Rounds far above where a quorum has been are rounds no honest validator is in yet: a flood across rounds stops here.
    const far = v.round > this.quorumAt + 1 + VOTE_LIMITS.roundsAhead;
    const mine = this.slotOf(v.round, v.phase)?.get(v.validator) ?? [];
    if (mine.some((x) => x.block === v.block)) return { status: 'duplicate' };
    if (mine.length >= VOTE_LIMITS.choicesPerSlot) return { status: 'slot-full' };
    const plan = this.window.plan(v.validator, v.round);
    if (plan === 'rounds-full') return { status: 'rounds-full' };
    if (plan.drop !== null) this.forget(v.validator, plan.drop);
    this.window.keep(v.validator, v.round, plan.drop);
    let round = this.rounds.get(v.round);
    if (!round) this.rounds.set(v.round, (round = { prevotes: new Map(), precommits: new Map() }));
    const slot = v.phase === VotePhase.Prevote ? round.prevotes : round.precommits;
    slot.set(v.validator, [...mine, v]);
    if (v.phase === VotePhase.Precommit && v.round > this.quorumAt && slot.size >= this.need()) this.quorumAt = v.round;
    // A second choice in one slot is an equivocation: kept as evidence, and counted like any signed vote,
    // so every node that has heard the same signatures sees the same tallies (the quorum bound covers it).
    let evidence: Evidence | null = null;
    if (mine.length > 0) {
      this.evidence.push((evidence = { validator: v.validator, first: mine[0]!, second: v }));
      // Kept for reporting, bounded (the chain holds the record): the oldest go first.
      if (this.evidence.length > VOTE_LIMITS.evidenceKept) this.evidence.shift();
    }
    const quiet = { status: 'counted', finalized: null, reorg: null, polka: false, evidence, far } as const;
    if (v.block === null) return quiet;
    const same = [...slot.values()].flatMap((votes) => votes.filter((x) => x.block === v.block));
    if (same.length < this.need()) return quiet;
    if (v.phase === VotePhase.Prevote) {
      if (this.polkas.has(v.round)) return quiet;
      this.polkas.set(v.round, v.block);
      // Fork choice now leans to the polka's block: move there if it is valid.
      return { ...quiet, reorg: this.chain.reconsider(), polka: true };
    }
    if (this.awaiting) return quiet;
    this.awaiting = { block: v.block, votes: same };
    return node ? { ...this.commit(v.block), evidence, far } : quiet;
  }

  /** The votes in one slot (round, phase) at the height under agreement, by validator; undefined when the round has none. */
  private slotOf(round: number, phase: VotePhase): Map<string, Vote[]> | undefined {
    const r = this.rounds.get(round);
    return r && (phase === VotePhase.Prevote ? r.prevotes : r.precommits);
  }

  /** Drops a validator's votes in one round (its window moved on); a polka already seen there stays seen. */
  private forget(validator: string, round: number): void {
    const r = this.rounds.get(round);
    if (!r) return;
    r.prevotes.delete(validator);
    r.precommits.delete(validator);
    if (r.prevotes.size === 0 && r.precommits.size === 0) this.rounds.delete(round);
  }

  /** A quorum precommitted `key`: make it final, keep the certificate, move on to the next height. */
  private commit(key: string): Counted {
    const votes = this.awaiting!.votes;
    const reorg = this.chain.markFinal(key);
    if (this.chain.finalized.key !== key) {
      // Our ledger refused the block's branch: a quorum committed a block this node finds invalid.
      return { status: 'counted', finalized: null, reorg, polka: false, evidence: null, far: false };
    }
    const finalized = this.chain.finalized;
    this.certs.set(
      finalized.height,
      votes.map((x) => x.tx),
    );
    if (this.certs.size > VOTE_LIMITS.certificatesKept) this.certs.delete(Math.min(...this.certs.keys()));
    this.follow();
    const later = this.future.drain();
    let result: Counted = { status: 'counted', finalized, reorg, polka: false, evidence: null, far: false };
    // Votes that were early now count at their height (or wait again for a later one).
    for (const v of later) {
      const r = this.add(v.tx);
      if (r.status === 'counted' && r.finalized) result = { ...r, reorg: r.reorg ?? reorg };
    }
    return result;
  }
}
