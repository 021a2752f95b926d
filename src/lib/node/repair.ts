/**
 * Repairing a stored block with bytes fetched from a peer (SPEC §5: a changed
 * block is "repaired from peers"). The bytes must be exactly the block the
 * store names — the header hashes to the key — and pass the core's full
 * validation with real signature checks (through the loaded chain, or as a
 * genesis block) before they replace what is stored. Load the store again
 * afterwards: the repaired block's descendants then join it.
 */
import { type Block, blockHash, decodeBlock } from '../core/block';
import { toHex } from '../core/bytes';
import { ChainState } from '../core/chain';
import { DecodeError, RuleError } from '../core/errors';
import type { ChainParams } from '../core/params';
import { ledgerRules } from '../core/rules';
import { nobleVerifier, type SignatureVerifier } from '../core/signature';
import { blockPatients, ledgerLookup, NO_LOOKUP } from '../core/tx-subjects';
import type { BadBlockCode } from './stored-block';
import { storedBlockOf } from '../adapters/store/records';
import type { ChainStore } from '../adapters/store/types';

export type RepairResult = { readonly ok: true } | { readonly ok: false; readonly code: BadBlockCode; readonly message: string };

export interface RepairOptions {
  readonly now: number;
  /** The chain as loaded (null when the genesis block itself is being repaired). */
  readonly chain: ChainState | null;
  /** Used only for a genesis block; a loaded chain checks with its own verifier. */
  readonly verifier?: SignatureVerifier;
}

/** Checks `bytes` are the block `key` and valid, then stores them in place of the damaged record. */
export async function repairBlock(store: ChainStore, params: ChainParams, key: string, bytes: Uint8Array, options: RepairOptions): Promise<RepairResult> {
  let block: Block;
  try {
    block = decodeBlock(bytes);
  } catch (e) {
    if (e instanceof DecodeError) return { ok: false, code: 'BAD_ENCODING', message: e.message };
    throw e;
  }
  if (toHex(blockHash(block)) !== key) return { ok: false, code: 'KEY_MISMATCH', message: `offered bytes are not block ${key}` };
  const { chain } = options;
  if (chain) {
    const r = chain.addBlock(block, options.now, bytes.length);
    if (r.status === 'invalid') return { ok: false, code: r.error.code, message: r.error.message };
  } else {
    try {
      new ChainState(params, block, options.now, { verifier: options.verifier ?? nobleVerifier, rules: ledgerRules });
    } catch (e) {
      if (e instanceof RuleError) return { ok: false, code: e.code, message: e.message };
      throw e;
    }
  }
  const lookup = chain?.ledger ? ledgerLookup(chain.ledger) : NO_LOOKUP;
  await store.commit({ blocks: [storedBlockOf(block, bytes, blockPatients(block.txs, lookup))] });
  return { ok: true };
}
