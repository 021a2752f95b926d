/**
 * What the chain remembers about blocks it refused, all bounded (SPEC §5:
 * every limit is explicit): the hashes of invalid blocks with their rule (so
 * a block or a descendant offered again is refused at once), the exact
 * bodies that failed a signature check (costly to find again), and the
 * blocks that lost to a final block, kept aside for display.
 */
import { BadBodies } from '../bad-bodies';
import type { Block } from '../block';
import { type RuleCode, RuleError } from '../errors';
import type { OrphanPool } from '../orphans';
import type { AddBlockResult } from './results';

/** Failures that say nothing about other blocks with the same header hash (the mesh keeps such a header wanted). */
export const NOT_CACHED: ReadonlySet<RuleCode> = new Set<RuleCode>([
  'BAD_ENCODING',
  'BLOCK_TOO_LARGE',
  'TOO_MANY_TXS',
  'BAD_TX',
  'BAD_TX_SIGNATURE',
  'DUPLICATE_TX',
  'BAD_TX_ROOT',
  'BAD_TX_TIME',
  'TIME_TOO_NEW',
  'BELOW_FINAL',
]);

/**
 * Failures remembered for the exact block (its whole encoding, bad-bodies.ts):
 * deterministic in the bytes, and costly to find again. The other body
 * failures are found by cheap checks.
 */
export const REMEMBERED_BY_BODY: ReadonlySet<RuleCode> = new Set<RuleCode>(['BAD_TX_SIGNATURE']);

/** A block that lost to a final block (an orphan in the paper's sense). */
export interface StaleBlock {
  readonly key: string;
  readonly block: Block;
  readonly receivedAt: number;
}

export class Rejections {
  /** Hashes of blocks found invalid, with the rule they broke (oldest forgotten first). */
  private readonly invalid = new Map<string, RuleCode>();
  /** Exact blocks whose body failed a signature check (keyed by their whole encoding, so a genuine block with the same header stays acceptable). */
  readonly badBodies: BadBodies;
  /** Blocks refused because they compete with a final block (oldest dropped). */
  private readonly staleBlocks: StaleBlock[] = [];

  constructor(
    private readonly maxInvalid: number,
    maxBadBodies: number,
    private readonly maxStale: number,
    private readonly orphans: OrphanPool,
  ) {
    this.badBodies = new BadBodies(maxBadBodies);
  }

  /** The rule a block of this hash broke, if it is remembered. */
  known(key: string): RuleCode | undefined {
    return this.invalid.get(key);
  }

  /** Blocks that lost to a final block, oldest first. */
  get stale(): readonly StaleBlock[] {
    return this.staleBlocks;
  }

  /** Keeps a block that forks below the final block aside for display (once). */
  keepStale(key: string, block: Block, receivedAt: number): void {
    if (this.staleBlocks.some((s) => s.key === key)) return;
    if (this.staleBlocks.length >= this.maxStale) this.staleBlocks.shift();
    this.staleBlocks.push({ key, block, receivedAt });
  }

  /** The `invalid` result for `e`; anything but a RuleError is our bug and is thrown on. */
  rejected(key: string, e: unknown): AddBlockResult {
    if (!(e instanceof RuleError)) throw e;
    return this.invalidResult(key, e);
  }

  /** The `invalid` result, remembering the hash when the failure condemns it. */
  invalidResult(key: string, error: RuleError): AddBlockResult {
    // Only failures of the header itself (or of transactions the header commits to,
    // with valid signatures) condemn the hash: a peer can pair a genuine header with
    // altered transactions or signatures, and that must not make the genuine block
    // unacceptable. TIME_TOO_NEW may become valid later.
    if (!NOT_CACHED.has(error.code)) {
      this.remember(key, error.code);
      // Blocks kept aside waiting for this one can never connect: drop them, and theirs.
      const queue = [key];
      while (queue.length > 0)
        for (const o of this.orphans.takeChildren(queue.shift()!)) {
          this.remember(o.key, 'BAD_PREV');
          queue.push(o.key);
        }
    }
    return { status: 'invalid', key, error };
  }

  remember(key: string, code: RuleCode): void {
    if (this.invalid.size >= this.maxInvalid) this.invalid.delete(this.invalid.keys().next().value!);
    this.invalid.set(key, code);
  }
}
