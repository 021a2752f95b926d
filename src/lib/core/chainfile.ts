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
import { type Block, decodeBlock, encodeBlock } from './block';
import type { ChainState } from './chain';
import { bytesEqual, utf8 } from './bytes';
import { Reader, Writer } from './encoding';
import { DecodeError } from './errors';
import { taggedHash } from './hash';

export const CHAIN_FILE_MAGIC = utf8('MEDCHAIN');
export const CHAIN_FILE_VERSION = 1;
/** Hard ceilings: no network allows blocks near this size or chains near this length. */
export const MAX_FILE_BLOCK_BYTES = 8 * 1024 * 1024;
export const MAX_FILE_BLOCKS = 50_000_000;
const CHECKSUM_BYTES = 32;

function checksum(body: Uint8Array): Uint8Array {
  return taggedHash('medchain/chain-file', body);
}

/** Encodes already-encoded blocks (lowest first) into a chain file. */
export function encodeChainFile(paramsId: string, blocks: readonly Uint8Array[]): Uint8Array {
  const w = new Writer();
  w.fixed(CHAIN_FILE_MAGIC, CHAIN_FILE_MAGIC.length).u16(CHAIN_FILE_VERSION).string(paramsId, 64).varuint(blocks.length);
  for (const b of blocks) w.bytes(b, MAX_FILE_BLOCK_BYTES);
  const body = w.finish();
  const out = new Uint8Array(body.length + CHECKSUM_BYTES);
  out.set(body);
  out.set(checksum(body), body.length);
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

/** Reads a chain file as far as it can; never throws on bad input. */
export function readChainFile(bytes: Uint8Array): ChainFileContents {
  const blocks: { bytes: Uint8Array; block: Block }[] = [];
  let paramsId: string | null = null;
  let declared = 0;
  let blockIndex: number | null = null;
  try {
    if (bytes.length < CHAIN_FILE_MAGIC.length + CHECKSUM_BYTES)
      throw new DecodeError('TRUNCATED', 'file too short to be a chain file', 0);
    const r = new Reader(bytes.subarray(0, bytes.length - CHECKSUM_BYTES));
    if (!bytesEqual(r.fixed(CHAIN_FILE_MAGIC.length, 'magic'), CHAIN_FILE_MAGIC))
      throw new DecodeError('BAD_MAGIC', 'not a medchain chain file', 0);
    const version = r.u16('file version');
    if (version !== CHAIN_FILE_VERSION) throw new DecodeError('BAD_VERSION', `unknown chain file version ${version}`, 8);
    paramsId = r.string(64, 'network id');
    declared = r.count(MAX_FILE_BLOCKS, 'blocks');
    for (let i = 0; i < declared; i++) {
      blockIndex = i;
      const start = r.offset;
      const raw = r.bytes(MAX_FILE_BLOCK_BYTES, `block ${i}`);
      let block: Block;
      try {
        block = decodeBlock(raw);
      } catch (e) {
        if (e instanceof DecodeError)
          throw new DecodeError(e.code, `block ${i}: ${e.message}`, start + e.offset);
        throw e;
      }
      blocks.push({ bytes: raw, block });
    }
    blockIndex = null;
    r.end('last block');
    const body = bytes.subarray(0, bytes.length - CHECKSUM_BYTES);
    if (!bytesEqual(checksum(body), bytes.subarray(bytes.length - CHECKSUM_BYTES)))
      throw new DecodeError('BAD_CHECKSUM', 'file checksum does not match its contents', bytes.length - CHECKSUM_BYTES);
    return { paramsId, declaredBlocks: declared, blocks, damage: null };
  } catch (e) {
    if (!(e instanceof DecodeError)) throw e;
    return { paramsId, declaredBlocks: declared, blocks, damage: { error: e, blockIndex } };
  }
}
