/** The shared store suite against the in-memory twin (the same cases run in Chromium against IndexedDB). */
import { describe, it } from 'vitest';
import { sha256 } from '../../../../src/lib/core/hash';
import { MemoryChainStore, MemoryStoreData } from '../../../../src/lib/adapters/store/memory';
import { storeCases, type StoreFixture } from '../../../shared/store-suite';

function memoryFixture(): StoreFixture {
  const data = new MemoryStoreData();
  const record = (key: string) => {
    const v = data.blocks.get(key) as { bytes: Uint8Array; digest: Uint8Array } | undefined;
    if (!v) throw new Error(`no stored block ${key}`);
    return v;
  };
  return {
    open: async (options) => new MemoryChainStore(data, options?.maxOrphans),
    async tamper(key, offset, options) {
      const v = record(key);
      v.bytes[offset]! ^= options?.mask ?? 0x01;
      if (options?.fixDigest) v.digest = sha256(v.bytes);
    },
    async garble(key) {
      data.blocks.set(key, { key, height: 'ten' });
    },
  };
}

describe('store (memory twin): shared suite', () => {
  for (const c of storeCases) it(c.name, () => c.run(memoryFixture()));
});
