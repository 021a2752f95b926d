/**
 * The full check on demand (SPEC §5 tamper evidence; SPEC §7 "verify chain"):
 * every stored block decoded, checked against its key, height and digest,
 * and validated again by the core with every signature verified. The answer
 * names the first bad block and the rule it breaks.
 */
import type { ChainParams } from '../core/params';
import { type LoadVerifier, loadChain } from './chain-build';
import type { ChainStore } from '../adapters/store/types';
import type { VerifyResult } from './types';

export async function verifyStore(store: ChainStore, params: ChainParams, now: number, verifier: LoadVerifier): Promise<VerifyResult> {
  const r = await loadChain(store, params, { now, mode: 'full', verifier });
  const height = r.chain?.height ?? -1;
  if (r.ok) return { ok: true, height };
  const first = r.bad[0];
  const error = first
    ? first.message
    : r.detached.length > 0
      ? `${r.detached.length} stored blocks are cut off from the chain`
      : `the store could not be loaded (${r.status})`;
  return { ok: false, height, error };
}
