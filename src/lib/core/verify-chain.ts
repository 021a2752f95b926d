/**
 * Verifying and importing a chain file (SPEC §5 tamper evidence, §8 the
 * `medchain verify` command): every block is checked by the same three
 * stages a node applies to blocks from peers, in order, and the first failure
 * names the block (height, hash) and the rule. Structural damage (truncation,
 * a bad length, a checksum mismatch) is reported as such.
 *
 * The file is checked as it is read (issue 13 #7): each block as it arrives,
 * its header's rules (proof of work first) before the rest of it is read, so
 * a crafted file is refused having cost about one block of reading and
 * memory. The chain is handed out only once the whole file, checksum
 * included, has passed; on any failure it is dropped.
 */
import { blockHash, type Block } from './block';
import { ChainState, type ChainStateOptions, type RulesFactory } from './chain';
import { ChainFileDecoder, type ChainFileEvent } from './chainfile-decoder';
import { RuleError, type RuleCode } from './errors';
import { headerHash } from './header';
import { headerPrecheck } from './header-precheck';
import { type ChainParams, KNOWN_PARAMS } from './params';
import { ledgerRules } from './rules';

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

/**
 * What {@link verifyChainFile} takes besides the file and the clock. A chain
 * file is checked under the network's rules, the medical ledger
 * ({@link ledgerRules}), unless `rules` names others (a test of fork choice alone).
 */
export type VerifyChainOptions = Omit<ChainStateOptions, 'rules'> & { rules?: RulesFactory; resolveParams?: (id: string) => ChainParams | undefined };

/**
 * The check of one chain file, fed the decoder's events in order; the first
 * non-null answer is the report. `start`, `header` and `damage` events are
 * decided without the blocks before them, so a caller that reads ahead (the
 * signature checking of adapters/verify-file.ts) may feed them as it reads
 * and keep their report until the blocks before them are checked.
 */
export class ChainFileCheck {
  private params: ChainParams | null = null;
  private chain: ChainState | null = null;
  private declared = 0;

  constructor(
    private readonly now: number,
    private readonly options: VerifyChainOptions = {},
  ) {}

  /** Applies one event; the report once the file is decided, else null. */
  accept(e: ChainFileEvent): VerifyReport | null {
    switch (e.kind) {
      case 'start':
        return this.start(e.paramsId, e.declaredBlocks);
      case 'header':
        return this.header(e.index, e.header, e.size);
      case 'block':
        return this.block(e.index, e.block, e.bytes.length);
      case 'damage': {
        if (this.params === null) return { ok: false, kind: 'damaged', message: e.error.message, index: null };
        const where = e.blockIndex === null ? '' : ` (in block ${e.blockIndex} of the file)`;
        return { ok: false, kind: 'damaged', message: `${e.error.message}${where}`, index: e.blockIndex };
      }
      case 'end':
        if (this.declared === 0) return { ok: false, kind: 'damaged', message: 'the file holds no blocks', index: null };
        if (this.chain === null) return { ok: false, kind: 'damaged', message: 'block count does not match', index: null };
        return { ok: true, height: this.chain.height, tipHash: this.chain.tip.hash, params: this.params!, chain: this.chain };
    }
  }

  private start(paramsId: string, declared: number): VerifyReport | null {
    const resolve = this.options.resolveParams ?? ((id: string) => KNOWN_PARAMS.get(id));
    const params = resolve(paramsId);
    if (!params) return { ok: false, kind: 'damaged', message: `unknown network parameters "${paramsId}"`, index: null };
    this.params = params;
    this.declared = declared;
    return null;
  }

  /** The header's own rules, before the rest of the block is read. */
  private header(index: number, header: Block['header'], size: number): VerifyReport | null {
    const error = headerPrecheck(this.params!, this.now, header, size);
    return error && this.bad(index, header.height, headerHash(header), error.code, error.message);
  }

  /** Block `index` of the file, `size` bytes encoded: the three stages, through the chain state. */
  block(index: number, block: Block, size: number): VerifyReport | null {
    const hash = blockHash(block);
    if (this.chain === null) {
      try {
        this.chain = new ChainState(this.params!, block, this.now, { ...this.options, rules: this.options.rules ?? ledgerRules });
      } catch (e) {
        if (e instanceof RuleError) return this.bad(index, block.header.height, hash, e.code, e.message);
        throw e;
      }
      return null;
    }
    const tip = this.chain.tip;
    const r = this.chain.addBlock(block, this.now, size);
    if (r.status === 'invalid') return this.bad(index, block.header.height, hash, r.error.code, r.error.message);
    if (r.status !== 'accepted' || r.node.parent !== tip)
      return this.bad(index, block.header.height, hash, 'BAD_PREV', `block ${index} does not extend block ${index - 1} of the file (BAD_PREV)`);
    return null;
  }

  private bad(index: number, height: number, hash: Uint8Array, code: RuleCode, message: string): VerifyReport {
    return { ok: false, kind: 'bad-block', index, height, hash, code, message };
  }
}

/**
 * The decoder's events for a file read from `source`, pulling the next chunk
 * only when the decoder needs it; ends after the terminal event (`end` or
 * `damage`). Stopping early (a `break` in `for await`) stops the reading
 * and closes the source.
 */
export async function* chainFileEvents(source: AsyncIterable<Uint8Array> | Iterable<Uint8Array>): AsyncGenerator<ChainFileEvent, void, undefined> {
  const decoder = new ChainFileDecoder();
  const chunks = Symbol.asyncIterator in source ? source[Symbol.asyncIterator]() : source[Symbol.iterator]();
  try {
    for (;;) {
      const e = decoder.next();
      if (e === null) {
        const r = await chunks.next();
        if (r.done) decoder.finish();
        else decoder.push(r.value);
        continue;
      }
      yield e;
      if (e.kind === 'end' || e.kind === 'damage') return;
    }
  } finally {
    await chunks.return?.();
  }
}

/**
 * Checks a chain file read piece by piece from `source` (a file's chunks, a
 * Blob's slices): holds about one block besides the chain being built, and
 * stops reading at the first bad block. `now` is the verifier's clock
 * (seconds); errors of the source itself (a failed read) are passed on.
 */
export async function verifyChainStream(
  source: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
  now: number,
  options: VerifyChainOptions = {},
): Promise<VerifyReport> {
  const check = new ChainFileCheck(now, options);
  for await (const e of chainFileEvents(source)) {
    const report = check.accept(e);
    if (report) return report;
  }
  throw new Error('chain file events ended without a terminal event');
}

/**
 * Checks a whole chain file already in memory, as {@link verifyChainStream}
 * does. `now` is the verifier's clock (seconds) for the future-timestamp
 * rule; `resolveParams` maps the file's network id to parameters (the
 * shipped sets by default).
 */
export function verifyChainFile(bytes: Uint8Array, now: number, options: VerifyChainOptions = {}): VerifyReport {
  const decoder = new ChainFileDecoder();
  decoder.push(bytes);
  decoder.finish();
  const check = new ChainFileCheck(now, options);
  for (;;) {
    const report = check.accept(decoder.next()!);
    if (report) return report;
  }
}
