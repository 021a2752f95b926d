/**
 * Issue 13, defects 2 and 3 (docs/consensus.md "Limits on votes"): what one
 * signer can make a node hold is its own share, never one pool for all, so
 * a flood of valid votes costs only its signer; a vote refused by a budget is
 * not relayed and leaves no trace, so it counts when it comes again.
 */
import { describe, expect, it } from 'vitest';
import { BUDGET_REFUSALS, VOTE_LIMITS, relayed } from '../../../src/lib/core/finality';
import { blockHash } from '../../../src/lib/core/block';
import { VotePhase, signVote } from '../../../src/lib/core/vote';
import { NOW, network } from './agreement-fixture';

const LAST_HEIGHT = 0xffff_ffff;
const ROUNDS = 2100;
/** Thousands of signatures take a few seconds. */
const SIGNING = 60_000;

describe('a validator flooding votes at the height under agreement (defect 2)', () => {
  it(
    'thousands of nil votes across rounds from one validator: honest votes still count and the height becomes final',
    () => {
      const { chain, finality, grow, prevote, precommit } = network(3);
      const a = grow();
      const flood = [];
      // More than the 4 096 votes one pool per height used to hold for everyone.
      for (let round = 0; round < ROUNDS; round++) for (const vote of [prevote, precommit]) flood.push(finality.add(vote(2, null, round)));
      const kept = finality.roundsSeen().length;
      const first = finality.add(precommit(0, a));
      expect(first.status).toBe('counted');
      const r = finality.add(precommit(1, a));
      expect(r.status === 'counted' && r.finalized).toBe(a);
      expect(chain.finalized).toBe(a);
      // Only its latest rounds were kept, and only the rounds near where a quorum has been were passed on.
      expect(kept).toBe(VOTE_LIMITS.roundsPerValidator);
      expect(flood.filter(relayed)).toHaveLength(2 * (VOTE_LIMITS.roundsAhead + 1));
      expect(flood.filter((x) => x.status === 'counted' && x.far)).toHaveLength(2 * ROUNDS - 2 * (VOTE_LIMITS.roundsAhead + 1));
      expect(relayed(first)).toBe(true);
    },
    SIGNING,
  );

  it('a vote older than its signer’s latest rounds is refused as rounds-full, not relayed, and others are unaffected', () => {
    const { finality, grow, prevote, precommit } = network(3);
    const a = grow();
    // A quorum (validators 0 and 1) precommits nil in rounds 0 to 40.
    for (let round = 0; round <= 40; round++) {
      finality.add(precommit(0, null, round));
      finality.add(precommit(1, null, round));
    }
    expect(finality.quorumRound()).toBe(40);
    // Validator 2 votes in rounds 0 to 99: it keeps its latest 64 (36 to 99).
    for (let round = 0; round < 100; round++) expect(finality.add(prevote(2, null, round)).status).toBe('counted');
    const old = finality.add(prevote(2, a, 10));
    expect(old.status).toBe('rounds-full');
    expect(BUDGET_REFUSALS.has(old.status)).toBe(true);
    expect(relayed(old)).toBe(false);
    // The others' votes in the rounds it dropped stay.
    expect(finality.votersIn(10)).toBe(2);
    expect(finality.votersIn(40)).toBe(3);
    // Validator 0's own vote in an early round still counts: its share is its own.
    expect(finality.add(prevote(0, a, 10)).status).toBe('counted');
  });

  it('a fourth choice in one slot is refused as slot-full, and not relayed', () => {
    const { genesis, finality, hs, prng } = network(3);
    const phantom = () => signVote(blockHash(genesis), hs[2]!, { height: 1, round: 0, phase: VotePhase.Prevote, block: prng.bytes(32) }, NOW);
    const statuses = [0, 1, 2].map(() => finality.add(phantom()).status);
    expect(statuses).toEqual(['counted', 'counted', 'counted']);
    const fourth = finality.add(phantom());
    expect(fourth.status).toBe('slot-full');
    expect(relayed(fourth)).toBe(false);
  });
});

describe('votes for later heights (defect 3)', () => {
  it(
    "a stranger's far-future votes do not block an honest validator's next-height votes",
    () => {
      const { genesis, chain, finality, grow, key, precommit } = network(3);
      const a = grow();
      const b = grow(a);
      const stranger = key();
      const statuses = new Set<string>();
      // More than the 4 096 future votes one pool used to hold, for the last height a vote can name; some for the next height.
      for (let round = 0; round < 4200; round++) {
        const height = round % 50 === 0 ? 2 : LAST_HEIGHT;
        statuses.add(finality.add(signVote(blockHash(genesis), stranger, { height, round, phase: VotePhase.Precommit, block: null }, NOW)).status);
      }
      // The honest validators' precommits for height 2 wait, then count once height 1 is final.
      expect(finality.add(precommit(0, b)).status).toBe('future');
      expect(finality.add(precommit(1, b)).status).toBe('future');
      finality.add(precommit(0, a));
      finality.add(precommit(1, a));
      expect(chain.finalized).toBe(b);
      // Not one of the stranger's votes was kept: too far ahead, or not a validator's.
      expect([...statuses].sort()).toEqual(['height-too-far', 'not-a-validator']);
    },
    SIGNING,
  );

  it('how far ahead a vote may be: futureHeights above the height under agreement, and not one more', () => {
    const { genesis, finality, hs } = network(3);
    const at = (height: number) => signVote(blockHash(genesis), hs[1]!, { height, round: 0, phase: VotePhase.Prevote, block: null }, NOW);
    expect(finality.height).toBe(1);
    expect(finality.add(at(1 + VOTE_LIMITS.futureHeights)).status).toBe('future');
    const far = finality.add(at(2 + VOTE_LIMITS.futureHeights));
    expect(far.status).toBe('height-too-far');
    expect(relayed(far)).toBe(false);
  });

  it('a validator fills only its own share of the buffer; the same vote twice is one; a refused vote counts when it comes again', () => {
    const { chain, finality, grow, precommit, vote } = network(3);
    const a = grow();
    const b = grow(a);
    const statuses: string[] = [];
    for (let round = 0; round < 200; round++) statuses.push(finality.add(vote(2, VotePhase.Prevote, null, round, 2)).status);
    expect(statuses.filter((s) => s === 'future')).toHaveLength(VOTE_LIMITS.futurePerSigner);
    expect(statuses.filter((s) => s === 'future-full')).toHaveLength(200 - VOTE_LIMITS.futurePerSigner);
    const refused = vote(2, VotePhase.Precommit, b, 0, 2);
    expect(finality.add(refused).status).toBe('future-full');
    // The others' shares are untouched.
    const mine = precommit(0, b);
    expect(finality.add(mine).status).toBe('future');
    expect(finality.add(mine).status).toBe('duplicate');
    finality.add(precommit(0, a));
    finality.add(precommit(1, a));
    expect(chain.finalized).toBe(a);
    // Height 2 is now under agreement: the precommit refused before was not remembered, and completes the quorum.
    const r = finality.add(refused);
    expect(r.status === 'counted' && r.finalized).toBe(b);
  });
});
