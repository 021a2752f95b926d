/**
 * A crafted chain file as issue 13 #7 found it: block after block of the
 * largest size a file allows, each packed with the smallest transactions
 * that decode, so that decoding the file whole builds hundreds of
 * megabytes of objects; every block's header fails its proof of work. The
 * file is produced piece by piece (never whole), checksum included, so it
 * is valid as a file and only its blocks are bad.
 */
import { MAX_FILE_BLOCK_BYTES } from '../../../src/lib/core/chainfile';
import { CHAIN_FILE_MAGIC, CHAIN_FILE_VERSION, CHECKSUM_TAG } from '../../../src/lib/core/chainfile-format';
import { Writer } from '../../../src/lib/core/encoding';
import { ZERO_HASH, taggedHasher } from '../../../src/lib/core/hash';
import { type BlockHeader, HEADER_BYTES, writeHeader } from '../../../src/lib/core/header';
import { headerPrecheck } from '../../../src/lib/core/header-precheck';
import type { ChainParams } from '../../../src/lib/core/params';
import { TX_VERSION, TxKind, writeTx } from '../../../src/lib/core/tx';

/** Encoded size of the smallest transaction (empty payload). */
const MIN_TX_BYTES = 1 + 1 + 32 + 8 + 8 + 1 + 64;

/** One crafted block of about `bytes` bytes at `time`: minimal transactions, a header that fails proof of work. */
export function craftedBlock(params: ChainParams, time: number, bytes = MAX_FILE_BLOCK_BYTES - 16): Uint8Array {
  const n = Math.floor((bytes - HEADER_BYTES - 4) / MIN_TX_BYTES);
  let header: BlockHeader | null = null;
  for (let nonce = 0; header === null; nonce++) {
    const h: BlockHeader = { version: 1, height: 0, prevHash: ZERO_HASH, txRoot: ZERO_HASH, time, bits: params.genesisBits, miner: new Uint8Array(32), nonce };
    if (headerPrecheck(params, time, h, bytes)?.code === 'HIGH_HASH') header = h;
  }
  const w = new Writer();
  writeHeader(w, header);
  w.varuint(n);
  const tx = {
    version: TX_VERSION,
    kind: TxKind.AddRecord,
    author: new Uint8Array(32).fill(7),
    nonce: 1,
    time,
    payload: new Uint8Array(0),
    signature: new Uint8Array(64).fill(9),
  };
  for (let i = 0; i < n; i++) writeTx(w, { ...tx, nonce: i });
  return w.finish();
}

/**
 * The crafted file's pieces in order (preamble, each block with its length,
 * the checksum): `blocks` copies of one crafted block.
 */
export function* craftedChainFile(params: ChainParams, time: number, blocks: number, blockBytes?: number): Generator<Uint8Array> {
  const block = craftedBlock(params, time, blockBytes);
  const hasher = taggedHasher(CHECKSUM_TAG);
  const emit = (piece: Uint8Array) => (hasher.update(piece), piece);
  yield emit(new Writer().fixed(CHAIN_FILE_MAGIC, CHAIN_FILE_MAGIC.length).u16(CHAIN_FILE_VERSION).string(params.id, 64).varuint(blocks).finish());
  const prefix = new Writer().varuint(block.length).finish();
  for (let i = 0; i < blocks; i++) {
    yield emit(prefix);
    yield emit(block);
  }
  yield hasher.digest();
}

/** `pieces` cut into chunks of `size` bytes (the last of each piece shorter), as a file read would give them. */
export function* rechunk(pieces: Iterable<Uint8Array>, size: number): Generator<Uint8Array> {
  for (const p of pieces) for (let at = 0; at < p.length; at += size) yield p.subarray(at, Math.min(at + size, p.length));
}
