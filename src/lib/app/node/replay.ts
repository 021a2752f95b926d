/**
 * The full check of a chain held in memory (SPEC §5, "verify chain"): every
 * block of the active chain is added again, in order, to a fresh ChainState
 * of the same parameters, so every consensus and ledger rule and every
 * signature is checked anew. The in-memory twin uses it; the browser node
 * checks its store instead (src/lib/node/verify.ts).
 */
import { ChainState } from '../../core/chain';
import { ledgerRules } from '../../core/rules';
import type { VerifyResult } from '../../node/types';

export function replayChain(chain: ChainState, now: number): VerifyResult {
  const blocks = chain.activeBlocks();
  let fresh: ChainState;
  try {
    fresh = new ChainState(chain.params, blocks[0]!.block, now, { rules: ledgerRules });
  } catch (e) {
    return { ok: false, height: 0, error: `genesis: ${(e as Error).message}` };
  }
  for (const n of blocks.slice(1)) {
    const r = fresh.addBlock(n.block, now);
    if (r.status !== 'accepted') {
      const why = r.status === 'invalid' ? `${r.error.code}: ${r.error.message}` : r.status;
      return { ok: false, height: n.height, error: `block ${n.height}: ${why}` };
    }
  }
  return { ok: true, height: fresh.height };
}
