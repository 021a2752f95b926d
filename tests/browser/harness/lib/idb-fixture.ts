/**
 * The shared store suite's fixture over real IndexedDB: a fresh database per
 * case; `tamper` and `garble` change the stored value through a raw
 * IndexedDB connection, as a damaged disk or someone editing the profile would.
 */
import { deleteDB, openDB } from 'idb';
import { sha256 } from '../../../../src/lib/core/hash';
import { nobleVerifier } from '../../../../src/lib/core/signature';
import { openIdbStore } from '../../../../src/lib/adapters/store/idb';
import { primedVerifier, webcryptoEd25519Available } from '../../../../src/lib/adapters/webcrypto-ed25519';
import type { StoreFixture } from '../../../shared/store-suite';

let counter = 0;

/** Rewrites the stored value of a block with `change` in one raw transaction. */
export async function rawUpdate(dbName: string, key: string, change: (v: Record<string, unknown>) => unknown): Promise<void> {
  const db = await openDB(dbName);
  const tx = db.transaction('blocks', 'readwrite');
  const v = (await tx.store.get(key)) as Record<string, unknown> | undefined;
  if (!v) throw new Error(`no stored block ${key}`);
  await tx.store.put(change(v));
  await tx.done;
  db.close();
}

export async function idbFixture(prefix: string): Promise<{ fixture: StoreFixture; dispose(): Promise<void> }> {
  const name = `${prefix}-${Date.now()}-${++counter}`;
  const verifier = (await webcryptoEd25519Available()) ? primedVerifier(nobleVerifier) : nobleVerifier;
  const fixture: StoreFixture = {
    verifier,
    open: (options) => openIdbStore(name, { maxOrphans: options?.maxOrphans }),
    tamper: (key, offset, options) =>
      rawUpdate(name, key, (v) => {
        const bytes = v.bytes as Uint8Array;
        bytes[offset]! ^= options?.mask ?? 0x01;
        return options?.fixDigest ? { ...v, bytes, digest: sha256(bytes) } : { ...v, bytes };
      }),
    garble: (key) => rawUpdate(name, key, () => ({ key, height: 'ten' })),
  };
  return { fixture, dispose: () => deleteDB(name) };
}
