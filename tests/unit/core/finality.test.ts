/**
 * Finality by a quorum of precommits (SPEC §5, docs/consensus.md): a quorum
 * of prevotes for one block in one round is a polka; a quorum of precommits
 * for one block in one round makes it final; one validator's two choices in
 * one slot are evidence.
 */
import { describe, expect, it } from 'vitest';
import { ChainState } from '../../../src/lib/core/chain';
import { Finality, majority, tolerated, twoThirds } from '../../../src/lib/core/finality';
import { TEST_PARAMS } from '../../../src/lib/core/params';
import { blockHash } from '../../../src/lib/core/block';
import { VotePhase, readVote, signVote } from '../../../src/lib/core/vote';
import { signTx } from '../../../src/lib/core/sign-tx';
import { TxKind } from '../../../src/lib/core/tx';
import { NOW, network } from './agreement-fixture';
import { ledgerRules } from '../../../src/lib/core/rules';

const counted = (r: { status: string }) => r.status;

describe('votes', () => {
  it('read back what was signed; nil is the zero hash; garbage is not a vote', () => {
    const { genesis, grow, prevote, precommit, hs } = network(3);
    const a = grow();
    const v = readVote(prevote(1, a, 4))!;
    expect(v).toMatchObject({ height: 1, round: 4, phase: VotePhase.Prevote, block: a.key });
    expect(readVote(precommit(2, null))!.block).toBeNull();
    const junk = signTx(blockHash(genesis), { kind: TxKind.Approval, nonce: 0, time: NOW, payload: new Uint8Array([1, 2, 3]) }, hs[0]!.secret, hs[0]!.pub);
    expect(readVote(junk)).toBeNull();
  });
});

describe('quorums', () => {
  it('majority and two thirds, and how many equivocators each tolerates', () => {
    expect([1, 2, 3, 4, 5, 7].map(majority)).toEqual([1, 2, 2, 3, 3, 4]);
    expect([1, 2, 3, 4, 5, 7].map(twoThirds)).toEqual([1, 2, 3, 3, 4, 5]);
    // Two majorities of 3 share one validator: one equivocator can make both final.
    expect(tolerated(majority, 3)).toBe(0);
    expect(tolerated(twoThirds, 4)).toBe(1);
    expect(tolerated(twoThirds, 7)).toBe(2);
  });
});

describe('finality', () => {
  it('a quorum of precommits in one round makes a block final; fewer do not', () => {
    const { chain, finality, grow, precommit } = network(3);
    const a = grow();
    grow(a);
    expect(counted(finality.add(precommit(0, a)))).toBe('counted');
    expect(chain.finalized).toBe(chain.genesis);
    const r = finality.add(precommit(1, a));
    expect(r.status === 'counted' && r.finalized).toBe(a);
    expect(chain.finalized).toBe(a);
    expect(finality.height).toBe(2);
    expect(
      finality
        .certificate(1)!
        .map((t) => readVote(t)!.validator)
        .sort(),
    ).toHaveLength(2);
  });

  it('exactly half is not a majority (4 validators: 2 do not finalise, 3 do)', () => {
    const { chain, finality, grow, precommit } = network(4);
    const a = grow();
    finality.add(precommit(0, a));
    finality.add(precommit(1, a));
    expect(chain.finalized).toBe(chain.genesis);
    finality.add(precommit(2, a));
    expect(chain.finalized).toBe(a);
  });

  it('precommits of different rounds do not add up', () => {
    const { chain, finality, grow, precommit } = network(3);
    const a = grow();
    finality.add(precommit(0, a, 0));
    finality.add(precommit(1, a, 1));
    expect(chain.finalized).toBe(chain.genesis);
  });

  it('a polka moves fork choice to its block, and weighs by the latest round', () => {
    const { chain, finality, grow, prevote } = network(3);
    const a = grow();
    const b = grow(chain.genesis);
    grow(b); // b's branch has more work
    expect(chain.isActive(b)).toBe(true);
    finality.add(prevote(0, a, 2));
    const r = finality.add(prevote(1, a, 2));
    expect(r.status === 'counted' && r.polka).toBe(true);
    expect(finality.weight(a.key)).toBe(3);
    expect(finality.latestPolka()).toEqual({ block: a.key, round: 2 });
    expect(chain.tip).toBe(a);
    // A later polka for b wins.
    finality.add(prevote(0, b, 5));
    finality.add(prevote(2, b, 5));
    expect(chain.isActive(b)).toBe(true);
  });

  it('votes of strangers, for wrong heights, and malformed ones are refused without a throw', () => {
    const { genesis, finality, grow, key, hs } = network(3);
    const a = grow();
    const stranger = key();
    expect(finality.add(signVote(blockHash(genesis), stranger, { height: 1, round: 0, phase: VotePhase.Precommit, block: a.hash }, NOW)).status).toBe(
      'not-a-validator',
    );
    // A known block named at another height.
    expect(finality.add(signVote(blockHash(genesis), hs[0]!, { height: 1, round: 0, phase: VotePhase.Prevote, block: grow(a).hash }, NOW)).status).toBe(
      'malformed',
    );
    expect(
      finality.add(signTx(blockHash(genesis), { kind: TxKind.Approval, nonce: 0, time: NOW, payload: new Uint8Array(5) }, hs[0]!.secret, hs[0]!.pub)).status,
    ).toBe('malformed');
    expect(
      finality.add(signTx(blockHash(genesis), { kind: TxKind.RegisterPatient, nonce: 0, time: NOW, payload: new Uint8Array(32) }, hs[0]!.secret, hs[0]!.pub))
        .status,
    ).toBe('malformed');
  });

  it('a commit heard before its block finalises when the block arrives', () => {
    const { finality, precommit } = network(3);
    // The block is mined on another chain state and reaches this node after its votes.
    const other = network(3);
    const a = other.grow();
    expect(counted(finality.add(precommit(0, a)))).toBe('counted');
    expect(counted(finality.add(precommit(1, a)))).toBe('counted');
    const r = finality['chain'].addBlock(a.block, NOW);
    expect(r.status).toBe('accepted');
    const [res] = finality.blockArrived(finality['chain'].get(a.key)!);
    expect(res!.status === 'counted' && res!.finalized?.key).toBe(a.key);
  });

  it('early votes wait for their height; a node learns finality from certificates recorded in blocks', () => {
    const { chain, finality, grow, precommit, genesis } = network(3);
    const a = grow();
    const b = grow(a);
    const c1 = [precommit(0, a), precommit(1, a)];
    const c2 = [precommit(0, b), precommit(2, b)];
    // Height 2's certificate first: it waits.
    expect(finality.add(c2[0]!).status).toBe('future');
    finality.add(c2[1]!);
    finality.add(c1[0]!);
    finality.add(c1[1]!);
    expect(chain.finalized).toBe(b);
    // Another node sees only blocks: the certificates are carried in a later block.
    const late = new ChainState(TEST_PARAMS, genesis, NOW, { rules: ledgerRules });
    const lf = new Finality(late);
    const carrier = grow(b, [...c1, ...c2]);
    for (const n of [a, b, carrier]) late.addBlock(n.block, NOW);
    lf.fromBlock(late.get(carrier.key)!);
    expect(late.finalized.key).toBe(b.key);
  });

  it('an equivocation is evidence, reported once, and both signed choices count', () => {
    const { chain, finality, grow, precommit } = network(3);
    const a = grow();
    const b = grow(chain.genesis);
    finality.add(precommit(2, a));
    const r = finality.add(precommit(2, b));
    expect(r.status === 'counted' && r.evidence?.validator).toBeTruthy();
    expect(finality.add(precommit(2, b)).status).toBe('duplicate');
    expect(finality.evidence).toHaveLength(1);
    finality.add(precommit(1, b));
    expect(chain.finalized).toBe(b); // {1, 2} precommitted b
  });

  it('a kept certificate is taken back after a restart only if it proves the final block', () => {
    const { chain, finality, grow, precommit, genesis } = network(3);
    const a = grow();
    finality.add(precommit(0, a));
    finality.add(precommit(2, a));
    const cert = finality.certificate(1)!;
    const again = new ChainState(TEST_PARAMS, genesis, NOW, { rules: ledgerRules });
    again.addBlock(a.block, NOW);
    again.markFinal(a.key);
    const f2 = new Finality(again);
    expect(f2.restore(1, cert.slice(0, 1))).toBe(false); // one precommit is not a quorum
    expect(f2.restore(1, [cert[0]!, precommit(1, a, 3)])).toBe(false); // two rounds
    expect(f2.restore(2, cert)).toBe(false); // not final there
    expect(f2.certificate(1)).toBeUndefined();
    expect(f2.restore(1, cert)).toBe(true);
    expect(f2.certificate(1)).toEqual(cert);
    void chain;
  });
});
