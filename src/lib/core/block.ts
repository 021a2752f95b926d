/**
 * A block: header plus transactions, with its canonical encoding
 * (SPEC §5). Network-specific limits (block size, transactions per block) are
 * rules checked by validation; the decoder enforces only hard ceilings so that
 * no input can make it allocate without bound.
 */
import { Reader, Writer, decodeAll, encodeWith } from './encoding';
import { type BlockHeader, headerHash, readHeader, writeHeader } from './header';
import { merkleRoot } from './merkle';
import { type Tx, readTx, txId, writeTx } from './tx';

/** Hard ceiling on transactions in any block, above every network's own limit. */
export const MAX_BLOCK_TXS = 100_000;

export interface Block {
  readonly header: BlockHeader;
  readonly txs: readonly Tx[];
}

export function writeBlock(w: Writer, b: Block): void {
  writeHeader(w, b.header);
  w.varuint(b.txs.length);
  for (const tx of b.txs) writeTx(w, tx);
}

export function readBlock(r: Reader): Block {
  const header = readHeader(r);
  const n = r.count(MAX_BLOCK_TXS, 'transactions');
  const txs: Tx[] = [];
  for (let i = 0; i < n; i++) txs.push(readTx(r));
  return { header, txs };
}

export function encodeBlock(b: Block): Uint8Array {
  return encodeWith(writeBlock, b);
}

export function decodeBlock(bytes: Uint8Array): Block {
  return decodeAll(bytes, readBlock, 'block');
}

/** The block's hash (its header's). */
export function blockHash(b: Block): Uint8Array {
  return headerHash(b.header);
}

/** The root the header must carry for these transactions. */
export function txRootOf(txs: readonly Tx[]): Uint8Array {
  return merkleRoot(txs.map(txId));
}
