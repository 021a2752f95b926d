/**
 * The node's persistent store (SPEC §5 storage, §6 offline writes): the
 * narrow interface the browser's IndexedDB store ({@link openIdbStore}) and
 * its in-memory twin ({@link MemoryChainStore}) both implement, so one shared
 * test suite runs against each.
 *
 * What it holds: blocks (encoded bytes under the hex hash of their header,
 * indexed by height and by the patients they concern), the tip and the final
 * marker, the pending pool (offline writes survive a closed tab), blocks with
 * unknown parents (bounded), keys wrapped for this device (opaque bytes: the
 * store never sees a plaintext secret) and the content-addressed blobs.
 *
 * Crash safety: {@link ChainStore.commit} is one transaction with strict
 * durability, so a block and the tip that points to it land together or not
 * at all; a tab killed at any moment reopens to a valid chain. Reads never
 * throw on damaged data: a stored value of the wrong shape comes back as
 * `null` inside a {@link StoredEntry}, and the node's start-up names it
 * (node/chain-build.ts: the store only reads and writes records).
 */
import type { BlobStore } from '../../core/blobs';

/** A stored block. `key` is the hex hash of its header. */
export interface StoredBlock {
  readonly key: string;
  readonly height: number;
  /** The canonical encoding of the block. */
  readonly bytes: Uint8Array;
  /** SHA-256 of `bytes`: catches a changed byte the header does not commit to (signatures) without replaying them. */
  readonly digest: Uint8Array;
  /** Hex ids of the patients its transactions concern (the by-patient index). */
  readonly patients: readonly string[];
}

/** A stored value by key; `block` is null when the value is not a well-formed record (damaged storage). */
export interface StoredEntry {
  readonly key: string;
  readonly block: StoredBlock | null;
}

/** A block named by hash and height (the tip, the last final block). */
export interface BlockMarker {
  readonly key: string;
  readonly height: number;
}

/** Which network this store belongs to: one store per network. */
export interface NetworkMeta {
  readonly networkId: string;
  /** Hex hash of the genesis block. */
  readonly genesisKey: string;
}

/** A pending transaction (encoded), kept until a block confirms it. */
export interface PendingRecord {
  /** Hex transaction id. */
  readonly key: string;
  readonly bytes: Uint8Array;
  /** The transaction's own time (seconds), for ordering. */
  readonly time: number;
}

/** A block whose parent is not known yet (encoded). */
export interface OrphanRecord {
  readonly key: string;
  readonly parentKey: string;
  readonly bytes: Uint8Array;
  /** When it was received (node clock, seconds): the oldest is dropped first. */
  readonly receivedAt: number;
}

/**
 * The chain-state snapshot at a final block (issue 7; core/snapshot.ts):
 * its encoded bytes carry their own checksum and version. Written after the
 * final marker it belongs to is on disk, so the stored final block is
 * always at or above it; one that is damaged, of another version or not on
 * the stored chain is ignored (the node replays every block instead).
 */
export interface StoredSnapshot {
  /** The final block the snapshot describes. */
  readonly final: BlockMarker;
  readonly bytes: Uint8Array;
}

/** Everything one {@link ChainStore.commit} writes: all of it or none of it. */
export interface StoreBatch {
  readonly blocks?: readonly StoredBlock[];
  readonly tip?: BlockMarker;
  readonly final?: BlockMarker;
  readonly pendingPut?: readonly PendingRecord[];
  readonly pendingDelete?: readonly string[];
  /** Kept-aside blocks that were adopted or dropped. */
  readonly orphanDelete?: readonly string[];
}

export interface ChainStore {
  readonly kind: 'memory' | 'indexeddb';
  /** Whether the browser granted persistent storage at open (null where there is no such thing). */
  readonly persisted: boolean | null;
  network(): Promise<NetworkMeta | null>;
  /** Binds an empty store to a network; false (and nothing written) when it already holds another. */
  setNetwork(meta: NetworkMeta): Promise<boolean>;
  tip(): Promise<BlockMarker | null>;
  final(): Promise<BlockMarker | null>;
  /** Writes a batch in one strict-durability transaction. */
  commit(batch: StoreBatch): Promise<void>;
  block(key: string): Promise<StoredEntry | null>;
  /** Hex hashes of the stored blocks at a height (several on forks), sorted. */
  keysAtHeight(height: number): Promise<string[]>;
  /** Hex hashes of the stored blocks concerning a patient (hex id), sorted. */
  keysOfPatient(patient: string): Promise<string[]>;
  /** Every stored block, well-formed records by height then key, damaged ones last. */
  blocks(): Promise<StoredEntry[]>;
  blockCount(): Promise<number>;
  deleteBlock(key: string): Promise<void>;
  /** The chain-state snapshot, if one was written and its record is well-formed. */
  snapshot(): Promise<StoredSnapshot | null>;
  /** Replaces the snapshot, in one strict-durability transaction. */
  putSnapshot(snapshot: StoredSnapshot): Promise<void>;
  deleteSnapshot(): Promise<void>;
  /** The pending pool, oldest first. */
  pending(): Promise<PendingRecord[]>;
  /** Keeps a block aside; when more than the bound are kept the oldest go. Returns the keys dropped. */
  putOrphan(orphan: OrphanRecord): Promise<string[]>;
  orphans(): Promise<OrphanRecord[]>;
  /** Stores key material already wrapped for this device (never a plaintext secret). */
  putWrappedKey(id: string, wrapped: Uint8Array): Promise<void>;
  wrappedKey(id: string): Promise<Uint8Array | null>;
  deleteWrappedKey(id: string): Promise<void>;
  wrappedKeyIds(): Promise<string[]>;
  /** This device's non-extractable wrapping key (see device-key.ts), if one was made. */
  deviceKey(): Promise<CryptoKey | null>;
  /** Stores the device key; false (nothing written) when there already is one. */
  setDeviceKey(key: CryptoKey): Promise<boolean>;
  readonly blobs: BlobStore;
  close(): void;
}

/** Reads a stored snapshot record; null when it is not one (damaged storage). */
export function asSnapshot(v: unknown): StoredSnapshot | null {
  if (typeof v !== 'object' || v === null) return null;
  const { final, bytes } = v as Record<string, unknown>;
  if (!(bytes instanceof Uint8Array) || typeof final !== 'object' || final === null) return null;
  const { key, height } = final as Record<string, unknown>;
  if (typeof key !== 'string' || typeof height !== 'number' || !Number.isSafeInteger(height) || height < 0) return null;
  return { final: { key, height }, bytes };
}

/** Most kept-aside blocks by default (the default network's params.maxOrphans). */
export const DEFAULT_MAX_ORPHANS = 64;
