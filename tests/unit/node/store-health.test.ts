/**
 * A store written by an older medchain (issue 15 changed the record payload:
 * an AddRecord of the old format has no clinical day) opened by this
 * version's node over the in-memory twins: the node starts on the chain
 * below it, names the unreadable block (BAD_PAYLOAD) and the sound block set
 * aside behind it in its health, keeps both in the store through a stop and
 * a restart, and the status bar's summary calls them another version's.
 * A block whose bytes were changed so they no longer decode is damage
 * (DIGEST_MISMATCH), not another version's; a damaged block that comes back
 * from a peer is counted as repaired, and those set aside behind it rejoin.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { initStore } from '../../../src/lib/adapters/store/batch';
import { MemoryChainStore, MemoryStoreData } from '../../../src/lib/adapters/store/memory';
import { storedBlockOf } from '../../../src/lib/adapters/store/records';
import { type Block, blockHash, encodeBlock } from '../../../src/lib/core/block';
import { toHex } from '../../../src/lib/core/bytes';
import { ChainState } from '../../../src/lib/core/chain';
import { kindSpec } from '../../../src/lib/core/kinds';
import { encodePayload } from '../../../src/lib/core/payloads';
import { Prng } from '../../../src/lib/core/prng';
import { ledgerRules } from '../../../src/lib/core/rules';
import { signTx } from '../../../src/lib/core/sign-tx';
import { blockTemplate, mineBlock } from '../../../src/lib/core/template';
import { TxKind, txId } from '../../../src/lib/core/tx';
import { txRootOf } from '../../../src/lib/core/block';
import { barStatus } from '../../../src/lib/app/node/status-source';
import { describeStatus } from '../../../src/lib/app/status/status';
import { en } from '../../../src/lib/i18n/en';
import { patientTx, testNetwork, type TestNetwork } from '../../../src/bench/node-network';
import { HANG_GUARD_MS, T0, VirtualNodes } from './virtual';

let v: VirtualNodes;
beforeEach(() => {
  v = new VirtualNodes();
});
afterEach(() => v.stopAll());

/** Offset of the clinical day in an AddRecord payload (patient id 32, hospital key 32, category 1): the field issue 15 added. */
const DAY_AT = 65;

/** An AddRecord payload as medchain wrote it before issue 15: the same fields without the day. */
function oldRecordPayload(): Uint8Array {
  const now = encodePayload(kindSpec(TxKind.AddRecord).example);
  return new Uint8Array([...now.subarray(0, DAY_AT), ...now.subarray(DAY_AT + 4)]);
}

/** The next block after `parent` (no chain needed: test difficulty never retargets), holding `txs`. */
function childOf(parent: Block, txs: Block['txs']): Block {
  const h = parent.header;
  return mineBlock({ header: { ...h, height: h.height + 1, prevHash: blockHash(parent), txRoot: txRootOf(txs), time: h.time + 1, nonce: 0 }, txs });
}

/**
 * A store as an older version left it: genesis, block 1 (a patient's
 * registration, readable by both versions), block 2 (an old-format record)
 * and block 3 (empty, on block 2); the tip at block 3.
 */
async function oldVersionStore(net: TestNetwork): Promise<{ data: MemoryStoreData; keys: string[] }> {
  const data = new MemoryStoreData();
  const store = new MemoryChainStore(data);
  const now = T0 + 50;
  const chain = new ChainState(net.params, net.genesis, now, { rules: ledgerRules });
  await initStore(store, chain);
  const one = mineBlock(blockTemplate(chain, chain.genesis, [patientTx(net, 'old', T0 + 1)], T0 + 2, net.validators[0]!.pub));
  const old = signTx(net.network, { kind: TxKind.AddRecord, nonce: 2, time: T0 + 3, payload: oldRecordPayload() }, new Prng('patient/old').bytes(32));
  const two = childOf(one, [old]);
  const three = childOf(two, []);
  const blocks = [one, two, three];
  await store.commit({ blocks: blocks.map((b) => storedBlockOf(b, encodeBlock(b), [])), tip: { key: toHex(blockHash(three)), height: 3 } });
  store.close();
  return { data, keys: blocks.map((b) => toHex(blockHash(b))) };
}

describe('a store with blocks of another medchain version', { timeout: HANG_GUARD_MS }, () => {
  it('starts below them, names them in its health, keeps them stored, and the bar says another version made them', async () => {
    const net = testNetwork('store-health', 1, T0);
    const { data, keys } = await oldVersionStore(net);
    const [one, two, three] = keys as [string, string, string];
    const bytesBefore = [two, three].map((k) => toHex((data.blocks.get(k) as { bytes: Uint8Array }).bytes));

    const first = await v.start(v.clock.hub(), net, { data, mine: false });
    expect(first.node.chain.tip.key).toBe(one);
    const health = first.node.health();
    expect(health.bad.map((b) => [b.key, b.height, b.code])).toEqual([[two, 2, 'BAD_PAYLOAD']]);
    expect([health.detached, health.repaired]).toEqual([[three], []]);

    const bar = barStatus({ status: () => first.node.status(), peers: () => [], unsent: () => 0, links: () => null, health: () => first.node.health() }, true);
    expect(bar.stored).toEqual({ otherVersion: { blocks: 2, fromHeight: 2, codes: ['BAD_PAYLOAD'] }, damaged: null, repaired: 0 });
    expect(describeStatus(bar, en.status, en.rules).stored).toMatch(
      /^This device holds 2 stored blocks \(from height 2\) that this version of medchain cannot read/,
    );

    // Nothing is deleted: through a stop and a restart both blocks stay, byte for byte, and are named again.
    await v.stop(first);
    expect([two, three].map((k) => toHex((data.blocks.get(k) as { bytes: Uint8Array }).bytes))).toEqual(bytesBefore);
    const again = await v.start(v.clock.hub(), net, { data, mine: false });
    expect(again.node.health().bad.map((b) => b.code)).toEqual(['BAD_PAYLOAD']);
    expect(again.node.health().detached).toEqual([three]);
  });

  it('a block whose stored bytes were changed so they no longer decode is damage (DIGEST_MISMATCH), not another version', async () => {
    const net = testNetwork('store-health-damage', 1, T0);
    const { data, keys } = await oldVersionStore(net);
    const record = data.blocks.get(keys[0]!) as { bytes: Uint8Array };
    // The transaction count (right after the 118-byte header) made huge: the bytes no longer decode.
    record.bytes[118] = 0xff;
    const n = await v.start(v.clock.hub(), net, { data, mine: false });
    expect(n.node.chain.height).toBe(0);
    expect(n.node.health().bad.map((b) => [b.key, b.code])).toEqual([[keys[0], 'DIGEST_MISMATCH']]);
    const bar = barStatus({ status: () => n.node.status(), peers: () => [], unsent: () => 0, links: () => null, health: () => n.node.health() }, true);
    expect(bar.stored).toMatchObject({ otherVersion: null, damaged: { blocks: 3, fromHeight: 1, codes: ['DIGEST_MISMATCH'] } });
  });

  it('a damaged block comes back from a peer and the blocks behind it rejoin: the health says repaired, and so does the bar', async () => {
    const net = testNetwork('store-health-repair', 1, T0);
    const hub = v.clock.hub();
    const hospital = await v.start(hub, net, { validator: net.validators[0]! });
    for (const name of ['a', 'b', 'c']) {
      const tx = patientTx(net, name, v.clock.sec());
      await hospital.node.submitTx(tx);
      await v.clock.runUntil(() => hospital.node.chain.txHeight(toHex(txId(tx))) !== undefined, 20_000, `write ${name} in a block`);
    }
    const height = hospital.node.chain.height;
    expect(height).toBeGreaterThanOrEqual(3);
    // This device's copy of the chain (not the hospital's node key), block 1's signature byte changed on disk.
    const data = new MemoryStoreData();
    for (const [k, value] of hospital.data.blocks) data.blocks.set(k, structuredClone(value));
    for (const [k, value] of hospital.data.meta) data.meta.set(k, structuredClone(value));
    const damaged = hospital.node.chain.atHeight(1)!.key;
    const record = data.blocks.get(damaged) as { bytes: Uint8Array };
    record.bytes[record.bytes.length - 1]! ^= 1;

    const device = await v.start(hub, net, { data, mine: false });
    expect(device.node.health().bad.map((b) => [b.key, b.code])).toEqual([[damaged, 'DIGEST_MISMATCH']]);
    expect(device.node.health().detached).toHaveLength(height - 1);
    const bar = () =>
      barStatus({ status: () => device.node.status(), peers: () => [], unsent: () => 0, links: () => null, health: () => device.node.health() }, true);
    expect(describeStatus(bar(), en.status, en.rules).stored).toBe(
      `${height} stored blocks were damaged (from height 1) and will be fetched again from peers.`,
    );

    // The damaged block comes back; the blocks behind it join the chain again, and nothing is held back any more.
    await v.clock.runUntil(() => device.node.chain.height === height, 20_000, 'the chain back to its height from the hospital');
    expect(device.node.health().repaired).toEqual([damaged]);
    expect(bar().stored).toEqual({ otherVersion: null, damaged: null, repaired: 1 });
    expect(describeStatus(bar(), en.status, en.rules).stored).toBe('1 stored block that could not be read came back from peers.');
  });
});
