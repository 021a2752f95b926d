/**
 * A small network for agreement tests: `validators` founding hospitals, one
 * chain, and helpers to grow blocks and sign votes.
 */
import { ChainState, type BlockNode } from '../../../src/lib/core/chain';
import { DEMO_START_TIME } from '../../../src/lib/core/demo';
import { Finality, majority } from '../../../src/lib/core/finality';
import { TEST_PARAMS } from '../../../src/lib/core/params';
import { encodePayload, QuorumRule } from '../../../src/lib/core/payloads';
import { Prng } from '../../../src/lib/core/prng';
import { publicKeyOf } from '../../../src/lib/core/signature';
import { signTx } from '../../../src/lib/core/sign-tx';
import { blockTemplate, genesisTemplate, mineBlock } from '../../../src/lib/core/template';
import { GENESIS_SIGNING_NETWORK, TxKind } from '../../../src/lib/core/tx';
import { VotePhase, signVote } from '../../../src/lib/core/vote';
import { ledgerRules } from '../../../src/lib/core/rules';

export const T0 = DEMO_START_TIME;
export const NOW = T0 + 1_000_000;

export interface Key {
  readonly secret: Uint8Array;
  readonly pub: Uint8Array;
}

export function network(validators: number, seed = 'agreement', quorum = majority) {
  const prng = new Prng(seed);
  const key = (): Key => {
    const secret = prng.bytes(32);
    return { secret, pub: publicKeyOf(secret) };
  };
  const hs = Array.from({ length: validators }, key);
  const found = hs.map((h, i) =>
    signTx(
      GENESIS_SIGNING_NETWORK,
      {
        kind: TxKind.FoundNetwork,
        nonce: i + 1,
        time: T0,
        payload: encodePayload({ kind: TxKind.FoundNetwork, networkName: 'a', hospitalName: `H${i}`, dataKey: prng.bytes(32), quorum: QuorumRule.TwoThirds }),
      },
      h.secret,
      h.pub,
    ),
  );
  const genesis = mineBlock(genesisTemplate(TEST_PARAMS, found, T0, hs[0]!.pub));
  const chain = new ChainState(TEST_PARAMS, genesis, NOW, { rules: ledgerRules });
  const finality = new Finality(chain, quorum);
  chain.approvalWeight = (k) => finality.weight(k);
  let dt = 0;
  /** A new empty block on `parent` (distinct times make siblings distinct). */
  const grow = (parent: BlockNode = chain.tip, txs: Parameters<typeof blockTemplate>[2] = []): BlockNode => {
    const r = chain.addBlock(mineBlock(blockTemplate(chain, parent, txs, parent.header.time + 5 + (dt++ % 7), hs[0]!.pub)), NOW);
    if (r.status !== 'accepted') throw new Error(`block not accepted: ${r.status}`);
    return r.node;
  };
  const vote = (v: number, phase: VotePhase, block: BlockNode | null, round = 0, height = block?.height ?? chain.finalized.height + 1) =>
    signVote(chain.genesis.hash, hs[v]!, { height, round, phase, block: block?.hash ?? null }, T0);
  const prevote = (v: number, block: BlockNode | null, round = 0) => vote(v, VotePhase.Prevote, block, round);
  const precommit = (v: number, block: BlockNode | null, round = 0) => vote(v, VotePhase.Precommit, block, round);
  return { chain, finality, hs, key, grow, vote, prevote, precommit, genesis, prng };
}
