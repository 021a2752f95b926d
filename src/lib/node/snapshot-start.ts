/**
 * The fast start from a stored chain-state snapshot (issue 7; SPEC §5 every
 * node validates what it loads). The snapshot must decode (checksum,
 * version), restore (its headers re-checked by the core), start at this
 * network's genesis and name the stored final block or one of its
 * ancestors; otherwise it is ignored and every block is replayed.
 *
 * What the fast path checks of the blocks at or below the snapshot: each
 * active one is stored, its bytes begin with the header the snapshot holds
 * (so its hash is the key) and hash to the digest written with them (a
 * changed byte, signatures included). What it defers: decoding them, their
 * transaction roots, and the replay of their rules and signatures — the
 * deferred check (start-up.ts) and `verifyChain()` do that.
 */
import { bytesEqual } from '../core/bytes';
import { ChainState, type ChainStateOptions } from '../core/chain';
import { DecodeError } from '../core/errors';
import { sha256 } from '../core/hash';
import type { ChainParams } from '../core/params';
import { decodeSnapshot } from '../core/snapshot';
import type { BadBlock } from './stored-block';
import { startMark } from '../adapters/store/marks';
import type { ChainRecords } from '../adapters/store/read';
import type { StoredEntry } from '../adapters/store/types';

export type SnapshotStart =
  | {
      readonly ok: true;
      readonly chain: ChainState;
      /** Height of the snapshot's final block. */
      readonly height: number;
      /** Entries above the snapshot (and damaged records): for the ordinary checks and replay. */
      readonly rest: readonly StoredEntry[];
      readonly bad: readonly BadBlock[];
    }
  | { readonly ok: false; readonly why: string };

/** The chain restored from the stored snapshot with the bodies at or below it attached, or why it cannot be used. */
export function startFromSnapshot(records: ChainRecords, genesisKey: string, params: ChainParams, now: number, options: ChainStateOptions): SnapshotStart {
  const { snapshot: stored, final, blocks: entries } = records;
  if (!stored) return { ok: false, why: 'no snapshot' };
  if (!final || stored.final.height > final.height) return { ok: false, why: 'snapshot above the stored final block' };
  let restored;
  try {
    const decoded = decodeSnapshot(stored.bytes);
    startMark('snapshot:decoded');
    restored = ChainState.restore(params, decoded, now, options);
    startMark('snapshot:restored');
  } catch (e) {
    if (e instanceof DecodeError) return { ok: false, why: `snapshot: ${e.message}` };
    throw e;
  }
  if (!restored.ok) return { ok: false, why: `snapshot: ${restored.message}` };
  const chain = restored.chain;
  if (chain.genesis.key !== genesisKey || chain.finalized.key !== stored.final.key) return { ok: false, why: 'snapshot of another chain' };
  const top = chain.finalized.height;
  const bad: BadBlock[] = [];
  const rest: StoredEntry[] = [];
  const fault = (key: string, height: number, code: BadBlock['code'], what: string) =>
    bad.push({ key, height, code, message: `block ${height} ${key}: ${what} (${code})` });
  for (const e of entries) {
    const node = chain.get(e.key);
    if (!node || node.height > top || !e.block) {
      // Above the snapshot, or damaged: the ordinary checks. At or below it and off its chain: a lost branch.
      if (!e.block || e.block.height > top) rest.push(e);
      continue;
    }
    if (e.block.height !== node.height) fault(e.key, node.height, 'HEIGHT_MISMATCH', `indexed at height ${e.block.height}`);
    else if (!bytesEqual(sha256(e.block.bytes), e.block.digest)) fault(e.key, node.height, 'DIGEST_MISMATCH', 'bytes differ from those written');
    else if (!chain.attachBody(e.key, e.block.bytes)) fault(e.key, node.height, 'KEY_MISMATCH', 'bytes are not the block the snapshot names');
  }
  startMark('snapshot:bodies');
  for (let h = 0; h <= top; h++) {
    const n = chain.atHeight(h)!;
    if (!chain.hasBody(n) && !bad.some((b) => b.key === n.key)) fault(n.key, h, 'MISSING_BLOCK', 'a block of the snapshot is not stored');
  }
  return { ok: true, chain, height: top, rest, bad };
}
