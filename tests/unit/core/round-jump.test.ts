/**
 * Issue 13, defect 4 (docs/consensus.md "Limits on rounds"): joining a later
 * round needs votes there from more distinct validators than could all be
 * faulty, never goes beyond one round above the latest round a quorum
 * precommitted in, and timeouts stop growing after TIMEOUT_GROWTH_ROUNDS.
 */
import { describe, expect, it } from 'vitest';
import { VOTE_LIMITS, majority, roundJumpVoters, twoThirds } from '../../../src/lib/core/finality';
import { TIMEOUT_GROWTH_ROUNDS, ValidatorPolicy } from '../../../src/lib/core/validator';
import { VotePhase, readVote } from '../../../src/lib/core/vote';
import { decodeVoteMemory, encodeVoteMemory } from '../../../src/lib/core/vote-memory';
import type { Tx } from '../../../src/lib/core/tx';
import { NOW, network } from './agreement-fixture';

const TIMING = { prevote: 10, round: 20, growth: 5 };
const show = (txs: Tx[]) =>
  txs.map((t) => readVote(t)!).map((v) => `${v.phase === VotePhase.Prevote ? 'pv' : 'pc'}${v.round}:${v.block?.slice(0, 6) ?? 'nil'}`);

function setup(validators = 3, quorum = majority) {
  const net = network(validators, 'round-jump', quorum);
  const policy = new ValidatorPolicy(net.chain, net.finality, net.hs[0]!, TIMING);
  const step = (t: number) => {
    const out = policy.step(NOW + t);
    for (const v of out) net.finality.add(v);
    return out;
  };
  return { ...net, policy, step };
}

describe('joining a later round', () => {
  it('needs more validators than could all be faulty: a third, the quorum’s complement, the tolerated equivocators', () => {
    expect([1, 2, 3, 4, 5, 7].map((n) => roundJumpVoters(majority, n))).toEqual([1, 2, 2, 2, 3, 4]);
    expect([1, 2, 3, 4, 5, 7].map((n) => roundJumpVoters(twoThirds, n))).toEqual([1, 2, 3, 2, 3, 3]);
    // Never above the quorum: the honest validators of a quorum can always pull a straggler.
    for (const q of [majority, twoThirds]) for (let n = 1; n <= 40; n++) expect(roundJumpVoters(q, n)).toBeLessThanOrEqual(q(n));
  });

  it("one validator's high-round votes do not move an honest validator's round (majority of 3)", () => {
    const { grow, step, policy, finality, prevote, precommit } = setup();
    const a = grow();
    expect(show(step(0))).toEqual([`pv0:${a.key.slice(0, 6)}`]);
    for (const round of [7, 16, 500, VOTE_LIMITS.maxRound]) {
      finality.add(prevote(2, a, round));
      finality.add(precommit(2, null, round));
    }
    expect(step(1)).toEqual([]);
    expect(policy.round).toBe(0);
  });

  it('with two thirds of 4, one validator in a later round is not enough, two are (a quorum precommitted the round before)', () => {
    const { grow, step, policy, finality, prevote, precommit } = setup(4, twoThirds);
    const a = grow();
    step(0);
    for (const v of [1, 2, 3]) finality.add(precommit(v, null, 5));
    finality.add(prevote(3, null, 6));
    // Round 5, where a quorum is, yes; round 6, where one validator is, no.
    expect(show(step(1))).toEqual([`pv5:${a.key.slice(0, 6)}`]);
    expect(policy.round).toBe(5);
    finality.add(prevote(2, null, 6));
    expect(show(step(2))).toEqual([`pv6:${a.key.slice(0, 6)}`]);
  });

  it('is capped at one round above the latest round a quorum precommitted in, however many vote there', () => {
    const { grow, step, policy, finality, prevote, precommit } = setup();
    const a = grow();
    step(0);
    finality.add(prevote(1, null, 10));
    finality.add(prevote(2, null, 10));
    expect(step(1)).toEqual([]);
    expect(policy.round).toBe(0);
    // A quorum precommitted in round 9: honest validators can be in round 10, so it goes there.
    finality.add(precommit(1, null, 9));
    finality.add(precommit(2, null, 9));
    expect(show(step(2))).toEqual([`pv10:${a.key.slice(0, 6)}`]);
  });
});

describe('round timing and memory over many rounds', () => {
  it(`timeouts stop growing after ${TIMEOUT_GROWTH_ROUNDS} rounds`, () => {
    const { grow, step, policy, finality, prevote, precommit } = setup();
    const a = grow();
    // The others really went through 100 rounds: a quorum precommitted nil in each.
    for (let round = 0; round < 100; round++) {
      finality.add(precommit(1, null, round));
      finality.add(precommit(2, null, round));
    }
    finality.add(prevote(1, null, 100));
    finality.add(prevote(2, null, 100));
    expect(show(step(0))).toEqual([`pv100:${a.key.slice(0, 6)}`]);
    expect(policy.round).toBe(100);
    const cap = TIMING.prevote + TIMING.growth * TIMEOUT_GROWTH_ROUNDS;
    expect(step(cap - 1)).toEqual([]);
    expect(show(step(cap))).toEqual(['pc100:nil']);
  });

  it('keeps the votes of its latest rounds to re-send, as peers keep of it, and its memory still encodes', () => {
    const { grow, step, policy, finality, precommit } = setup();
    grow();
    // The others go through 90 rounds (a quorum precommits nil in each); it joins each in turn and prevotes there.
    const last = 89;
    for (let round = 0; round <= last; round++) {
      finality.add(precommit(1, null, round));
      finality.add(precommit(2, null, round));
      step(500 * (round + 1));
    }
    expect(policy.round).toBe(last);
    const rounds = policy.votesCast().map((tx) => readVote(tx)!.round);
    expect(Math.min(...rounds)).toBe(last - VOTE_LIMITS.roundsPerValidator + 1);
    const m = policy.memory()!;
    expect([...m.cast.keys()]).toEqual([`${last}/1`]);
    expect(decodeVoteMemory(encodeVoteMemory(m))).toEqual(m);
  });
});
