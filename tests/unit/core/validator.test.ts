/**
 * The honest validator (docs/consensus.md): one prevote and one precommit
 * per round, locks on a polka, precommits nil on timeout, moves to the next
 * round only when a quorum precommitted, releases a lock only for a later
 * polka, and remembers what it signed across restarts.
 */
import { describe, expect, it } from 'vitest';
import { ChainState } from '../../../src/lib/core/chain';
import { Finality } from '../../../src/lib/core/finality';
import { TEST_PARAMS } from '../../../src/lib/core/params';
import { ValidatorPolicy } from '../../../src/lib/core/validator';
import { VotePhase, readVote } from '../../../src/lib/core/vote';
import { decodeVoteMemory, encodeVoteMemory } from '../../../src/lib/core/vote-memory';
import type { Tx } from '../../../src/lib/core/tx';
import { toHex } from '../../../src/lib/core/bytes';
import { NOW, network } from './agreement-fixture';
import { ledgerRules } from '../../../src/lib/core/rules';

const TIMING = { prevote: 10, round: 20, growth: 5 };
const show = (txs: Tx[]) =>
  txs.map((t) => readVote(t)!).map((v) => `${v.phase === VotePhase.Prevote ? 'pv' : 'pc'}${v.round}:${v.block?.slice(0, 6) ?? 'nil'}`);

function setup(validators = 3) {
  const net = network(validators);
  const policy = new ValidatorPolicy(net.chain, net.finality, net.hs[0]!, TIMING);
  /** What the policy signs at `t`, counted by its own node as the runtime does. */
  const step = (t: number) => {
    const out = policy.step(NOW + t);
    for (const v of out) net.finality.add(v);
    return out;
  };
  return { ...net, policy, step };
}

describe('the honest validator', () => {
  it('waits for a candidate, prevotes its tip once, and precommits the polka', () => {
    const { grow, step, finality, prevote, chain } = setup();
    expect(step(0)).toEqual([]);
    const a = grow();
    grow(a);
    const first = step(1);
    expect(show(first)).toEqual([`pv0:${a.key.slice(0, 6)}`]);
    expect(step(2)).toEqual([]); // nothing new: no second prevote
    finality.add(prevote(1, a));
    expect(show(step(3))).toEqual([`pc0:${a.key.slice(0, 6)}`]);
    expect(chain.finalized).toBe(chain.genesis);
  });

  it('precommits nil when no polka comes in time, and moves on only after a quorum precommitted', () => {
    const { grow, step, finality, precommit } = setup();
    grow();
    step(0);
    expect(step(9)).toEqual([]);
    expect(show(step(10))).toEqual(['pc0:nil']);
    expect(step(40)).toEqual([]); // its round is over, but it is alone in it
    finality.add(precommit(1, null));
    const next = show(step(41));
    expect(next[0]).toMatch(/^pv1:/);
    expect(next).toHaveLength(1);
  });

  it('stays locked on its polka block in later rounds, and releases the lock only for a later polka', () => {
    const ctx = setup();
    const { chain, grow, step, finality, prevote, precommit } = ctx;
    const a = grow();
    step(0);
    finality.add(prevote(1, a, 0));
    step(1); // locks on a, precommits it
    // Another branch becomes heavier; round 0 ends with nil precommits from the others.
    const b = grow(chain.genesis);
    grow(grow(b));
    finality.add(precommit(1, null, 0));
    expect(chain.isActive(a)).toBe(true); // the polka outweighs work in fork choice
    const r1 = show(step(30));
    expect(r1).toEqual([`pv1:${a.key.slice(0, 6)}`]); // the lock
    // Its re-sent votes carry the polka that justifies the lock (peers that restarted may have lost it).
    const { policy } = ctx;
    const proof = policy
      .votesCast()
      .map((t) => readVote(t)!)
      .filter((v) => v.phase === VotePhase.Prevote && v.round === 0 && v.block === a.key);
    expect(new Set(proof.map((v) => v.validator)).size).toBe(2);
    // A polka for b in round 1 (a later round than the lock) releases it.
    finality.add(prevote(1, b, 1));
    finality.add(prevote(2, b, 1));
    expect(chain.isActive(b)).toBe(true);
    const after = show(step(31));
    expect(after).toEqual([`pc1:${b.key.slice(0, 6)}`]);
  });

  it('joins a later round that more validators than could all be faulty are in, just past a round a quorum precommitted in', () => {
    const { grow, step, finality, prevote, precommit } = setup();
    const a = grow();
    step(0);
    finality.add(prevote(1, null, 7));
    expect(step(1)).toEqual([]); // one validator alone pulls no one (issue 13; round-jump.test.ts)
    finality.add(precommit(1, null, 6));
    finality.add(precommit(2, null, 6));
    finality.add(prevote(2, null, 7));
    expect(show(step(2))).toEqual([`pv7:${a.key.slice(0, 6)}`]);
  });

  it('re-sends the votes behind its view (latest polka, latest quorum round), so a peer that hears only it sees the same', () => {
    // Issue 13 defect 12: the validators whose votes made a polka go offline for good; the one honest validator
    // that saw the polka followed it in fork choice, the others never heard of it, and they never agreed again.
    const { chain, genesis, grow, step, policy, finality, prevote, precommit } = setup(5);
    const a = grow();
    expect(show(step(0))).toEqual([`pv0:${a.key.slice(0, 6)}`]);
    expect(show(step(10))).toEqual(['pc0:nil']); // no polka in time: not locked
    const c = grow(chain.genesis);
    for (const v of [2, 3, 4]) finality.add(prevote(v, c, 0));
    for (const v of [3, 4]) finality.add(precommit(v, null, 0));
    expect(finality.latestPolka()).toEqual({ block: c.key, round: 0 });
    expect(chain.isActive(c)).toBe(true);
    // A peer with the same blocks, whose fork choice (most work) prefers a's branch, hears only what this validator re-sends.
    const other = new ChainState(TEST_PARAMS, genesis, NOW, { rules: ledgerRules });
    const peer = new Finality(other);
    other.approvalWeight = (k) => peer.weight(k);
    for (const b of [a, grow(a), c]) expect(other.addBlock(b.block, NOW).status).toBe('accepted');
    expect(other.tip.height).toBe(2);
    for (const tx of policy.votesCast()) peer.add(tx);
    expect(peer.latestPolka()).toEqual({ block: c.key, round: 0 });
    expect(peer.quorumRound()).toBe(0);
    expect(other.tip.key).toBe(c.key);
    // Each vote once.
    const ids = policy.votesCast().map((tx) => toHex(tx.signature));
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('is not a validator: signs nothing', () => {
    const net = network(3);
    const outsider = new ValidatorPolicy(net.chain, net.finality, net.key(), TIMING);
    net.grow();
    expect(outsider.step(NOW)).toEqual([]);
  });

  it('after a restart it remembers what it signed and never signs a conflicting vote', () => {
    const ctx = setup();
    const { chain, grow, step, policy, genesis, finality, prevote } = ctx;
    const a = grow();
    step(0);
    finality.add(prevote(1, a));
    step(1);
    // The node restarts with a chain where another block leads; the validator's memory is persisted.
    const fresh = new ChainState(TEST_PARAMS, genesis, NOW, { rules: ledgerRules });
    const ff = new Finality(fresh);
    fresh.approvalWeight = (k) => ff.weight(k);
    const b = fresh.addBlock(chain.get(a.key)!.block, NOW);
    expect(b.status).toBe('accepted');
    const again = policy.rebind(fresh, ff);
    expect(again.step(NOW + 2)).toEqual([]);
    const own = again
      .votesCast()
      .map((t) => readVote(t)!)
      .filter((v) => v.validator === toHex(ctx.hs[0]!.pub));
    expect(new Set(own.map((v) => `${v.phase}:${v.block}`))).toEqual(new Set([`1:${a.key}`, `2:${a.key}`]));
  });

  it('its memory survives the canonical encoding, lock proof included; damaged bytes are refused', () => {
    const ctx = setup();
    const a = ctx.grow();
    ctx.step(0);
    ctx.finality.add(ctx.prevote(1, a));
    ctx.step(1);
    const m = ctx.policy.memory()!;
    expect(m.locked).toEqual({ block: a.key, round: 0 });
    expect(m.lockProof).toHaveLength(2);
    const bytes = encodeVoteMemory(m);
    const back = decodeVoteMemory(bytes)!;
    expect(back).toEqual(m);
    expect(encodeVoteMemory(back)).toEqual(bytes);
    expect(decodeVoteMemory(bytes.slice(0, bytes.length - 1))).toBeNull();
    expect(decodeVoteMemory(new Uint8Array([9, 9, 9]))).toBeNull();
    const fresh = new ValidatorPolicy(ctx.chain, ctx.finality, ctx.hs[0]!, TIMING);
    fresh.restore(back);
    expect(fresh.votesCast()).toEqual(ctx.policy.votesCast());
    expect(fresh.step(NOW + 2)).toEqual([]);
  });
});
