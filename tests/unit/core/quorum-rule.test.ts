/**
 * The quorum is a founding choice recorded in the genesis block (SPEC §5,
 * decided): two thirds by default, the paper's majority only when the
 * founders state it, every founder stating the same (BAD_GENESIS).
 */
import { describe, expect, it } from 'vitest';
import { ChainState } from '../../../src/lib/core/chain';
import { majority, twoThirds } from '../../../src/lib/core/finality';
import { QuorumRule, encodePayload } from '../../../src/lib/core/payloads';
import { TEST_PARAMS } from '../../../src/lib/core/params';
import { Prng } from '../../../src/lib/core/prng';
import { foundingRules, quorumFunction, quorumRuleOf } from '../../../src/lib/core/quorum-rule';
import { publicKeyOf } from '../../../src/lib/core/signature';
import { signTx } from '../../../src/lib/core/sign-tx';
import { genesisTemplate, mineBlock } from '../../../src/lib/core/template';
import { GENESIS_SIGNING_NETWORK, TxKind } from '../../../src/lib/core/tx';
import { NOW, T0 } from './helpers';
import { ledgerRules } from '../../../src/lib/core/rules';

function genesisWith(rules: readonly QuorumRule[]) {
  const prng = new Prng(`quorum/${rules.join(',')}`);
  const keys = rules.map(() => {
    const secret = prng.bytes(32);
    return { secret, pub: publicKeyOf(secret) };
  });
  const found = keys.map((k, i) =>
    signTx(
      GENESIS_SIGNING_NETWORK,
      {
        kind: TxKind.FoundNetwork,
        nonce: i + 1,
        time: T0,
        payload: encodePayload({ kind: TxKind.FoundNetwork, networkName: 'q', hospitalName: `H${i}`, dataKey: prng.bytes(32), quorum: rules[i]! }),
      },
      k.secret,
      k.pub,
    ),
  );
  return mineBlock(genesisTemplate(TEST_PARAMS, found, T0, keys[0]!.pub));
}

describe('the quorum rule in the genesis block', () => {
  it('two thirds needs more than two thirds; the majority more than half', () => {
    expect(quorumFunction(QuorumRule.TwoThirds)).toBe(twoThirds);
    expect(quorumFunction(QuorumRule.Majority)).toBe(majority);
    expect([3, 4, 7].map(twoThirds)).toEqual([3, 3, 5]);
    expect([3, 4, 7].map(majority)).toEqual([2, 3, 4]);
  });

  it('is read from the founding transactions, as every founder states it', () => {
    for (const rule of [QuorumRule.TwoThirds, QuorumRule.Majority]) {
      const g = genesisWith([rule, rule, rule]);
      expect(new ChainState(TEST_PARAMS, g, NOW, { rules: ledgerRules }).height).toBe(0);
      expect(quorumRuleOf(g)).toBe(rule);
      expect(foundingRules(g.txs)).toEqual([rule, rule, rule]);
    }
  });

  it('founders stating different rules make no network (BAD_GENESIS)', () => {
    expect(() => new ChainState(TEST_PARAMS, genesisWith([QuorumRule.TwoThirds, QuorumRule.Majority]), NOW, { rules: ledgerRules })).toThrow(/BAD_GENESIS/);
  });
});
