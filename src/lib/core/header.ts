/**
 * The block header (SPEC §5): version, height, previous hash, transactions
 * root, timestamp, compact target, miner and nonce. The block hash is
 * SHA-256 of the encoded header, so the hash covers every header field and,
 * through the root, every transaction.
 *
 * The layout is fixed at 118 bytes so that the encoding plus SHA-256 padding
 * fits in exactly two 64-byte blocks, with the nonce last: a miner hashes the
 * first 64 bytes once per template (the midstate) and then performs one
 * compression per nonce.
 */
import { Reader, Writer, decodeAll, encodeWith } from './encoding';
import { DecodeError } from './errors';
import { HASH_BYTES, sha256 } from './hash';

/** The only header version this code knows. */
export const HEADER_VERSION = 1;
/** Encoded size of every header. */
export const HEADER_BYTES = 118;
/** Length of a miner's public node key (Ed25519). */
export const MINER_KEY_BYTES = 32;

export interface BlockHeader {
  readonly version: number;
  readonly height: number;
  readonly prevHash: Uint8Array;
  readonly txRoot: Uint8Array;
  /** Seconds since 1970-01-01 UTC. */
  readonly time: number;
  /** Compact target. */
  readonly bits: number;
  /** Ed25519 public key of the node that mined the block. */
  readonly miner: Uint8Array;
  readonly nonce: number;
}

/** Byte offset of the nonce inside an encoded header (the miner rewrites it in place). */
export const NONCE_OFFSET = HEADER_BYTES - 4;

export function writeHeader(w: Writer, h: BlockHeader): void {
  w.u16(h.version).u32(h.height).fixed(h.prevHash, HASH_BYTES).fixed(h.txRoot, HASH_BYTES).u64(h.time).u32(h.bits).fixed(h.miner, MINER_KEY_BYTES).u32(h.nonce);
}

export function readHeader(r: Reader): BlockHeader {
  const start = r.offset;
  const version = r.u16('header version');
  if (version !== HEADER_VERSION) throw new DecodeError('BAD_VERSION', `unknown header version ${version}`, start);
  return {
    version,
    height: r.u32('height'),
    prevHash: r.fixed(HASH_BYTES, 'previous hash'),
    txRoot: r.fixed(HASH_BYTES, 'transactions root'),
    time: r.u64('time'),
    bits: r.u32('bits'),
    miner: r.fixed(MINER_KEY_BYTES, 'miner'),
    nonce: r.u32('nonce'),
  };
}

export function encodeHeader(h: BlockHeader): Uint8Array {
  return encodeWith(writeHeader, h);
}

export function decodeHeader(bytes: Uint8Array): BlockHeader {
  return decodeAll(bytes, readHeader, 'header');
}

/** The block hash: SHA-256 of the encoded header. */
export function headerHash(h: BlockHeader): Uint8Array {
  return sha256(encodeHeader(h));
}
