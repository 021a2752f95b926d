/**
 * Blobs through the node runtime (SPEC §3) over the in-memory twins: a blob
 * put on node A is fetched by node B once a record on the chain references
 * it; unreferenced hashes are refused without asking anyone; a referenced
 * blob nobody holds is NOT_FOUND; once the patient's EraseRecord is final,
 * every node deletes the record's blobs and none serves them. Both nodes run
 * on one virtual clock (issue 14): a wait for a blob ends on an answer or on
 * its timeout in virtual time.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { blobRefOf } from '../../../src/lib/core/blobs';
import { toHex } from '../../../src/lib/core/bytes';
import { patientIdOf } from '../../../src/lib/core/ids';
import { MsgType, RejectCode } from '../../../src/lib/core/net/messages';
import { Category, encodePayload, keyBlobBytes, type BlobRef } from '../../../src/lib/core/payloads';
import { Prng } from '../../../src/lib/core/prng';
import { publicKeyOf } from '../../../src/lib/core/signature';
import { signTx } from '../../../src/lib/core/sign-tx';
import { type Tx, TxKind, txId } from '../../../src/lib/core/tx';
import type { FullNode } from '../../../src/lib/node/node';
import { testNetwork } from '../../../src/bench/node-network';
import { HANG_GUARD_MS, T0, type TestNode, VirtualNodes } from './virtual';

let v: VirtualNodes;
beforeEach(() => {
  v = new VirtualNodes();
});
afterEach(() => v.stopAll());

/** A patient writing their own records (no hospital, so no consent needed): registration, a record, its erasure. */
class SelfPatient {
  private readonly secret: Uint8Array;
  readonly pub: Uint8Array;
  private readonly boxKey: Uint8Array;
  private nonce = 0;

  /** `network`: the genesis hash its transactions sign; `sec`: the clock its transactions are dated by. */
  constructor(
    seed: string,
    private readonly network: Uint8Array,
    private readonly sec: () => number,
  ) {
    const prng = new Prng(`blob-patient/${seed}`);
    this.secret = prng.bytes(32);
    this.pub = publicKeyOf(this.secret);
    this.boxKey = prng.bytes(32);
  }

  private sign(kind: TxKind, payload: Uint8Array): Tx {
    return signTx(this.network, { kind, nonce: ++this.nonce, time: this.sec(), payload }, this.secret);
  }

  register(): Tx {
    return this.sign(TxKind.RegisterPatient, encodePayload({ kind: TxKind.RegisterPatient, boxKey: this.boxKey }));
  }

  record(body: BlobRef, keys: BlobRef): Tx {
    const payload = encodePayload({
      kind: TxKind.AddRecord,
      patientId: patientIdOf(this.pub),
      hospital: new Uint8Array(32),
      category: Category.Imaging,
      day: 19_000,
      body,
      attachments: [],
      readers: [this.boxKey],
      keys,
    });
    return this.sign(TxKind.AddRecord, payload);
  }

  erase(record: Tx): Tx {
    return this.sign(TxKind.EraseRecord, encodePayload({ kind: TxKind.EraseRecord, record: txId(record) }));
  }
}

const final = (nodes: readonly FullNode[], tx: Tx) => () => nodes.every((n) => (n.chain.txHeight(toHex(txId(tx))) ?? Infinity) <= n.chain.finalized.height);

/** A hospital validating alone (it mines and finalises) and a node that does not mine, connected. */
async function twoNodes(id: string): Promise<[TestNode, TestNode]> {
  const net = testNetwork(id, 1, T0);
  const hub = v.clock.hub();
  const a = await v.start(hub, net, { validator: net.validators[0]! });
  const b = await v.start(hub, net, { mine: false });
  await v.clock.runUntil(() => a.node.status().peers === 1 && b.node.status().peers === 1, 5000, 'the two nodes linked');
  return [a, b];
}

/** A blob wait, on the clock: it ends on an answer or on its own timeout (`timeoutMs` of virtual time). */
const getBlob = (n: TestNode, ref: BlobRef, timeoutMs: number) => v.clock.drive(n.node.getBlob(ref, timeoutMs), timeoutMs + 1000, 'the blob wait ends');

/** Registers the patient and writes a record with `body` and a keys blob, final on both nodes. */
async function writeRecord(nodes: FullNode[], patient: SelfPatient, body: Uint8Array, keys: Uint8Array): Promise<Tx> {
  const reg = patient.register();
  expect((await nodes[0]!.submitTx(reg)).status).toBe('added');
  await v.clock.runUntil(final(nodes, reg), 20_000, 'the registration final on both nodes');
  const record = patient.record(blobRefOf(body), blobRefOf(keys));
  expect((await nodes[0]!.submitTx(record)).status).toBe('added');
  await v.clock.runUntil(final(nodes, record), 20_000, 'the record final on both nodes');
  return record;
}

describe('blobs through the node runtime', { timeout: HANG_GUARD_MS }, () => {
  it('a blob put on node A is fetched by node B (and kept there); unreferenced hashes are refused', async () => {
    const [a, b] = await twoNodes('blob-fetch');
    const body = new Prng('body').bytes(200_000);
    const keys = new Prng('keys').bytes(keyBlobBytes(1));
    const ref = blobRefOf(body);
    expect(await a.node.putBlob(ref, body)).toEqual({ ok: true });
    expect(await a.node.putBlob(ref, keys)).toMatchObject({ ok: false });
    // Not referenced yet: B asks nobody.
    const framesOut = a.node.driver.stats.framesOut + b.node.driver.stats.framesOut;
    expect(await getBlob(b, ref, 2000)).toEqual({ ok: false, code: 'UNREFERENCED' });
    expect(a.node.driver.stats.framesOut + b.node.driver.stats.framesOut).toBe(framesOut);
    await writeRecord([a.node, b.node], new SelfPatient('fetch', a.node.chain.genesis.hash, v.clock.sec), body, keys);
    expect(await b.data.blobs.has(toHex(ref.hash))).toBe(false);
    const got = await getBlob(b, ref, 10_000);
    expect(got.ok && toHex(got.bytes) === toHex(body)).toBe(true);
    expect(await b.data.blobs.has(toHex(ref.hash))).toBe(true);
    // The keys blob is referenced too, but nobody holds it: the peer says so, long before the wait's timeout.
    const asked = v.clock.now();
    expect(await getBlob(b, blobRefOf(keys), 10_000)).toEqual({ ok: false, code: 'NOT_FOUND' });
    expect(v.clock.now() - asked).toBeLessThan(10_000);
    expect([a, b].flatMap((n) => n.node.driver.stats.bans)).toEqual([]);
  });

  it("once the patient's erasure is final, every node deletes the record's blobs and none serves them", async () => {
    const [a, b] = await twoNodes('blob-erase');
    const patient = new SelfPatient('erase', a.node.chain.genesis.hash, v.clock.sec);
    const body = new Prng('erase-body').bytes(50_000);
    const keys = new Prng('erase-keys').bytes(keyBlobBytes(1));
    const ref = blobRefOf(body);
    const has = (s: TestNode, r: BlobRef) => s.data.blobs.has(toHex(r.hash));
    await a.node.putBlob(ref, body);
    await a.node.putBlob(blobRefOf(keys), keys);
    const record = await writeRecord([a.node, b.node], patient, body, keys);
    expect((await getBlob(b, ref, 10_000)).ok).toBe(true);
    expect(await has(b, ref)).toBe(true);
    const erase = patient.erase(record);
    expect((await a.node.submitTx(erase)).status).toBe('added');
    await v.clock.runUntil(final([a.node, b.node], erase), 20_000, 'the erasure final on both nodes');
    const held = async () => [await has(a, ref), await has(b, ref), await has(a, blobRefOf(keys))];
    await v.clock.runUntil(async () => (await held()).every((x) => !x), 5000, "the record's blobs deleted on both nodes");
    expect(await getBlob(b, ref, 2000)).toEqual({ ok: false, code: 'ERASED' });
    // Even bytes put back on a disk are not served: the mesh answers NotFound for an erased record's blob.
    await a.data.blobs.put(ref, body);
    const sent = a.node.driver.mesh.serveBlob(toHex(b.node.key.pub), ref, body, v.clock.now()).flatMap((x) => (x.kind === 'send' ? [x.msg] : []));
    expect(sent.filter((m) => m.type === MsgType.Blob)).toEqual([]);
    expect(sent.filter((m) => m.type === MsgType.Reject)).toEqual([{ type: MsgType.Reject, code: RejectCode.NotFound, subject: ref.hash }]);
  });
});
