/**
 * Building stored records and checking the shape of what comes back out of
 * storage (SPEC §5 tamper evidence): IndexedDB returns whatever is on disk, so
 * every value is checked field by field before use, and a value of the wrong
 * shape becomes `null` for the loader to name, never an exception.
 */
import type { Block } from '../../core/block';
import { blockHash } from '../../core/block';
import { toHex } from '../../core/bytes';
import { sha256 } from '../../core/hash';
import type { BlockMarker, OrphanRecord, PendingRecord, StoredBlock, StoredEntry } from './types';

/** The record of a block (`bytes` its canonical encoding); `patients` from tx-subjects. */
export function storedBlockOf(block: Block, bytes: Uint8Array, patients: readonly string[]): StoredBlock {
  return { key: toHex(blockHash(block)), height: block.header.height, bytes: own(bytes), digest: sha256(bytes), patients: [...patients] };
}

/**
 * A copy whose buffer holds exactly its bytes: structured clone stores a
 * view's whole buffer, so a subarray would drag its neighbours to disk.
 */
export function own(bytes: Uint8Array): Uint8Array {
  return bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? bytes : bytes.slice();
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;
const isHeight = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
const isHex = (v: unknown): v is string => typeof v === 'string' && /^[0-9a-f]*$/.test(v);

/** A stored block value, or null if any field is missing or of the wrong type, or its key is not `key`. */
export function asStoredBlock(value: unknown, key: string): StoredBlock | null {
  if (!isObject(value)) return null;
  const { height, bytes, digest, patients } = value;
  if (value.key !== key || !isHeight(height) || !(bytes instanceof Uint8Array) || !(digest instanceof Uint8Array)) return null;
  if (!Array.isArray(patients) || !patients.every(isHex)) return null;
  return { key, height, bytes, digest, patients: patients as string[] };
}

export function asMarker(value: unknown): BlockMarker | null {
  return isObject(value) && isHex(value.key) && isHeight(value.height) ? { key: value.key, height: value.height } : null;
}

export function asPending(value: unknown): PendingRecord | null {
  if (!isObject(value) || !isHex(value.key) || !(value.bytes instanceof Uint8Array) || !isHeight(value.time)) return null;
  return { key: value.key, bytes: value.bytes, time: value.time };
}

export function asOrphan(value: unknown): OrphanRecord | null {
  if (!isObject(value) || !isHex(value.key) || !isHex(value.parentKey) || !(value.bytes instanceof Uint8Array) || !isHeight(value.receivedAt)) return null;
  return { key: value.key, parentKey: value.parentKey, bytes: value.bytes, receivedAt: value.receivedAt };
}

/** Well-formed blocks by height then key; damaged entries last, by key. */
export function sortEntries(entries: StoredEntry[]): StoredEntry[] {
  const rank = (e: StoredEntry) => (e.block ? e.block.height : Number.MAX_SAFE_INTEGER);
  return entries.sort((a, b) => rank(a) - rank(b) || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

/** Pending transactions oldest first, ties by id (the pending pool's order). */
export function sortPending(list: PendingRecord[]): PendingRecord[] {
  return list.sort((a, b) => a.time - b.time || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

/** Orphans oldest first, ties by key. */
export function sortOrphans(list: OrphanRecord[]): OrphanRecord[] {
  return list.sort((a, b) => a.receivedAt - b.receivedAt || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}
