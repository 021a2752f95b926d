/**
 * Everything a start needs from the store, read in one go (issue 14): the
 * store hands back records as they are on disk and builds nothing — the
 * node turns them into a chain (node/start-up.ts, node/chain-build.ts).
 * Reading all of it before building also means a build never interleaves
 * its own reads with a writer tab's commits.
 */
import { startMark } from './marks';
import type { BlockMarker, ChainStore, OrphanRecord, PendingRecord, StoredEntry, StoredSnapshot } from './types';

/** The records a chain is built from. Damaged values stay in `blocks` as entries without a block. */
export interface ChainRecords {
  /** Well-formed blocks by height then key, damaged ones last. */
  readonly blocks: readonly StoredEntry[];
  readonly tip: BlockMarker | null;
  readonly final: BlockMarker | null;
  /** Null when none is stored, or when the reader was asked not to read it. */
  readonly snapshot: StoredSnapshot | null;
  /** The pending pool, oldest first. */
  readonly pending: readonly PendingRecord[];
  /** Kept-aside blocks, oldest first. */
  readonly orphans: readonly OrphanRecord[];
}

/** Reads a store's chain records; the snapshot only when `withSnapshot` (a full check never starts from one). */
export async function readChainRecords(store: ChainStore, withSnapshot: boolean): Promise<ChainRecords> {
  const blocks = await store.blocks();
  startMark('load:blocks-read');
  const tip = await store.tip();
  const final = await store.final();
  const snapshot = withSnapshot ? await store.snapshot() : null;
  startMark('load:snapshot-read');
  return { blocks, tip, final, snapshot, pending: await store.pending(), orphans: await store.orphans() };
}
