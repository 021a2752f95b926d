/**
 * What issue 14's split of the chain state made explicit: a restored block's
 * body is decoded once, not on every read of `block`; and the stage-3 rules
 * are the caller's (the generic chain has no ledger of its own).
 */
import { describe, expect, it } from 'vitest';
import { encodeBlock } from '../../../src/lib/core/block';
import { ChainState } from '../../../src/lib/core/chain';
import { demoChain } from '../../../src/lib/core/demo';
import { TEST_PARAMS } from '../../../src/lib/core/params';
import { ledgerRules, noStateRules } from '../../../src/lib/core/rules';

const NOW = 2_000_000_000;
const trusting = { verify: () => true };

describe('chain state parts', () => {
  const { blocks, chain: full } = demoChain({ blocks: 6, seed: 'chain-parts', params: TEST_PARAMS });

  it('a restored block is decoded from its attached body once, then the same block is read', () => {
    full.markFinal(full.atHeight(5)!.key);
    const r = ChainState.restore(TEST_PARAMS, full.snapshot(), NOW, { verifier: trusting, rules: ledgerRules });
    if (!r.ok) throw new Error(r.message);
    const n = r.chain.atHeight(2)!;
    expect(r.chain.attachBody(n.key, encodeBlock(blocks[2]!))).toBe(true);
    const first = n.block;
    expect(first).toEqual(blocks[2]);
    expect(n.block).toBe(first);
  });

  it("the rules are the caller's: the medical ledger only when passed", () => {
    expect(new ChainState(TEST_PARAMS, blocks[0]!, NOW, { verifier: trusting, rules: ledgerRules }).ledger).not.toBeNull();
    expect(new ChainState(TEST_PARAMS, blocks[0]!, NOW, { verifier: trusting, rules: noStateRules }).ledger).toBeNull();
    // @ts-expect-error the rules are required: the generic chain holds no default ledger
    const options: ConstructorParameters<typeof ChainState>[3] = { verifier: trusting };
    expect(() => new ChainState(TEST_PARAMS, blocks[0]!, NOW, options)).toThrow(/stage-3 rules/);
  });
});
