/**
 * Equivocation evidence on the chain (issue 4, docs/consensus.md): two
 * conflicting votes of one admitted hospital, each with its own signature,
 * recorded once per validator and height; anything else is refused with a
 * code, so no one can frame a hospital.
 */
import { describe, expect, it } from 'vitest';
import { type BlockNode } from '../../../src/lib/core/chain';
import { bytesEqual } from '../../../src/lib/core/bytes';
import { evidenceSlot } from '../../../src/lib/core/ledger-rules';
import { encodePayload } from '../../../src/lib/core/payloads';
import { signTx } from '../../../src/lib/core/sign-tx';
import { type Tx, TxKind, encodeTx } from '../../../src/lib/core/tx';
import { VotePhase, evidencePayload, readVote, signVote } from '../../../src/lib/core/vote';
import { blockTemplate, mineBlock } from '../../../src/lib/core/template';
import { NOW, T0, network } from './agreement-fixture';

function world() {
  const net = network(3, 'evidence');
  const a = net.grow();
  const b = net.grow(net.chain.genesis);
  const reporter = net.key();
  const report = (payload: Uint8Array, nonce = 1): Tx =>
    signTx(net.chain.genesis.hash, { kind: TxKind.Evidence, nonce, time: T0, payload }, reporter.secret, reporter.pub);
  /** The code of the block carrying `txs` on the tip, or OK. */
  const mine = (txs: Tx[], parent: BlockNode = net.chain.tip): string => {
    const r = net.chain.addBlock(mineBlock(blockTemplate(net.chain, parent, txs, parent.header.time + 5, net.hs[0]!.pub)), NOW);
    return r.status === 'invalid' ? r.error.code : r.status === 'accepted' ? 'OK' : r.status;
  };
  return { ...net, a, b, report, mine };
}

describe('evidence of equivocation', () => {
  it('two conflicting precommits of one hospital are recorded once per height', () => {
    const w = world();
    const first = readVote(w.precommit(2, w.a))!;
    const second = readVote(w.precommit(2, w.b))!;
    const tip = w.chain.tip;
    expect(w.mine([w.report(evidencePayload(first, second))], tip)).toBe('OK');
    expect(w.chain.ledger!.evidence.has(evidenceSlot(first.validator, 1))).toBe(true);
    // The same equivocation again, or another round of it at that height, adds nothing.
    const again = readVote(w.vote(2, VotePhase.Prevote, w.a, 3))!;
    const again2 = readVote(w.vote(2, VotePhase.Prevote, w.b, 3))!;
    expect(w.mine([w.report(evidencePayload(again, again2), 2)])).toBe('ALREADY_DONE');
  });

  it("is refused when the votes do not conflict, are forged, or are not a hospital's", () => {
    const w = world();
    const one = readVote(w.precommit(1, w.a))!;
    const same = readVote(w.precommit(1, w.a, 1))!; // another round: not one slot
    expect(w.mine([w.report(evidencePayload(one, same))])).toBe('BAD_EVIDENCE');
    // A second vote "by" validator 1 that someone else signed.
    const forgedTx = signVote(w.chain.genesis.hash, w.hs[0]!, { height: 1, round: 0, phase: VotePhase.Precommit, block: w.b.hash }, T0);
    const forged = { ...readVote(forgedTx)!, tx: { ...forgedTx, author: w.hs[1]!.pub } };
    expect(bytesEqual(forged.tx.author, one.tx.author)).toBe(true);
    expect(w.mine([w.report(evidencePayload(one, { ...forged, validator: one.validator }))])).toBe('BAD_EVIDENCE');
    // Votes of someone who is not an admitted hospital.
    const stranger = w.key();
    const s1 = readVote(signVote(w.chain.genesis.hash, stranger, { height: 1, round: 0, phase: VotePhase.Prevote, block: w.a.hash }, T0))!;
    const s2 = readVote(signVote(w.chain.genesis.hash, stranger, { height: 1, round: 0, phase: VotePhase.Prevote, block: w.b.hash }, T0))!;
    expect(w.mine([w.report(evidencePayload(s1, s2))])).toBe('BAD_EVIDENCE');
    // Bytes that are not votes at all.
    const junk = encodePayload({ kind: TxKind.Evidence, first: new Uint8Array(10), second: encodeTx(s1.tx) });
    expect(w.mine([w.report(junk)])).toBe('BAD_EVIDENCE');
    // And the honest case on the same chain is accepted: the refusals were about the evidence.
    const other = readVote(w.precommit(1, w.b))!;
    expect(w.mine([w.report(evidencePayload(one, other), 9)])).toBe('OK');
  });
});
