/**
 * The node's store in IndexedDB (SPEC §5 storage, §6 offline), through `idb`.
 * One database per network and profile; object stores:
 *
 * - `blocks`: {@link StoredBlock} by hex hash, indexes `height` and
 *   `patients` (multi-entry: one entry per patient a block concerns);
 * - `meta`: `network`, `tip`, `final`, `snapshot` (the chain state at a final
 *   block, issue 7), `device-key` (a non-extractable CryptoKey);
 * - `pending`, `orphans` (index `receivedAt`, bounded), `keys` (wrapped key
 *   material by id), `blobs` (bytes by hex SHA-256).
 *
 * {@link ChainStore.commit} is one `readwrite` transaction with
 * `durability: 'strict'` over exactly the stores the batch touches. Every
 * request is issued synchronously inside it and awaited together: an await on
 * anything that is not an IndexedDB request would let the transaction commit
 * half-way. Opening asks for persistent storage and reports the answer.
 */
import { type IDBPDatabase, openDB } from 'idb';
import { asMarker, asOrphan, asPending, asStoredBlock, own, sortEntries, sortOrphans, sortPending } from './records';
import { BLOBS, IdbBlobStore } from './idb-blobs';
import type { BlockMarker, ChainStore, NetworkMeta, OrphanRecord, PendingRecord, StoreBatch, StoredEntry, StoredSnapshot } from './types';
import { DEFAULT_MAX_ORPHANS, asSnapshot } from './types';

export const SCHEMA_VERSION = 1;
const BLOCKS = 'blocks';
const META = 'meta';
const PENDING = 'pending';
const ORPHANS = 'orphans';
const KEYS = 'keys';

/** Creates the object stores and indexes (schema version 1). */
function upgrade(db: IDBPDatabase, oldVersion: number): void {
  if (oldVersion < 1) {
    const blocks = db.createObjectStore(BLOCKS, { keyPath: 'key' });
    blocks.createIndex('height', 'height');
    blocks.createIndex('patients', 'patients', { multiEntry: true });
    db.createObjectStore(META);
    db.createObjectStore(PENDING, { keyPath: 'key' });
    db.createObjectStore(ORPHANS, { keyPath: 'key' }).createIndex('receivedAt', 'receivedAt');
    db.createObjectStore(KEYS);
    db.createObjectStore(BLOBS);
  }
}

export interface IdbStoreOptions {
  readonly maxOrphans?: number;
  /** Ask the browser to keep this origin's storage under pressure (default true). */
  readonly persist?: boolean;
}

/** The database name of a network's store. */
export function storeName(networkId: string): string {
  return `medchain/${networkId}`;
}

/** Opens (creating if needed) the store named `name`. */
export async function openIdbStore(name: string, options: IdbStoreOptions = {}): Promise<IdbChainStore> {
  const db = await openDB(name, SCHEMA_VERSION, {
    upgrade: (d, old) => upgrade(d, old),
    // A newer version of the app in another tab needs the schema: step aside rather than block it.
    blocking: (_current, _next, event) => (event.target as IDBDatabase).close(),
  });
  let persisted: boolean | null = null;
  if (options.persist !== false && typeof navigator !== 'undefined' && navigator.storage?.persist) {
    try {
      persisted = await navigator.storage.persist();
    } catch {
      persisted = false;
    }
  }
  return new IdbChainStore(db, persisted, options.maxOrphans ?? DEFAULT_MAX_ORPHANS);
}

export class IdbChainStore implements ChainStore {
  readonly kind = 'indexeddb';
  readonly blobs: IdbBlobStore;

  constructor(
    private readonly db: IDBPDatabase,
    readonly persisted: boolean | null,
    private readonly maxOrphans: number,
  ) {
    this.blobs = new IdbBlobStore(db);
  }

  async network(): Promise<NetworkMeta | null> {
    const v: unknown = await this.db.get(META, 'network');
    if (typeof v !== 'object' || v === null) return null;
    const { networkId, genesisKey } = v as Record<string, unknown>;
    return typeof networkId === 'string' && typeof genesisKey === 'string' ? { networkId, genesisKey } : null;
  }

  async setNetwork(meta: NetworkMeta): Promise<boolean> {
    const tx = this.db.transaction(META, 'readwrite', { durability: 'strict' });
    const have: unknown = await tx.store.get('network');
    if (have !== undefined) {
      await tx.done;
      const h = have as Partial<NetworkMeta>;
      return h.networkId === meta.networkId && h.genesisKey === meta.genesisKey;
    }
    await Promise.all([tx.store.put({ networkId: meta.networkId, genesisKey: meta.genesisKey }, 'network'), tx.done]);
    return true;
  }

  async tip(): Promise<BlockMarker | null> {
    return asMarker(await this.db.get(META, 'tip'));
  }

  async final(): Promise<BlockMarker | null> {
    return asMarker(await this.db.get(META, 'final'));
  }

  async commit(batch: StoreBatch): Promise<void> {
    const names = new Set<string>();
    if (batch.blocks?.length) names.add(BLOCKS);
    if (batch.tip || batch.final) names.add(META);
    if (batch.pendingPut?.length || batch.pendingDelete?.length) names.add(PENDING);
    if (batch.orphanDelete?.length) names.add(ORPHANS);
    if (names.size === 0) return;
    const tx = this.db.transaction([...names], 'readwrite', { durability: 'strict' });
    // Every request is issued now, synchronously; only then do we await them all.
    const requests: Promise<unknown>[] = [];
    for (const b of batch.blocks ?? [])
      requests.push(tx.objectStore(BLOCKS).put({ key: b.key, height: b.height, bytes: own(b.bytes), digest: own(b.digest), patients: [...b.patients] }));
    if (batch.tip) requests.push(tx.objectStore(META).put({ ...batch.tip }, 'tip'));
    if (batch.final) requests.push(tx.objectStore(META).put({ ...batch.final }, 'final'));
    for (const k of batch.pendingDelete ?? []) requests.push(tx.objectStore(PENDING).delete(k));
    for (const p of batch.pendingPut ?? []) requests.push(tx.objectStore(PENDING).put({ key: p.key, bytes: own(p.bytes), time: p.time }));
    for (const k of batch.orphanDelete ?? []) requests.push(tx.objectStore(ORPHANS).delete(k));
    await Promise.all([...requests, tx.done]);
  }

  async block(key: string): Promise<StoredEntry | null> {
    const v: unknown = await this.db.get(BLOCKS, key);
    return v === undefined ? null : { key, block: asStoredBlock(v, key) };
  }

  async keysAtHeight(height: number): Promise<string[]> {
    return (await this.db.getAllKeysFromIndex(BLOCKS, 'height', height)).map(String).sort();
  }

  async keysOfPatient(patient: string): Promise<string[]> {
    return (await this.db.getAllKeysFromIndex(BLOCKS, 'patients', patient)).map(String).sort();
  }

  async blocks(): Promise<StoredEntry[]> {
    const tx = this.db.transaction(BLOCKS, 'readonly');
    const [keys, values] = await Promise.all([tx.store.getAllKeys(), tx.store.getAll(), tx.done]);
    return sortEntries(keys.map((k, i) => ({ key: String(k), block: asStoredBlock(values[i], String(k)) })));
  }

  async blockCount(): Promise<number> {
    return this.db.count(BLOCKS);
  }

  async deleteBlock(key: string): Promise<void> {
    const tx = this.db.transaction(BLOCKS, 'readwrite', { durability: 'strict' });
    await Promise.all([tx.store.delete(key), tx.done]);
  }

  async snapshot(): Promise<StoredSnapshot | null> {
    return asSnapshot(await this.db.get(META, 'snapshot'));
  }

  async putSnapshot(snapshot: StoredSnapshot): Promise<void> {
    // The bytes are encoded before this transaction opens: nothing but IndexedDB requests is awaited inside it.
    const tx = this.db.transaction(META, 'readwrite', { durability: 'strict' });
    await Promise.all([tx.store.put({ final: { ...snapshot.final }, bytes: own(snapshot.bytes) }, 'snapshot'), tx.done]);
  }

  async deleteSnapshot(): Promise<void> {
    const tx = this.db.transaction(META, 'readwrite', { durability: 'strict' });
    await Promise.all([tx.store.delete('snapshot'), tx.done]);
  }

  async pending(): Promise<PendingRecord[]> {
    return sortPending((await this.db.getAll(PENDING)).map(asPending).filter((p) => p !== null));
  }

  async putOrphan(orphan: OrphanRecord): Promise<string[]> {
    const tx = this.db.transaction(ORPHANS, 'readwrite', { durability: 'strict' });
    await tx.store.put({ ...orphan, bytes: own(orphan.bytes) });
    let excess = (await tx.store.count()) - this.maxOrphans;
    const dropped: string[] = [];
    // Oldest first by the receivedAt index; every await here is an IndexedDB request of this transaction.
    let cursor = excess > 0 ? await tx.store.index('receivedAt').openCursor() : null;
    while (cursor && excess > 0) {
      dropped.push(String(cursor.primaryKey));
      await cursor.delete();
      excess--;
      cursor = await cursor.continue();
    }
    await tx.done;
    return dropped;
  }

  async orphans(): Promise<OrphanRecord[]> {
    return sortOrphans((await this.db.getAll(ORPHANS)).map(asOrphan).filter((o) => o !== null));
  }

  async putWrappedKey(id: string, wrapped: Uint8Array): Promise<void> {
    const tx = this.db.transaction(KEYS, 'readwrite', { durability: 'strict' });
    await Promise.all([tx.store.put(own(wrapped), id), tx.done]);
  }

  async wrappedKey(id: string): Promise<Uint8Array | null> {
    const v: unknown = await this.db.get(KEYS, id);
    return v instanceof Uint8Array ? v : null;
  }

  async deleteWrappedKey(id: string): Promise<void> {
    await this.db.delete(KEYS, id);
  }

  async wrappedKeyIds(): Promise<string[]> {
    return (await this.db.getAllKeys(KEYS)).map(String).sort();
  }

  async deviceKey(): Promise<CryptoKey | null> {
    const v: unknown = await this.db.get(META, 'device-key');
    return typeof CryptoKey !== 'undefined' && v instanceof CryptoKey ? v : null;
  }

  async setDeviceKey(key: CryptoKey): Promise<boolean> {
    // One transaction: two tabs racing to make the key cannot both write one.
    const tx = this.db.transaction(META, 'readwrite', { durability: 'strict' });
    if ((await tx.store.get('device-key')) !== undefined) {
      await tx.done;
      return false;
    }
    await Promise.all([tx.store.put(key, 'device-key'), tx.done]);
    return true;
  }

  close(): void {
    this.db.close();
  }
}
