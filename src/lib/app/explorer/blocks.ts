/**
 * The explorer's block lists (SPEC §7, issue 6) read from a ChainView:
 * blocks of the active chain up to the final block are `final`, those past
 * it `pending` (they may still be replaced), and blocks that lost to a final
 * block are `orphan` (the chain's stale list, SPEC §5).
 */
import type { Block } from '../../core/block';
import type { ChainView } from '../chain-view';
import { toHex } from '../../core/bytes';
import { type Tx, TxKind, txId } from '../../core/tx';

export type BlockStatus = 'final' | 'pending' | 'orphan';

export interface BlockRow {
  readonly key: string;
  readonly height: number;
  readonly status: BlockStatus;
  /** Block time, seconds since 1970. */
  readonly time: number;
  readonly txCount: number;
  /** Hex of the miner's key. */
  readonly miner: string;
}

const KIND_NAMES = new Map<number, string>(Object.entries(TxKind).map(([name, n]) => [n, name]));

/** A transaction kind's name (`RegisterPatient`), or `kind n` for an unknown one. */
export function kindName(kind: number): string {
  return KIND_NAMES.get(kind) ?? `kind ${kind}`;
}

function rowOf(block: Block, height: number, key: string, status: BlockStatus): BlockRow {
  return { key, height, status, time: block.header.time, txCount: block.txs.length, miner: toHex(block.header.miner) };
}

/** The newest `limit` blocks of the active chain, tip first, each final or pending. */
export function activeRows(chain: ChainView, limit = 50): BlockRow[] {
  const from = Math.max(0, chain.height - limit + 1);
  const final = chain.finalized.height;
  return [...chain.activeBlocks(from)].reverse().map((n) => rowOf(n.block, n.height, n.key, n.height <= final ? 'final' : 'pending'));
}

/** Blocks that lost to a final block, newest first. */
export function orphanRows(chain: ChainView): BlockRow[] {
  return chain.stale.map((s) => rowOf(s.block, s.block.header.height, s.key, 'orphan')).reverse();
}

export interface BlockDetail {
  readonly row: BlockRow;
  readonly prevHash: string;
  readonly txRoot: string;
  readonly bits: number;
  readonly nonce: number;
  readonly txs: readonly { readonly id: string; readonly kind: string; readonly author: string; readonly time: number }[];
}

function txLine(tx: Tx) {
  return { id: toHex(txId(tx)), kind: kindName(tx.kind), author: toHex(tx.author), time: tx.time };
}

/** A block by hex hash, on the active chain, on a side branch, or among the orphans; null when unknown. */
export function blockDetail(chain: ChainView, key: string): BlockDetail | null {
  const node = chain.get(key);
  let row: BlockRow;
  let block: Block;
  if (node) {
    block = node.block;
    const status: BlockStatus = !chain.isActive(node) ? 'orphan' : node.height <= chain.finalized.height ? 'final' : 'pending';
    row = rowOf(block, node.height, key, status);
  } else {
    const stale = chain.stale.find((s) => s.key === key);
    if (!stale) return null;
    block = stale.block;
    row = rowOf(block, block.header.height, key, 'orphan');
  }
  const h = block.header;
  return { row, prevHash: toHex(h.prevHash), txRoot: toHex(h.txRoot), bits: h.bits, nonce: h.nonce, txs: block.txs.map(txLine) };
}
