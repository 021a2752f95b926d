/**
 * In-memory twin of the IndexedDB store (SPEC §9: every adapter has one, and
 * one shared suite runs against both). The data lives in a
 * {@link MemoryStoreData} that outlives a store object, so a test can close
 * and reopen it like a tab; values are copied in and out as structured clone
 * does. `raw` lets tests damage stored values the way a bad disk would.
 */
import { assert } from '../../core/assert';
import { MemoryBlobStore } from '../../core/blobs';
import { asMarker, asOrphan, asPending, asStoredBlock, own, sortEntries, sortOrphans, sortPending } from './records';
import type { BlockMarker, ChainStore, NetworkMeta, OrphanRecord, PendingRecord, StoreBatch, StoredEntry, StoredSnapshot } from './types';
import { DEFAULT_MAX_ORPHANS, asSnapshot } from './types';

/** The backing "disk": plain maps of unknown values, as storage holds them. */
export class MemoryStoreData {
  readonly blocks = new Map<string, unknown>();
  readonly meta = new Map<string, unknown>();
  readonly pending = new Map<string, unknown>();
  readonly orphans = new Map<string, unknown>();
  readonly keys = new Map<string, Uint8Array>();
  deviceKey: CryptoKey | null = null;
  readonly blobs = new MemoryBlobStore();
}

const copy = <T>(v: T): T => structuredClone(v);

export class MemoryChainStore implements ChainStore {
  readonly kind = 'memory';
  readonly persisted = null;
  private closed = false;

  constructor(
    readonly raw: MemoryStoreData = new MemoryStoreData(),
    private readonly maxOrphans = DEFAULT_MAX_ORPHANS,
  ) {}

  get blobs(): MemoryBlobStore {
    this.open();
    return this.raw.blobs;
  }

  private open(): MemoryStoreData {
    assert(!this.closed, 'store used after close');
    return this.raw;
  }

  async network(): Promise<NetworkMeta | null> {
    const v = this.open().meta.get('network') as Partial<NetworkMeta> | undefined;
    return v && typeof v.networkId === 'string' && typeof v.genesisKey === 'string' ? { networkId: v.networkId, genesisKey: v.genesisKey } : null;
  }

  async setNetwork(meta: NetworkMeta): Promise<boolean> {
    const have = await this.network();
    if (have) return have.networkId === meta.networkId && have.genesisKey === meta.genesisKey;
    this.open().meta.set('network', copy(meta));
    return true;
  }

  async tip(): Promise<BlockMarker | null> {
    return asMarker(this.open().meta.get('tip'));
  }

  async final(): Promise<BlockMarker | null> {
    return asMarker(this.open().meta.get('final'));
  }

  async commit(batch: StoreBatch): Promise<void> {
    const d = this.open();
    for (const b of batch.blocks ?? []) d.blocks.set(b.key, copy({ ...b, bytes: own(b.bytes) }));
    if (batch.tip) d.meta.set('tip', copy(batch.tip));
    if (batch.final) d.meta.set('final', copy(batch.final));
    for (const k of batch.pendingDelete ?? []) d.pending.delete(k);
    for (const p of batch.pendingPut ?? []) d.pending.set(p.key, copy(p));
    for (const k of batch.orphanDelete ?? []) d.orphans.delete(k);
  }

  async block(key: string): Promise<StoredEntry | null> {
    const d = this.open();
    return d.blocks.has(key) ? { key, block: asStoredBlock(copy(d.blocks.get(key)), key) } : null;
  }

  async keysAtHeight(height: number): Promise<string[]> {
    return (await this.blocks())
      .filter((e) => e.block?.height === height)
      .map((e) => e.key)
      .sort();
  }

  async keysOfPatient(patient: string): Promise<string[]> {
    return (await this.blocks())
      .filter((e) => e.block?.patients.includes(patient))
      .map((e) => e.key)
      .sort();
  }

  async blocks(): Promise<StoredEntry[]> {
    return sortEntries([...this.open().blocks].map(([key, v]) => ({ key, block: asStoredBlock(copy(v), key) })));
  }

  async blockCount(): Promise<number> {
    return this.open().blocks.size;
  }

  async deleteBlock(key: string): Promise<void> {
    this.open().blocks.delete(key);
  }

  async snapshot(): Promise<StoredSnapshot | null> {
    return asSnapshot(copy(this.open().meta.get('snapshot')));
  }

  async putSnapshot(snapshot: StoredSnapshot): Promise<void> {
    this.open().meta.set('snapshot', copy({ final: snapshot.final, bytes: own(snapshot.bytes) }));
  }

  async deleteSnapshot(): Promise<void> {
    this.open().meta.delete('snapshot');
  }

  async pending(): Promise<PendingRecord[]> {
    return sortPending([...this.open().pending.values()].map((v) => asPending(copy(v))).filter((p) => p !== null));
  }

  async putOrphan(orphan: OrphanRecord): Promise<string[]> {
    const d = this.open();
    d.orphans.set(orphan.key, copy(orphan));
    const dropped: string[] = [];
    const all = sortOrphans([...d.orphans.values()].map(asOrphan).filter((o) => o !== null));
    for (const o of all.slice(0, Math.max(0, d.orphans.size - this.maxOrphans))) {
      d.orphans.delete(o.key);
      dropped.push(o.key);
    }
    return dropped;
  }

  async orphans(): Promise<OrphanRecord[]> {
    return sortOrphans([...this.open().orphans.values()].map((v) => asOrphan(copy(v))).filter((o) => o !== null));
  }

  async putWrappedKey(id: string, wrapped: Uint8Array): Promise<void> {
    this.open().keys.set(id, wrapped.slice());
  }

  async wrappedKey(id: string): Promise<Uint8Array | null> {
    return this.open().keys.get(id)?.slice() ?? null;
  }

  async deleteWrappedKey(id: string): Promise<void> {
    this.open().keys.delete(id);
  }

  async wrappedKeyIds(): Promise<string[]> {
    return [...this.open().keys.keys()].sort();
  }

  async deviceKey(): Promise<CryptoKey | null> {
    return this.open().deviceKey;
  }

  async setDeviceKey(key: CryptoKey): Promise<boolean> {
    const d = this.open();
    if (d.deviceKey) return false;
    d.deviceKey = key;
    return true;
  }

  close(): void {
    this.closed = true;
  }
}
