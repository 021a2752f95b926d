/**
 * Which quorum a network decides with (SPEC §5, decided): more than two
 * thirds of the hospitals by default, which stays safe with fewer than a
 * third misbehaving even while messages are delayed; or the paper's bare
 * majority, a founding choice that finalises with fewer hospitals online but
 * is safe only if no hospital ever signs two conflicting approvals. The
 * choice is part of the genesis block (every founding transaction states it,
 * and they must agree: BAD_GENESIS), so every node of a network counts the
 * same way and nobody can change it later. docs/consensus.md, "The quorum".
 */
import type { Block } from './block';
import { majority, twoThirds } from './finality';
import { DecodeError } from './errors';
import { QuorumRule, decodePayload } from './payloads';
import { type Tx, TxKind } from './tx';

/** Votes needed out of `n` validators under `rule`. */
export function quorumFunction(rule: QuorumRule): (n: number) => number {
  return rule === QuorumRule.Majority ? majority : twoThirds;
}

/**
 * The rules stated by the founding transactions among `txs` (a genesis
 * block's), in order; undecodable ones left out (the ledger refuses such a
 * genesis anyway).
 */
export function foundingRules(txs: readonly Tx[]): QuorumRule[] {
  const out: QuorumRule[] = [];
  for (const tx of txs) {
    if (tx.kind !== TxKind.FoundNetwork) continue;
    try {
      const p = decodePayload(tx.kind, tx.payload);
      if (p.kind === TxKind.FoundNetwork) out.push(p.quorum);
    } catch (e) {
      if (!(e instanceof DecodeError)) throw e;
    }
  }
  return out;
}

/** The network's rule as its genesis records it (two thirds when it records none, as a chain without a ledger). */
export function quorumRuleOf(genesis: Block): QuorumRule {
  return foundingRules(genesis.txs)[0] ?? QuorumRule.TwoThirds;
}
