/**
 * A block as the block tree holds it: the block (or, for a block restored
 * from a snapshot, its encoded body), its place in the tree and the measures
 * fork choice and the next block's checks need, computed once when the node
 * is made so no later read walks the ancestors again.
 */
import { assert } from '../assert';
import { type Block, decodeBlock } from '../block';
import { toHex } from '../bytes';
import { targetFromBits, workForTarget } from '../compact';
import type { BlockHeader } from '../header';
import type { ChainParams } from '../params';
import { txId } from '../tx';
import { medianTime } from '../validate';

/** A valid block in the block tree. */
export interface BlockNode {
  readonly hash: Uint8Array;
  /** Hex of the hash: the key of every map. */
  readonly key: string;
  /**
   * The block. A block added to the chain is held decoded. A block restored
   * from a snapshot holds only its encoded body (given later by
   * `ChainState.attachBody`): the first read decodes it once and keeps the
   * result; reading it before the body is attached is our misuse
   * (AssertionError; `ChainState.hasBody` says whether it is there).
   */
  readonly block: Block;
  readonly header: BlockHeader;
  readonly height: number;
  readonly parent: BlockNode | null;
  /** Sum of the work of this block and all its ancestors. */
  readonly chainWork: bigint;
  /** Median time of this block and its ancestors (what a child must exceed). */
  readonly medianTimePast: number;
  /** Hex ids of its transactions. */
  readonly txKeys: readonly string[];
  /** Encoded size, bytes. */
  readonly size: number;
}

/** Where a restored block's encoded body is found once attached. */
export interface BodySource {
  /** The encoded body, if attached and not yet decoded. */
  get(key: string): Uint8Array | undefined;
  /** The body was decoded (and is kept decoded by its node): its bytes need not be held too. */
  decoded(key: string): void;
}

/** The node of a decoded block on `parent` (null for a genesis block). */
export function nodeOfBlock(params: ChainParams, block: Block, hash: Uint8Array, size: number, parent: BlockNode | null): BlockNode {
  return {
    hash,
    key: toHex(hash),
    block,
    header: block.header,
    height: block.header.height,
    parent,
    ...measures(params, block.header, parent),
    txKeys: block.txs.map((tx) => toHex(txId(tx))),
    size,
  };
}

/**
 * The node of a snapshot block: its header and indexes; `bodies` gives its
 * encoded body once attached. The body is decoded on the first read of
 * `block` only and the decoded block kept in place of the bytes, so no read
 * decodes twice and no body is held twice.
 */
export function nodeOfHeader(
  params: ChainParams,
  header: BlockHeader,
  hash: Uint8Array,
  size: number,
  txKeys: readonly string[],
  parent: BlockNode | null,
  bodies: BodySource,
): BlockNode {
  const key = toHex(hash);
  let decoded: Block | undefined;
  return {
    hash,
    key,
    header,
    height: header.height,
    parent,
    ...measures(params, header, parent),
    txKeys,
    size,
    get block(): Block {
      if (decoded) return decoded;
      const bytes = bodies.get(key);
      assert(bytes !== undefined, `the body of block ${header.height} is not loaded`);
      decoded = decodeBlock(bytes);
      bodies.decoded(key);
      return decoded;
    },
  };
}

/** Cumulative work and median time past of a block on `parent`. */
function measures(params: ChainParams, header: BlockHeader, parent: BlockNode | null): { chainWork: bigint; medianTimePast: number } {
  const target = targetFromBits(header.bits);
  assert(target !== null, 'node from a block with invalid bits');
  const times: number[] = [header.time];
  for (let p = parent; p && times.length < params.medianTimeSpan; p = p.parent) times.push(p.header.time);
  return { chainWork: (parent?.chainWork ?? 0n) + workForTarget(target), medianTimePast: medianTime(times) };
}
