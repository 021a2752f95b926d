/**
 * One suite for both sealers (the device key's and the simulator's plain
 * twin): what is sealed under an id opens under that id only, after a
 * reopen too; absent ids open to null. The device sealer's secrecy (a
 * non-extractable key, nothing in clear) is the store suite's.
 */
import { describe, expect, it } from 'vitest';
import { MemoryChainStore, MemoryStoreData } from '../../../src/lib/adapters/store/memory';
import { type Sealer, deviceSealer, plainSealer } from '../../../src/lib/adapters/store/sealer';
import type { ChainStore } from '../../../src/lib/adapters/store/types';

const kinds: [string, (store: ChainStore) => Sealer][] = [
  ['device', deviceSealer],
  ['plain (simulator)', plainSealer],
];

describe.each(kinds)('%s sealer', (_name, make) => {
  it('opens what it sealed, under the same id only, across a reopen', async () => {
    const data = new MemoryStoreData();
    const secret = Uint8Array.from({ length: 32 }, (_, i) => i * 7);
    await make(new MemoryChainStore(data)).seal('node/key', secret);
    const store = new MemoryChainStore(data);
    const s = make(store);
    expect(await s.open('node/key')).toEqual(secret);
    await store.putWrappedKey('node/other', (await store.wrappedKey('node/key'))!);
    expect(await s.open('node/other')).toBeNull();
    expect(await s.open('absent')).toBeNull();
  });

  it('replaces what was sealed under an id', async () => {
    const s = make(new MemoryChainStore(new MemoryStoreData()));
    await s.seal('validator/votes/x', new Uint8Array([1]));
    await s.seal('validator/votes/x', new Uint8Array([2, 3]));
    expect(await s.open('validator/votes/x')).toEqual(new Uint8Array([2, 3]));
  });
});
