/**
 * Blobs through the node runtime (SPEC §3) over the in-memory twins: a blob
 * put on node A is fetched by node B once a record on the chain references
 * it; unreferenced hashes are refused without asking anyone; a referenced
 * blob nobody holds is NOT_FOUND; once the patient's EraseRecord is final,
 * every node deletes the record's blobs and none serves them.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { MemoryHub } from '../../../src/lib/adapters/net/memory-transport';
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
import { testNetwork } from '../../shared/node-network';
import { sec, startTestNode } from './fixture';

const running: FullNode[] = [];
afterEach(async () => {
  for (const n of running.splice(0)) await n.stop();
});

/** A patient writing their own records (no hospital, so no consent needed): registration, a record, its erasure. */
class SelfPatient {
  private readonly secret: Uint8Array;
  readonly pub: Uint8Array;
  private readonly boxKey: Uint8Array;
  private nonce = 0;

  /** `network`: the genesis hash its transactions sign. */
  constructor(seed: string, private readonly network: Uint8Array) {
    const prng = new Prng(`blob-patient/${seed}`);
    this.secret = prng.bytes(32);
    this.pub = publicKeyOf(this.secret);
    this.boxKey = prng.bytes(32);
  }

  private sign(kind: TxKind, payload: Uint8Array): Tx {
    return signTx(this.network, { kind, nonce: ++this.nonce, time: sec(), payload }, this.secret);
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

const final = (nodes: readonly FullNode[], tx: Tx) => () =>
  nodes.every((n) => (n.chain.txHeight(toHex(txId(tx))) ?? Infinity) <= n.chain.finalized.height);

type Started = Awaited<ReturnType<typeof startTestNode>>;

/** A hospital validating alone (it mines and finalises) and a node that does not mine, connected. */
async function twoNodes(id: string): Promise<[Started, Started]> {
  const net = testNetwork(id, 1, sec() - 100);
  const hub = new MemoryHub({ now: Date.now });
  const a = await startTestNode(hub, net, { validator: net.validators[0]! });
  const b = await startTestNode(hub, net, { mine: false });
  running.push(a.node, b.node);
  await expect.poll(() => [a.node.status().peers, b.node.status().peers], { timeout: 5000 }).toEqual([1, 1]);
  return [a, b];
}

/** Registers the patient and writes a record with `body` and a keys blob, final on both nodes. */
async function writeRecord(nodes: FullNode[], patient: SelfPatient, body: Uint8Array, keys: Uint8Array): Promise<Tx> {
  const reg = patient.register();
  expect((await nodes[0]!.submitTx(reg)).status).toBe('added');
  await expect.poll(final(nodes, reg), { timeout: 15_000 }).toBe(true);
  const record = patient.record(blobRefOf(body), blobRefOf(keys));
  expect((await nodes[0]!.submitTx(record)).status).toBe('added');
  await expect.poll(final(nodes, record), { timeout: 15_000 }).toBe(true);
  return record;
}

describe('blobs through the node runtime', () => {
  it('a blob put on node A is fetched by node B (and kept there); unreferenced hashes are refused', async () => {
    const [a, b] = await twoNodes('blob-fetch');
    const body = new Prng('body').bytes(200_000);
    const keys = new Prng('keys').bytes(keyBlobBytes(1));
    const ref = blobRefOf(body);
    expect(await a.node.putBlob(ref, body)).toEqual({ ok: true });
    expect(await a.node.putBlob(ref, keys)).toMatchObject({ ok: false });
    // Not referenced yet: B asks nobody.
    expect(await b.node.getBlob(ref, 2000)).toEqual({ ok: false, code: 'UNREFERENCED' });
    await writeRecord([a.node, b.node], new SelfPatient('fetch', a.node.chain.genesis.hash), body, keys);
    expect(await b.data.blobs.has(toHex(ref.hash))).toBe(false);
    const got = await b.node.getBlob(ref, 10_000);
    expect(got.ok && toHex(got.bytes) === toHex(body)).toBe(true);
    expect(await b.data.blobs.has(toHex(ref.hash))).toBe(true);
    // The keys blob is referenced too, but nobody holds it.
    expect(await b.node.getBlob(blobRefOf(keys), 10_000)).toEqual({ ok: false, code: 'NOT_FOUND' });
    expect([a, b].flatMap((n) => n.node.driver.stats.bans)).toEqual([]);
  }, 60_000);

  it("once the patient's erasure is final, every node deletes the record's blobs and none serves them", async () => {
    const [a, b] = await twoNodes('blob-erase');
    const patient = new SelfPatient('erase', a.node.chain.genesis.hash);
    const body = new Prng('erase-body').bytes(50_000);
    const keys = new Prng('erase-keys').bytes(keyBlobBytes(1));
    const ref = blobRefOf(body);
    const has = (s: Started, r: BlobRef) => s.data.blobs.has(toHex(r.hash));
    await a.node.putBlob(ref, body);
    await a.node.putBlob(blobRefOf(keys), keys);
    const record = await writeRecord([a.node, b.node], patient, body, keys);
    expect((await b.node.getBlob(ref, 10_000)).ok).toBe(true);
    expect(await has(b, ref)).toBe(true);
    const erase = patient.erase(record);
    expect((await a.node.submitTx(erase)).status).toBe('added');
    await expect.poll(final([a.node, b.node], erase), { timeout: 15_000 }).toBe(true);
    await expect.poll(async () => [await has(a, ref), await has(b, ref), await has(a, blobRefOf(keys))], { timeout: 5000 }).toEqual([false, false, false]);
    expect(await b.node.getBlob(ref, 2000)).toEqual({ ok: false, code: 'ERASED' });
    // Even bytes put back on a disk are not served: the mesh answers NotFound for an erased record's blob.
    await a.data.blobs.put(ref, body);
    const sent = a.node.driver.mesh.serveBlob(toHex(b.node.key.pub), ref, body, Date.now()).flatMap((x) => (x.kind === 'send' ? [x.msg] : []));
    expect(sent.filter((m) => m.type === MsgType.Blob)).toEqual([]);
    expect(sent.filter((m) => m.type === MsgType.Reject)).toEqual([{ type: MsgType.Reject, code: RejectCode.NotFound, subject: ref.hash }]);
  }, 60_000);
});
