/**
 * The store's shared test suite (SPEC §9: one suite, every adapter): the same
 * cases run in Node against the in-memory twin
 * (tests/unit/adapters/store/memory.test.ts) and in Chromium against
 * IndexedDB (tests/browser/store.spec.ts). A case gets a {@link StoreFixture}
 * over fresh, empty storage and throws on failure. The loading cases run the
 * node's build of the chain from the store's records (src/lib/node/chain-build.ts)
 * over each store, so damage is named the same way on both.
 */
import { type Block, encodeBlock } from '../../src/lib/core/block';
import { toHex } from '../../src/lib/core/bytes';
import { ChainState } from '../../src/lib/core/chain';
import { demoChain } from '../../src/lib/core/demo';
import { sha256 } from '../../src/lib/core/hash';
import { blobRefOf } from '../../src/lib/core/blobs';
import type { ChainParams } from '../../src/lib/core/params';
import { blockPatients, ledgerLookup, txPatients } from '../../src/lib/core/tx-subjects';
import { acceptedBatch, initStore, pendingRecord } from '../../src/lib/adapters/store/batch';
import { loadChain, type LoadOptions, type LoadReport } from '../../src/lib/node/chain-build';
import { blockTemplate, mineBlock } from '../../src/lib/core/template';
import { encodeSnapshot } from '../../src/lib/core/snapshot';
import { unwrapForDevice, wrapForDevice } from '../../src/lib/adapters/store/device-key';
import { repairBlock } from '../../src/lib/node/repair';
import type { ChainStore } from '../../src/lib/adapters/store/types';
import { ledgerRules } from '../../src/lib/core/rules';

export interface StoreFixture {
  /** Opens the store; again after a close, the same data (a tab reopened). */
  open(options?: { maxOrphans?: number }): Promise<ChainStore>;
  /**
   * Changes stored bytes of a block directly in storage, as a bad disk or a
   * tamperer would: XORs `mask` into byte `offset`; with `fixDigest` also
   * rewrites the stored digest so only a signature replay can notice.
   */
  tamper(key: string, offset: number, options?: { fixDigest?: boolean; mask?: number }): Promise<void>;
  /** Replaces a stored block's value with something that is not a block record. */
  garble(key: string): Promise<void>;
  /** The verifier a full check uses on this platform. */
  readonly verifier?: LoadOptions['verifier'];
}

export interface StoreCase {
  readonly name: string;
  run(fx: StoreFixture): Promise<void>;
}

function check(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(`check failed: ${message}`);
}
function equal<T>(actual: T, expected: T, what: string): void {
  const a = JSON.stringify(actual);
  const e = JSON.stringify(expected);
  if (a !== e) throw new Error(`${what}: expected ${e}, got ${a}`);
}

let demo: { params: ChainParams; blocks: Block[] } | null = null;
/** A 12-block demo chain with real patients, records and consent (built once). */
export function demoBlocks(): { params: ChainParams; blocks: Block[] } {
  demo ??= demoChain({ blocks: 12, seed: 'store-suite' });
  return demo;
}
const lastTime = () => demoBlocks().blocks.at(-1)!.header.time;
/** The clock of every case: a little after the last demo block. */
export const suiteNow = () => lastTime() + 600;

/** Writes genesis and then blocks 1..upTo through the core, one batch per block; returns the chain. */
export async function writeChain(store: ChainStore, upTo: number): Promise<ChainState> {
  const { params, blocks } = demoBlocks();
  const chain = new ChainState(params, blocks[0]!, suiteNow(), { rules: ledgerRules });
  check(await initStore(store, chain), 'store binds to the network');
  for (const b of blocks.slice(1, upTo + 1)) {
    const bytes = encodeBlock(b);
    const r = chain.addBlockBytes(bytes, suiteNow());
    check(r.status === 'accepted', `demo block ${b.header.height} accepted (${r.status})`);
    await store.commit(acceptedBatch(chain, r, bytes));
  }
  return chain;
}

async function load(fx: StoreFixture, store: ChainStore, mode: 'fast' | 'full' = 'fast'): Promise<LoadReport> {
  return loadChain(store, demoBlocks().params, { now: suiteNow(), mode, verifier: fx.verifier });
}

/** Writes the whole demo chain, closes, applies `damage` to storage, and reopens. */
async function damagedStore(fx: StoreFixture, damage: () => Promise<void>): Promise<ChainStore> {
  const store = await fx.open();
  await writeChain(store, TOP);
  store.close();
  await damage();
  return fx.open();
}

const keyAt = (h: number) => toHex(sha256(encodeBlock(demoBlocks().blocks[h]!).subarray(0, 118)));
const TOP = 12;
/** Offset of the first transaction's author key (header 118, count 1, version 1, kind 1). */
const AUTHOR_OFFSET = 121;

export const storeCases: readonly StoreCase[] = [
  {
    name: 'blocks round-trip under their hash, with the height and patient indexes',
    async run(fx) {
      const store = await fx.open();
      const chain = await writeChain(store, TOP);
      equal(await store.blockCount(), TOP + 1, 'block count');
      equal(await store.tip(), { key: chain.tip.key, height: TOP }, 'tip');
      for (let h = 0; h <= TOP; h++) {
        const entry = await store.block(keyAt(h));
        check(entry?.block, `block ${h} stored`);
        equal(toHex(entry.block.bytes), toHex(encodeBlock(demoBlocks().blocks[h]!)), `bytes of block ${h}`);
        equal(await store.keysAtHeight(h), [keyAt(h)], `height index ${h}`);
      }
      // Every block that names a patient is found under that patient, and nothing else is.
      const lookup = ledgerLookup(chain.ledger!);
      const patients = new Set(demoBlocks().blocks.flatMap((b) => blockPatients(b.txs, lookup)));
      check(patients.size >= 3, 'the demo chain concerns several patients');
      for (const p of patients) {
        const expected = demoBlocks()
          .blocks.filter((b) => b.txs.some((tx) => txPatients(tx, lookup).includes(p)))
          .map((b) => keyAt(b.header.height));
        equal(await store.keysOfPatient(p), expected.sort(), `patient index ${p.slice(0, 8)}`);
      }
      equal(await store.keysOfPatient('00'.repeat(32)), [], 'unknown patient');
      store.close();
    },
  },
  {
    name: 'a fast load and a full check rebuild the same chain and ledger',
    async run(fx) {
      const store = await fx.open();
      const chain = await writeChain(store, TOP);
      for (const mode of ['fast', 'full'] as const) {
        const r = await load(fx, store, mode);
        check(r.ok && r.chain, `${mode} load ok: ${JSON.stringify(r.bad)}`);
        equal(r.chain.tip.key, chain.tip.key, `${mode} tip`);
        equal(r.chain.ledger!.memberIds(), chain.ledger!.memberIds(), `${mode} validators`);
        const ids = (c: ChainState) => [...c.ledger!.records.values()].map((x) => x.id).sort();
        check(ids(chain).length > 0, 'the demo chain has records');
        equal(ids(r.chain), ids(chain), `${mode} records`);
      }
      store.close();
    },
  },
  {
    name: 'a side branch and the final marker are kept and loaded as they were',
    async run(fx) {
      const store = await fx.open();
      const chain = await writeChain(store, TOP);
      const parent = chain.atHeight(TOP - 1)!;
      const rival = mineBlock(blockTemplate(chain, parent, [], chain.tip.header.time, new Uint8Array(32).fill(9)));
      const bytes = encodeBlock(rival);
      const r = chain.addBlockBytes(bytes, suiteNow());
      check(r.status === 'accepted', `rival accepted (${r.status})`);
      await store.commit({ ...acceptedBatch(chain, r, bytes), final: { key: keyAt(5), height: 5 } });
      equal((await store.keysAtHeight(TOP)).length, 2, 'both blocks at the top height');
      const loaded = await load(fx, store);
      check(loaded.ok && loaded.chain, 'loads');
      equal(loaded.chain.blockCount, TOP + 2, 'every block known');
      equal(loaded.chain.tip.key, chain.tip.key, 'same fork choice');
      equal(loaded.chain.finalized.key, keyAt(5), 'final marker restored');
      store.close();
    },
  },
  {
    name: 'closing and reopening mid-sequence keeps every committed block',
    async run(fx) {
      let store = await fx.open();
      await writeChain(store, 5);
      store.close();
      store = await fx.open();
      const mid = await load(fx, store);
      check(mid.ok && mid.chain?.height === 5, `reopened at height 5 (${mid.chain?.height})`);
      for (const b of demoBlocks().blocks.slice(6)) {
        const bytes = encodeBlock(b);
        const r = mid.chain.addBlockBytes(bytes, suiteNow());
        check(r.status === 'accepted', 'continues after reopen');
        await store.commit(acceptedBatch(mid.chain, r, bytes));
      }
      store.close();
      store = await fx.open();
      const end = await load(fx, store);
      check(end.ok && end.chain?.tip.key === keyAt(TOP), 'reopened at the top');
      store.close();
    },
  },
  {
    name: 'a changed transaction byte is detected on open and named (BAD_TX_ROOT); descendants wait',
    async run(fx) {
      const store = await damagedStore(fx, () => fx.tamper(keyAt(7), AUTHOR_OFFSET));
      const r = await load(fx, store);
      check(!r.ok, 'damage reported');
      equal(
        r.bad.map((b) => [b.key, b.height, b.code]),
        [[keyAt(7), 7, 'BAD_TX_ROOT']],
        'named',
      );
      equal(r.refetch, [keyAt(7)], 'to fetch again');
      equal(r.detached, [8, 9, 10, 11, 12].map(keyAt), 'descendants set aside');
      equal(r.chain?.tip.key, keyAt(6), 'the chain stops before the damage');
      store.close();
    },
  },
  {
    name: 'a changed header byte is KEY_MISMATCH; a changed signature byte DIGEST_MISMATCH',
    async run(fx) {
      const sigOffset = encodeBlock(demoBlocks().blocks[9]!).length - 1;
      const store = await damagedStore(fx, async () => {
        await fx.tamper(keyAt(3), 40);
        await fx.tamper(keyAt(9), sigOffset);
      });
      const r = await load(fx, store);
      equal(
        r.bad.map((b) => [b.key, b.height, b.code]),
        [
          [keyAt(3), 3, 'KEY_MISMATCH'],
          [keyAt(9), 9, 'DIGEST_MISMATCH'],
        ],
        'both named',
      );
      equal(r.chain?.height, 2, 'chain before the first damage');
      store.close();
    },
  },
  {
    name: 'a signature altered with its digest rewritten passes the fast path and fails the full check',
    async run(fx) {
      const offset = encodeBlock(demoBlocks().blocks[4]!).length - 10;
      const store = await damagedStore(fx, () => fx.tamper(keyAt(4), offset, { fixDigest: true }));
      check((await load(fx, store, 'fast')).ok, 'the fast path does not replay signatures');
      const full = await load(fx, store, 'full');
      equal(
        full.bad.map((b) => [b.key, b.height, b.code]),
        [[keyAt(4), 4, 'BAD_TX_SIGNATURE']],
        'full check names it',
      );
      store.close();
    },
  },
  {
    name: 'repair: wrong bytes are refused, the right bytes make the chain valid again',
    async run(fx) {
      const store = await damagedStore(fx, async () => {
        await fx.tamper(keyAt(5), AUTHOR_OFFSET + 3);
        await fx.garble(keyAt(10));
      });
      const r = await load(fx, store);
      equal(
        r.bad.map((b) => [b.key, b.code]),
        [
          [keyAt(5), 'BAD_TX_ROOT'],
          [keyAt(10), 'BAD_RECORD'],
        ],
        'both named',
      );
      const { params, blocks } = demoBlocks();
      const opts = { now: suiteNow(), chain: r.chain };
      const wrong = await repairBlock(store, params, keyAt(5), encodeBlock(blocks[6]!), opts);
      check(!wrong.ok && wrong.code === 'KEY_MISMATCH', 'another block is refused');
      const damaged = encodeBlock(blocks[5]!);
      damaged[damaged.length - 1]! ^= 1;
      const forged = await repairBlock(store, params, keyAt(5), damaged, opts);
      check(!forged.ok && forged.code === 'BAD_TX_SIGNATURE', `bad signature refused (${forged.ok || forged.code})`);
      for (const h of [5, 10]) {
        const reload = await load(fx, store);
        const ok = await repairBlock(store, params, keyAt(h), encodeBlock(blocks[h]!), { now: suiteNow(), chain: reload.chain });
        check(ok.ok, `repair of block ${h}`);
      }
      const after = await load(fx, store);
      check(after.ok && after.chain?.tip.key === keyAt(TOP), 'valid again, same tip');
      store.close();
    },
  },
  {
    name: 'a missing block is named (MISSING_BLOCK) and a missing genesis leaves no chain',
    async run(fx) {
      const store = await fx.open();
      await writeChain(store, TOP);
      await store.deleteBlock(keyAt(8));
      let r = await load(fx, store);
      equal(
        r.bad.map((b) => [b.key, b.height, b.code]),
        [[keyAt(8), 8, 'MISSING_BLOCK']],
        'parent named',
      );
      equal(r.chain?.height, 7, 'chain to the gap');
      await store.deleteBlock(keyAt(0));
      r = await load(fx, store);
      check(r.chain === null && r.bad.some((b) => b.key === keyAt(0) && b.code === 'MISSING_BLOCK'), 'genesis named');
      store.close();
    },
  },
  {
    name: 'pending transactions survive a reopen and leave the pool when a block confirms them',
    async run(fx) {
      let store = await fx.open();
      await writeChain(store, TOP - 1);
      const waiting = demoBlocks().blocks[TOP]!.txs;
      await store.commit({ pendingPut: waiting.map(pendingRecord) });
      store.close();
      store = await fx.open();
      equal((await store.pending()).map((p) => p.key).sort(), waiting.map((tx) => pendingRecord(tx).key).sort(), 'kept across reopen');
      const r = await load(fx, store);
      equal([r.pendingRestored, r.pendingDropped.length], [waiting.length, 0], 'restored to the pool');
      equal(r.chain!.pending.size, waiting.length, 'in the chain state');
      const bytes = encodeBlock(demoBlocks().blocks[TOP]!);
      const added = r.chain!.addBlockBytes(bytes, suiteNow());
      check(added.status === 'accepted', 'confirming block');
      await store.commit(acceptedBatch(r.chain!, added, bytes));
      equal(await store.pending(), [], 'confirmed ones removed in the same batch');
      store.close();
    },
  },
  {
    name: 'orphans are bounded: the oldest go first',
    async run(fx) {
      const store = await fx.open({ maxOrphans: 3 });
      const blocks = demoBlocks().blocks;
      const dropped: string[] = [];
      for (let i = 1; i <= 5; i++)
        dropped.push(...(await store.putOrphan({ key: keyAt(i), parentKey: keyAt(i - 1), bytes: encodeBlock(blocks[i]!), receivedAt: 100 + i })));
      equal(dropped, [keyAt(1), keyAt(2)], 'dropped');
      equal(
        (await store.orphans()).map((o) => o.key),
        [keyAt(3), keyAt(4), keyAt(5)],
        'kept, oldest first',
      );
      await store.commit({ orphanDelete: [keyAt(4)] });
      equal(
        (await store.orphans()).map((o) => o.key),
        [keyAt(3), keyAt(5)],
        'adopted one removed',
      );
      store.close();
    },
  },
  {
    name: 'secrets are wrapped under a non-extractable device key and open only as written',
    async run(fx) {
      let store = await fx.open();
      const secret = Uint8Array.from({ length: 32 }, (_, i) => 200 - i);
      await wrapForDevice(store, 'node-key', secret);
      const key = await store.deviceKey();
      check(key && !key.extractable, 'device key made, not extractable');
      let exported = true;
      await crypto.subtle.exportKey('raw', key).catch(() => (exported = false));
      check(!exported, 'the device key cannot be read out');
      const stored = (await store.wrappedKey('node-key'))!;
      check(!toHex(stored).includes(toHex(secret.subarray(0, 8))), 'stored bytes do not hold the secret');
      store.close();
      store = await fx.open();
      equal(toHex((await unwrapForDevice(store, 'node-key'))!), toHex(secret), 'opens after reopen');
      await store.putWrappedKey('moved', stored);
      equal(await unwrapForDevice(store, 'moved'), null, 'moved to another id: does not open');
      stored[20]! ^= 1;
      await store.putWrappedKey('node-key', stored);
      equal(await unwrapForDevice(store, 'node-key'), null, 'altered: does not open');
      equal(await unwrapForDevice(store, 'absent'), null, 'absent');
      check(!(await store.setDeviceKey(key)), 'one device key per store');
      store.close();
    },
  },
  {
    name: 'a fast load from the snapshot at the final block equals a full replay; a damaged or foreign snapshot is ignored',
    async run(fx) {
      const store = await fx.open();
      const chain = await writeChain(store, TOP);
      await store.commit({ final: { key: keyAt(8), height: 8 } });
      chain.markFinal(keyAt(8));
      const bytes = encodeSnapshot(chain.snapshot());
      await store.putSnapshot({ final: { key: keyAt(8), height: 8 }, bytes });
      equal(toHex((await store.snapshot())!.bytes), toHex(bytes), 'snapshot stored');
      const replayed = await loadChain(store, demoBlocks().params, { now: suiteNow(), snapshot: false });
      const fast = await load(fx, store);
      check(fast.ok && fast.chain && replayed.chain, `fast load ok: ${JSON.stringify(fast.bad)}`);
      equal(fast.snapshot, { height: 8 }, 'started from the snapshot');
      equal(replayed.snapshot, { ignored: 'not asked' }, 'the replay did not');
      equal(fast.chain.tip.key, replayed.chain.tip.key, 'tip');
      equal(fast.chain.finalized.key, keyAt(8), 'final');
      // Deep-equal tables (a restored object lists its fields in sorted order).
      const canon = (v: unknown) =>
        JSON.stringify(v, (_k, x: unknown) => (x && typeof x === 'object' && !Array.isArray(x) ? Object.fromEntries(Object.entries(x).sort()) : x));
      equal(canon(fast.chain.ledger!.tables()), canon(replayed.chain.ledger!.tables()), 'ledger');
      equal(toHex(encodeBlock(fast.chain.atHeight(3)!.block)), toHex(encodeBlock(demoBlocks().blocks[3]!)), 'bodies below the snapshot read from the store');
      const flipped = bytes.slice();
      flipped[200]! ^= 1;
      await store.putSnapshot({ final: { key: keyAt(8), height: 8 }, bytes: flipped });
      const damaged = await load(fx, store);
      check(damaged.ok && damaged.chain?.tip.key === chain.tip.key, 'a damaged snapshot: the full replay');
      check('ignored' in damaged.snapshot && /checksum/.test(damaged.snapshot.ignored), `ignored as damaged: ${JSON.stringify(damaged.snapshot)}`);
      await store.putSnapshot({ final: { key: keyAt(9), height: 9 }, bytes });
      const wrong = await load(fx, store);
      check(wrong.ok && 'ignored' in wrong.snapshot, 'a snapshot not of the final block it claims is ignored');
      await store.deleteSnapshot();
      equal(await store.snapshot(), null, 'deleted');
      store.close();
    },
  },
  {
    name: 'with a snapshot, a changed byte in a block below it is named at once, or by the full check when its digest was rewritten',
    async run(fx) {
      const store = await fx.open();
      const chain = await writeChain(store, TOP);
      await store.commit({ final: { key: keyAt(10), height: 10 } });
      chain.markFinal(keyAt(10));
      await store.putSnapshot({ final: { key: keyAt(10), height: 10 }, bytes: encodeSnapshot(chain.snapshot()) });
      store.close();
      await fx.tamper(keyAt(3), AUTHOR_OFFSET);
      await fx.tamper(keyAt(6), AUTHOR_OFFSET, { fixDigest: true });
      const reopened = await fx.open();
      const fast = await load(fx, reopened);
      equal(fast.snapshot, { height: 10 }, 'started from the snapshot');
      check(fast.chain?.tip.key === chain.tip.key, 'the chain itself is whole');
      equal(
        fast.bad.map((b) => [b.key, b.code]),
        [[keyAt(3), 'DIGEST_MISMATCH']],
        'the changed byte is named',
      );
      const full = await load(fx, reopened, 'full');
      check(!full.ok && full.bad.some((b) => b.key === keyAt(6)), `the full check names the rewritten block: ${JSON.stringify(full.bad)}`);
      reopened.close();
    },
  },
  {
    name: 'network binding, wrapped keys and blobs',
    async run(fx) {
      let store = await fx.open();
      check(await store.setNetwork({ networkId: 'n1', genesisKey: 'aa' }), 'binds');
      check(await store.setNetwork({ networkId: 'n1', genesisKey: 'aa' }), 'same network again');
      check(!(await store.setNetwork({ networkId: 'n2', genesisKey: 'aa' })), 'another network refused');
      const wrapped = Uint8Array.from({ length: 72 }, (_, i) => i);
      await store.putWrappedKey('node', wrapped);
      await store.putWrappedKey('patient', wrapped.slice(1));
      const good = Uint8Array.from({ length: 1000 }, (_, i) => i % 251);
      const ref = blobRefOf(good);
      check((await store.blobs.put(ref, good)).ok, 'blob stored');
      check(!(await store.blobs.put(ref, good.slice(1))).ok, 'bytes not matching their hash refused');
      store.close();
      store = await fx.open();
      equal(await store.network(), { networkId: 'n1', genesisKey: 'aa' }, 'network kept');
      equal(await store.wrappedKeyIds(), ['node', 'patient'], 'key ids');
      equal(toHex((await store.wrappedKey('node'))!), toHex(wrapped), 'wrapped bytes');
      await store.deleteWrappedKey('node');
      equal(await store.wrappedKey('node'), null, 'deleted');
      equal(toHex((await store.blobs.get(ref))!), toHex(good), 'blob back');
      check(await store.blobs.has(toHex(ref.hash)), 'has');
      await store.blobs.delete(toHex(ref.hash));
      equal(await store.blobs.get(ref), null, 'blob erased');
      store.close();
    },
  },
];
