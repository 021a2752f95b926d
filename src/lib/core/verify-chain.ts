/**
 * Verifying and importing a chain file (SPEC §5 tamper evidence, §8 the
 * `medchain verify` command): every block is checked by the same three
 * stages a node applies to blocks from peers, in order, and the first failure
 * names the block (height, hash) and the rule. Structural damage (truncation,
 * a bad length, a checksum mismatch) is reported as such.
 */
import { ChainState, type ChainStateOptions } from './chain';
import { type ChainFileContents, readChainFile } from './chainfile';
import { RuleError, type RuleCode } from './errors';
import { blockHash } from './block';
import { type ChainParams, KNOWN_PARAMS } from './params';

export type VerifyReport =
  | { readonly ok: true; readonly height: number; readonly tipHash: Uint8Array; readonly params: ChainParams; readonly chain: ChainState }
  | {
      readonly ok: false;
      readonly kind: 'bad-block';
      readonly index: number;
      readonly height: number;
      readonly hash: Uint8Array;
      readonly code: RuleCode;
      readonly message: string;
    }
  | { readonly ok: false; readonly kind: 'damaged'; readonly message: string; readonly index: number | null };

/** What {@link verifyChainFile} takes besides the file and the clock. */
export type VerifyChainOptions = ChainStateOptions & { resolveParams?: (id: string) => ChainParams | undefined };

/**
 * Checks a whole chain file. `now` is the verifier's clock (seconds) for the
 * future-timestamp rule; `resolveParams` maps the file's network id to
 * parameters (the shipped sets by default).
 */
export function verifyChainFile(bytes: Uint8Array, now: number, options: VerifyChainOptions = {}): VerifyReport {
  const steps = verifyChainSteps(readChainFile(bytes), now, options);
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
  }
}

/**
 * The same check one block at a time: yields the file index of each block
 * after checking it, and returns the report. A caller that checks the
 * blocks' signatures ahead (asynchronously, adapters/verify-file.ts) runs
 * the steps of the blocks whose answers are ready while the next are being
 * checked.
 */
export function* verifyChainSteps(file: ChainFileContents, now: number, options: VerifyChainOptions = {}): Generator<number, VerifyReport> {
  const resolve = options.resolveParams ?? ((id: string) => KNOWN_PARAMS.get(id));
  if (file.paramsId === null)
    return { ok: false, kind: 'damaged', message: file.damage!.error.message, index: null };
  const params = resolve(file.paramsId);
  if (!params) return { ok: false, kind: 'damaged', message: `unknown network parameters "${file.paramsId}"`, index: null };
  if (file.blocks.length === 0 && !file.damage)
    return { ok: false, kind: 'damaged', message: 'the file holds no blocks', index: null };
  let chain: ChainState | null = null;
  for (let i = 0; i < file.blocks.length; i++) {
    const { bytes: raw, block } = file.blocks[i]!;
    const hash = blockHash(block);
    const bad = (code: RuleCode, message: string): VerifyReport => ({
      ok: false,
      kind: 'bad-block',
      index: i,
      height: block.header.height,
      hash,
      code,
      message,
    });
    if (chain === null) {
      try {
        chain = new ChainState(params, block, now, options);
      } catch (e) {
        if (e instanceof RuleError) return bad(e.code, e.message);
        throw e;
      }
      yield i;
      continue;
    }
    const tip = chain.tip;
    const r = chain.addBlock(block, now, raw.length);
    if (r.status === 'invalid') return bad(r.error.code, r.error.message);
    if (r.status !== 'accepted' || r.node.parent !== tip)
      return bad('BAD_PREV', `block ${i} does not extend block ${i - 1} of the file (BAD_PREV)`);
    yield i;
  }
  if (file.damage) {
    const where = file.damage.blockIndex === null ? '' : ` (in block ${file.damage.blockIndex} of the file)`;
    return { ok: false, kind: 'damaged', message: `${file.damage.error.message}${where}`, index: file.damage.blockIndex };
  }
  if (file.blocks.length !== file.declaredBlocks || chain === null)
    return { ok: false, kind: 'damaged', message: 'block count does not match', index: null };
  return { ok: true, height: chain.height, tipHash: chain.tip.hash, params, chain };
}
