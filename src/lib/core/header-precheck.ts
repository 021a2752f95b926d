/**
 * The rules of stage 1 a block's header and declared size decide alone
 * (header version, bits, proof of work, a timestamp from the future, the
 * block size limit): the cheapest checks, run on a block read from a file as
 * soon as its header is in, before the rest of it is read (issue 13 #7).
 *
 * They are not restated here: the header goes through `checkBlockSanity`
 * itself with no transactions, and only the rules that come before the
 * transactions count, so a header refused here is refused with exactly the
 * code the whole block would get, and a rule added there is never missed
 * (at worst it is checked once the block is whole).
 */
import { type RuleCode, RuleError } from './errors';
import { ZERO_HASH } from './hash';
import { type BlockHeader, headerHash } from './header';
import type { ChainParams } from './params';
import type { SignatureVerifier } from './signature';
import { checkBlockSanity } from './validate';

/** The stage-1 rules that precede every transaction rule in `checkBlockSanity`. */
export const HEADER_RULES: ReadonlySet<RuleCode> = new Set<RuleCode>(['BAD_VERSION', 'BAD_BITS', 'HIGH_HASH', 'TIME_TOO_NEW', 'BLOCK_TOO_LARGE']);

/** Never consulted: a block without transactions has no signature to check. */
const NO_SIGNATURES: SignatureVerifier = { verify: () => false };

/**
 * The header rule a block of `size` encoded bytes with this header breaks
 * (as `checkBlockSanity` would report it), or null. `now` is the injected
 * clock, seconds.
 */
export function headerPrecheck(params: ChainParams, now: number, header: BlockHeader, size: number): RuleError | null {
  const ctx = { params, now, verifier: NO_SIGNATURES, network: ZERO_HASH };
  try {
    checkBlockSanity({ header, txs: [] }, headerHash(header), size, ctx);
  } catch (e) {
    if (!(e instanceof RuleError)) throw e;
    // Later rules (the transactions root of an empty list) say nothing about this block.
    if (HEADER_RULES.has(e.code)) return e;
  }
  return null;
}
