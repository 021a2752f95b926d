/**
 * A demo network in one click (issue 6 first screen, SPEC §7): one hospital
 * founds a network (its genesis block), then sample patients register and
 * each adds a record, sealed for real (record-crypto) with its blobs on
 * this device, through the running node like any other write. The app
 * passes the sample people's keys derived from their demo logins
 * (demo-logins.ts) so a newcomer can log in as them; tests may pass none
 * (fresh random keys). Secrets are wiped once the demo writes are signed.
 */
import { x25519 } from '@noble/curves/ed25519.js';
import type { Block } from '../../core/block';
import { hexToBytes, toHex } from '../../core/bytes';
import { patientIdOf } from '../../core/ids';
import type { ChainParams } from '../../core/params';
import { Category, encodePayload, QuorumRule } from '../../core/payloads';
import { sealNewRecord } from '../../core/record-crypto';
import { recordDay } from '../../core/record';
import { publicKeyOf } from '../../core/signature';
import { signTx } from '../../core/sign-tx';
import { genesisTemplate, mineBlock } from '../../core/template';
import { GENESIS_SIGNING_NETWORK, TxKind } from '../../core/tx';
import type { NodeKey } from '../../node/identity';
import type { NodeAccess } from '../node-access';
import { type Problem, problem } from '../../core/problem';

export type Random = (n: number) => Uint8Array;

export const DEMO_HOSPITAL = 'Demo City Hospital';

/**
 * The genesis block of a network founded by `hospital` alone at `time`
 * (seconds), recording the quorum rule its founder chose (two thirds unless
 * they chose the paper's majority; quorum-rule.ts).
 */
export function foundingGenesis(
  params: ChainParams,
  hospital: NodeKey,
  dataKey: Uint8Array,
  time: number,
  names: { networkName: string; hospitalName: string } = { networkName: 'medchain demo', hospitalName: DEMO_HOSPITAL },
  quorum: QuorumRule = QuorumRule.TwoThirds,
): Block {
  // A genesis block's transactions sign no network yet: its hash commits to them.
  const found = signTx(
    GENESIS_SIGNING_NETWORK,
    { kind: TxKind.FoundNetwork, nonce: 1, time, payload: encodePayload({ kind: TxKind.FoundNetwork, ...names, dataKey, quorum }) },
    hospital.secret,
    hospital.pub,
  );
  return mineBlock(genesisTemplate(params, [found], time, hospital.pub));
}

const SAMPLES = [
  {
    title: 'Blood panel',
    category: Category.LabReport,
    fields: [
      { name: 'Haemoglobin', value: '13.2 g/dL' },
      { name: 'Glucose (fasting)', value: '92 mg/dL' },
    ],
  },
  { title: 'Follow-up visit', category: Category.Consultation, fields: [{ name: 'Blood pressure', value: '124/80 mmHg' }] },
  { title: 'Amoxicillin course', category: Category.Prescription, fields: [{ name: 'Dose', value: '500 mg three times a day, 7 days' }] },
] as const;

/** Resolves once `done()` holds, checking on every node change; rejects after `timeoutMs`. */
export function until(node: NodeAccess, done: () => boolean, timeoutMs = 120_000): Promise<void> {
  return new Promise((resolve, reject) => {
    if (done()) return resolve();
    const timer = setTimeout(() => (off(), reject(new Error('the network did not take the demo writes in time'))), timeoutMs);
    const off = node.onChange(() => {
      if (!done()) return;
      clearTimeout(timer);
      off();
      resolve();
    });
  });
}

/** A sample patient's raw keys (wiped by seedDemo once used). */
export interface SampleKeys {
  readonly signSecret: Uint8Array;
  readonly boxSecret: Uint8Array;
}

/** Registers the sample patients, waits for their registrations to be in a block, then adds one record each. */
/** What the demo set-up is doing, for the start screen to word (`network.demoStep`): KEYS before the node starts, then REGISTERING (how many patients), RECORDS, WRITTEN. */
export type DemoStep = Problem<'KEYS' | 'REGISTERING' | 'RECORDS' | 'WRITTEN'>;

export async function seedDemo(node: NodeAccess, random: Random, progress: (step: DemoStep) => void = () => {}, keys?: readonly SampleKeys[]): Promise<void> {
  const patients = SAMPLES.map((_, i) => {
    const secret = keys?.[i]?.signSecret ?? random(32);
    const box = keys?.[i]?.boxSecret ?? random(32);
    const pub = publicKeyOf(secret);
    return { secret, pub, box, boxPub: x25519.getPublicKey(box), id: patientIdOf(pub) };
  });
  const chain = node.chain();
  if (!chain) throw new Error('the node has not opened its chain');
  const network = chain.genesis.hash;
  progress(problem('REGISTERING', patients.length));
  for (const p of patients) {
    const tx = signTx(
      network,
      { kind: TxKind.RegisterPatient, nonce: 1, time: node.now(), payload: encodePayload({ kind: TxKind.RegisterPatient, boxKey: p.boxPub }) },
      p.secret,
      p.pub,
    );
    const r = await node.submit(tx);
    if (r.status !== 'added') throw new Error(`sample patient refused: ${r.status}`);
  }
  await until(node, () => patients.every((p) => node.ledger()?.patients.has(toHex(p.id)) === true));
  progress(problem('RECORDS'));
  for (const [i, p] of patients.entries()) {
    const s = SAMPLES[i]!;
    const time = node.now();
    const date = new Date(time * 1000).toISOString().slice(0, 10);
    const readers = node.ledger()!.requiredReaders(toHex(p.id), null, s.category, recordDay(date), time).map(hexToBytes);
    const body = {
      title: s.title,
      date,
      authorName: 'Sample patient',
      fields: s.fields,
      text: 'Sample record of the demo network.',
      attachments: [],
    };
    const sealed = sealNewRecord(
      { patientId: p.id, hospital: new Uint8Array(32), author: p.pub, category: s.category, body, attachments: [], readers, time },
      random,
    );
    for (const b of sealed.blobs) {
      const put = await node.putBlob(b.ref, b.bytes);
      if (!put.ok) throw new Error(`sample blob refused: ${put.reason}`);
    }
    const r = await node.submit(signTx(network, sealed.draft, p.secret, p.pub));
    if (r.status !== 'added') throw new Error(`sample record refused: ${r.status}`);
    p.secret.fill(0);
    p.box.fill(0);
  }
  progress(problem('WRITTEN'));
}
