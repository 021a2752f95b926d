/**
 * The chain file: export and import of a whole chain as one file, the backup
 * format of the app and the input of `medchain verify` (SPEC §8).
 *
 * Layout: magic `MEDCHAIN`, a format version (u16), the network parameter
 * id, the block count, each block as length-prefixed bytes, and a tagged
 * SHA-256 over everything before it. The blocks carry their own evidence
 * (hash links, proof of work, signatures); the checksum makes any other
 * changed byte of the file detectable too.
 */
import { type Block, encodeBlock } from './block';
import type { ChainState } from './chain';
import { ChainFileDecoder } from './chainfile-decoder';
import { CHAIN_FILE_MAGIC, CHAIN_FILE_VERSION, CHECKSUM_BYTES, CHECKSUM_TAG, MAX_FILE_BLOCK_BYTES, MAX_PARAMS_ID_BYTES } from './chainfile-format';
import { Writer } from './encoding';
import type { DecodeError } from './errors';
import { taggedHash } from './hash';

export { CHAIN_FILE_MAGIC, CHAIN_FILE_VERSION, MAX_FILE_BLOCK_BYTES, MAX_FILE_BLOCKS } from './chainfile-format';

/** Encodes already-encoded blocks (lowest first) into a chain file. */
export function encodeChainFile(paramsId: string, blocks: readonly Uint8Array[]): Uint8Array {
  const w = new Writer();
  w.fixed(CHAIN_FILE_MAGIC, CHAIN_FILE_MAGIC.length).u16(CHAIN_FILE_VERSION).string(paramsId, MAX_PARAMS_ID_BYTES).varuint(blocks.length);
  for (const b of blocks) w.bytes(b, MAX_FILE_BLOCK_BYTES);
  const body = w.finish();
  const out = new Uint8Array(body.length + CHECKSUM_BYTES);
  out.set(body);
  out.set(taggedHash(CHECKSUM_TAG, body), body.length);
  return out;
}

/** The active chain of `chain` as a chain file. */
export function exportChain(chain: ChainState): Uint8Array {
  return encodeChainFile(
    chain.params.id,
    chain.activeBlocks().map((n) => encodeBlock(n.block)),
  );
}

/** A decoded chain file: blocks that decoded, and why decoding stopped, if it did. */
export interface ChainFileContents {
  readonly paramsId: string | null;
  readonly declaredBlocks: number;
  /** Each block's raw bytes and its decoded form, lowest first, up to the first that failed. */
  readonly blocks: readonly { readonly bytes: Uint8Array; readonly block: Block }[];
  /** The first problem with the file's structure, if any, and the index of the block it was in. */
  readonly damage: { readonly error: DecodeError; readonly blockIndex: number | null } | null;
}

/**
 * Reads a whole chain file already in memory as far as it can; never throws
 * on bad input. For files of unknown origin and size, check them as they are
 * read instead (`verifyChainStream`, chainfile-decoder.ts): this keeps every
 * block.
 */
export function readChainFile(bytes: Uint8Array): ChainFileContents {
  const decoder = new ChainFileDecoder();
  decoder.push(bytes);
  decoder.finish();
  const blocks: { bytes: Uint8Array; block: Block }[] = [];
  let paramsId: string | null = null;
  let declared = 0;
  for (;;) {
    const e = decoder.next()!;
    if (e.kind === 'start') {
      paramsId = e.paramsId;
      declared = e.declaredBlocks;
    } else if (e.kind === 'block') blocks.push({ bytes: e.bytes, block: e.block });
    else if (e.kind === 'end') return { paramsId, declaredBlocks: declared, blocks, damage: null };
    else if (e.kind === 'damage') return { paramsId, declaredBlocks: declared, blocks, damage: { error: e.error, blockIndex: e.blockIndex } };
  }
}
