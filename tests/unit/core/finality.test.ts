/**
 * Majority approval and finality (SPEC §5): a block approved (itself or
 * through a descendant) by more than half of the validators is final and
 * never reverted; one validator's conflicting approvals are evidence.
 */
import { describe, expect, it } from 'vitest';
import { x25519 } from '@noble/curves/ed25519.js';
import { ChainState, type BlockNode } from '../../../src/lib/core/chain';
import { blockHash } from '../../../src/lib/core/block';
import { toHex } from '../../../src/lib/core/bytes';
import { DEMO_START_TIME } from '../../../src/lib/core/demo';
import { Finality, majority } from '../../../src/lib/core/finality';
import { TEST_PARAMS } from '../../../src/lib/core/params';
import { encodePayload, type Payload } from '../../../src/lib/core/payloads';
import { Prng } from '../../../src/lib/core/prng';
import { publicKeyOf } from '../../../src/lib/core/signature';
import { signTx } from '../../../src/lib/core/sign-tx';
import { blockTemplate, genesisTemplate, mineBlock } from '../../../src/lib/core/template';
import { type Tx, TxKind } from '../../../src/lib/core/tx';

const T0 = DEMO_START_TIME;
const NOW = T0 + 1_000_000;
const prng = new Prng('finality');
const signer = () => {
  const secret = prng.bytes(32);
  return { secret, pub: publicKeyOf(secret) };
};
let nonce = 1;
const tx = (who: { secret: Uint8Array; pub: Uint8Array }, p: Payload, time = T0): Tx =>
  signTx({ kind: p.kind, nonce: nonce++, time, payload: encodePayload(p) }, who.secret, who.pub);

function network(validators: number) {
  const hs = Array.from({ length: validators }, signer);
  const found = hs.map((h, i) => tx(h, { kind: TxKind.FoundNetwork, networkName: 'f', hospitalName: `H${i}`, dataKey: x25519.getPublicKey(prng.bytes(32)) }));
  const chain = new ChainState(TEST_PARAMS, mineBlock(genesisTemplate(TEST_PARAMS, found, T0, hs[0]!.pub)), NOW);
  const grow = (parent: BlockNode, dt = 5): BlockNode => {
    const r = chain.addBlock(mineBlock(blockTemplate(chain, parent, [], parent.header.time + dt, hs[0]!.pub)), NOW);
    if (r.status !== 'accepted') throw new Error(r.status);
    return r.node;
  };
  const approve = (v: number, node: { hash: Uint8Array; height: number }) =>
    tx(hs[v]!, { kind: TxKind.Approval, block: node.hash, height: node.height });
  return { chain, hs, grow, approve, finality: new Finality(chain) };
}

describe('finality by majority approval', () => {
  it('a block is final once more than half of the validators approved it or a descendant (3 validators: 2)', () => {
    const { chain, grow, approve, finality } = network(3);
    const a1 = grow(chain.tip);
    const a2 = grow(a1);
    expect(finality.validators()).toHaveLength(3);
    expect(finality.add(approve(0, a2))).toEqual({ status: 'counted', finalized: null, reorg: null });
    expect(chain.finalized).toBe(chain.genesis);
    const r = finality.add(approve(1, a1));
    expect(r.status === 'counted' && r.finalized).toBe(a1); // a2 has one approval, a1 two
    expect(finality.add(approve(2, a2)).status).toBe('counted');
    expect(chain.finalized).toBe(a2);
  });

  it('exactly half is not a majority (4 validators: 2 do not finalise, 3 do)', () => {
    const { chain, grow, approve, finality } = network(4);
    const a1 = grow(chain.tip);
    finality.add(approve(0, a1));
    finality.add(approve(1, a1));
    expect(chain.finalized).toBe(chain.genesis);
    finality.add(approve(2, a1));
    expect(chain.finalized).toBe(a1);
    expect(majority(4)).toBe(3);
    expect(majority(5)).toBe(3);
  });

  it('a majority approving a side branch makes it final and moves the tip there; the old branch can never return', () => {
    const { chain, grow, approve, finality } = network(3);
    const g = chain.tip;
    const a1 = grow(g);
    const a2 = grow(a1);
    const b1 = grow(g, 7);
    expect(chain.tip).toBe(a2);
    finality.add(approve(1, b1));
    const r = finality.add(approve(2, b1));
    expect(r.status === 'counted' && r.finalized).toBe(b1);
    expect(chain.tip).toBe(b1);
    const late = chain.addBlock(mineBlock(blockTemplate(chain, a2, [], a2.header.time + 5, approve(0, a2).author)), NOW);
    expect(late.status === 'invalid' && late.error.code).toBe('BELOW_FINAL');
  });

  it('two approvals by one validator at one height are evidence, and the second is not counted', () => {
    const { chain, grow, approve, finality } = network(3);
    const g = chain.tip;
    const a1 = grow(g);
    const b1 = grow(g, 7);
    const first = approve(0, a1);
    const second = approve(0, b1);
    expect(finality.add(first).status).toBe('counted');
    const r = finality.add(second);
    expect(r.status).toBe('equivocation');
    expect(finality.evidence).toEqual([{ validator: expect.any(String), first, second, reason: 'same-height' }]);
    expect(finality.approvalsOf(b1.key)).toBe(0);
    expect(finality.add(first).status).toBe('duplicate');
  });

  it('approvals on two branches at different heights are evidence too', () => {
    const { chain, grow, approve, finality } = network(3);
    const g = chain.tip;
    const a1 = grow(g);
    const b1 = grow(g, 7);
    const b2 = grow(b1);
    finality.add(approve(0, a1));
    const r = finality.add(approve(0, b2));
    expect(r.status === 'equivocation' && r.evidence.reason).toBe('conflicting-branches');
  });

  it('an approval of a block not yet known waits, and counts when the block arrives', () => {
    const { chain, approve, finality, hs } = network(3);
    const a1 = mineBlock(blockTemplate(chain, chain.tip, [], chain.tip.header.time + 5, hs[0]!.pub));
    const ref = { hash: blockHash(a1), height: 1 };
    expect(finality.add(approve(0, ref)).status).toBe('waiting');
    expect(finality.add(approve(1, ref)).status).toBe('waiting');
    expect(chain.finalized).toBe(chain.genesis);
    const r = chain.addBlock(a1, NOW);
    if (r.status !== 'accepted') throw new Error(r.status);
    const counted = finality.blockArrived(r.node);
    expect(counted.map((c) => c.status)).toEqual(['counted', 'counted']);
    expect(chain.finalized).toBe(r.node);
  });

  it('refuses approvals from non-validators and malformed ones, without throwing', () => {
    const { chain, grow, finality } = network(3);
    const a1 = grow(chain.tip);
    const outsider = signer();
    expect(finality.add(tx(outsider, { kind: TxKind.Approval, block: a1.hash, height: 1 })).status).toBe('not-a-validator');
    const bad = signTx({ kind: TxKind.Approval, nonce: 1, time: T0, payload: new Uint8Array([1, 2, 3]) }, outsider.secret);
    expect(finality.add(bad).status).toBe('malformed');
  });
});

describe('the honest validator policy', () => {
  it('approves each new tip once, never a competing branch after its own, and three honest validators reach finality', async () => {
    const { ValidatorPolicy } = await import('../../../src/lib/core/validator');
    const { chain, hs, grow, finality } = network(3);
    const g = chain.tip;
    const policies = hs.map((h) => new ValidatorPolicy(chain, finality, h));
    const a1 = grow(g);
    const approvals = policies.map((p) => p.onTip(NOW));
    expect(approvals.every((t) => t !== null)).toBe(true);
    expect(policies[0]!.onTip(NOW)).toBeNull(); // the same tip again
    for (const t of approvals) finality.add(t!);
    expect(chain.finalized).toBe(a1);
    expect(finality.evidence).toEqual([]);
    // A competing branch that later becomes the tip (heavier) is not approved by a validator whose approvals are elsewhere.
    const a2 = grow(a1);
    const p0 = policies[0]!;
    expect(p0.onTip(NOW)).not.toBeNull(); // approved a2
    const b2 = grow(a1, 7);
    const b3 = grow(b2);
    expect(chain.tip === b3).toBe(true);
    expect(p0.onTip(NOW)).toBeNull();
    void a2;
  });

  it('a non-validator never approves', async () => {
    const { ValidatorPolicy } = await import('../../../src/lib/core/validator');
    const { chain, grow, finality } = network(3);
    grow(chain.tip);
    expect(new ValidatorPolicy(chain, finality, signer()).onTip(NOW)).toBeNull();
  });
});

describe('the chain carries its own evidence', () => {
  it('approvals recorded in a block count toward finality for a node that only sees blocks', () => {
    const { chain, hs, grow, approve, finality } = network(3);
    const a1 = grow(chain.tip);
    const votes = [approve(0, a1), approve(1, a1)];
    const r = chain.addBlock(mineBlock(blockTemplate(chain, a1, votes, a1.header.time + 5, hs[0]!.pub)), NOW);
    if (r.status !== 'accepted') throw new Error(r.status);
    expect(chain.finalized).toBe(chain.genesis);
    const results = finality.fromBlock(r.node);
    expect(results.map((x) => x.status)).toEqual(['counted', 'counted']);
    expect(chain.finalized).toBe(a1);
  });

  it('a block competing with a final block is kept aside as an orphan (bounded), never joins the chain', () => {
    const { chain, grow, approve, finality } = network(3);
    const g = chain.tip;
    const a1 = grow(g);
    finality.add(approve(0, a1));
    finality.add(approve(1, a1));
    expect(chain.finalized).toBe(a1);
    const rival = mineBlock(blockTemplate(chain, g, [], g.header.time + 9, approve(2, a1).author));
    const r = chain.addBlock(rival, NOW);
    expect(r.status === 'invalid' && r.error.code).toBe('BELOW_FINAL');
    expect(chain.stale.map((s) => s.key)).toEqual([toHex(blockHash(rival))]);
    chain.addBlock(rival, NOW);
    expect(chain.stale).toHaveLength(1);
    expect(chain.get(chain.stale[0]!.key)).toBeUndefined();
  });
});

describe('approval-weighted fork choice and lock release', () => {
  it('with approval weights, the branch more validators back wins over a heavier one', () => {
    const { chain, grow, approve, finality } = network(5);
    const g = chain.tip;
    const a1 = grow(g);
    const a2 = grow(a1);
    const b1 = grow(g, 7);
    expect(chain.tip).toBe(a2);
    finality.add(approve(3, b1));
    finality.add(approve(4, b1)); // 2 of 5: not final (quorum 3), but more backing than a1's 0
    expect(chain.finalized).toBe(chain.genesis);
    expect(chain.reconsider()).toBeNull(); // without weights, work decides
    chain.approvalWeight = (k) => finality.approvalsOf(k);
    const r = chain.reconsider();
    expect(r?.forkPoint).toBe(g);
    expect(chain.tip).toBe(b1);
  });

  it('a validator whose approved block lost to a final block approves again on the final branch', async () => {
    const { ValidatorPolicy } = await import('../../../src/lib/core/validator');
    const { chain, hs, grow, approve, finality } = network(3);
    const g = chain.tip;
    const a1 = grow(g);
    const p0 = new ValidatorPolicy(chain, finality, hs[0]!);
    const mine = p0.onTip(NOW);
    expect(mine).not.toBeNull(); // approved a1
    finality.add(mine!);
    const b1 = grow(g, 7);
    const b2 = grow(b1);
    expect(chain.tip).toBe(b2);
    expect(p0.onTip(NOW)).toBeNull(); // locked on a1
    finality.add(approve(1, b1));
    finality.add(approve(2, b1)); // b1 final: a1 can never be
    expect(chain.finalized).toBe(b1);
    const again = p0.onTip(NOW);
    expect(again).not.toBeNull();
    expect(finality.add(again!).status).toBe('counted');
    void a1;
  });
});
