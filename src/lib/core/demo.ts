/**
 * Deterministic demo chains (`medchain demo-chain`, tests, benchmarks): a
 * network founded by a hospital, more hospitals, patients, and a realistic mix
 * of signed transactions, mined block by block at the difficulty the retarget
 * rule requires. The same seed gives the same bytes: keys, nonces, times and
 * payloads all come from a seeded generator and a fixed start time, never from
 * the clock or real randomness.
 *
 * Payloads are opaque bytes of realistic sizes here (what an encrypted record
 * looks like from outside); the consent layer gives each kind its structure.
 */
import type { Block } from './block';
import { ChainState } from './chain';
import { type ChainParams, DEFAULT_PARAMS } from './params';
import { Prng } from './prng';
import { publicKeyOf } from './signature';
import { signTx } from './sign-tx';
import { blockTemplate, genesisTemplate, mineBlock } from './template';
import { type Tx, TxKind } from './tx';

/** 2026-01-01T00:00:00Z: demo chains start here so their bytes never depend on the clock. */
export const DEMO_START_TIME = 1_767_225_600;

export interface DemoOptions {
  readonly blocks: number;
  readonly seed: string;
  readonly params?: ChainParams;
  readonly startTime?: number;
  /** Transactions per block, inclusive range. */
  readonly txPerBlock?: readonly [number, number];
}

interface Actor {
  readonly secret: Uint8Array;
  readonly pub: Uint8Array;
}

/**
 * Builds a chain of `blocks` blocks after genesis. The result is validated
 * as it is built (every block goes through the chain state) with signature
 * checks skipped for speed, since this code made every signature itself;
 * `medchain verify` checks them all.
 */
export function demoChain(options: DemoOptions): { params: ChainParams; blocks: Block[]; chain: ChainState } {
  const params = options.params ?? DEFAULT_PARAMS;
  const prng = new Prng(options.seed);
  const [minTx, maxTx] = options.txPerBlock ?? [1, 4];
  const actor = (): Actor => {
    const secret = prng.bytes(32);
    return { secret, pub: publicKeyOf(secret) };
  };
  const hospitals = Array.from({ length: 3 }, actor);
  const patients = Array.from({ length: 24 }, actor);
  const registered = new Set<number>();
  const start = options.startTime ?? DEMO_START_TIME;

  const tx = (author: Actor, kind: TxKind, time: number, payloadBytes: number): Tx =>
    signTx({ kind, nonce: prng.u53(), time, payload: prng.bytes(payloadBytes) }, author.secret, author.pub);

  const sampleTx = (time: number): Tx => {
    const p = prng.int(0, patients.length - 1);
    if (!registered.has(p)) {
      registered.add(p);
      return tx(patients[p]!, TxKind.RegisterPatient, time, 96);
    }
    const roll = prng.next();
    const hospital = prng.pick(hospitals);
    if (roll < 0.45) return tx(prng.next() < 0.7 ? hospital : patients[p]!, TxKind.AddRecord, time, prng.int(300, 1800));
    if (roll < 0.6) return tx(hospital, TxKind.RequestAccess, time, 120);
    if (roll < 0.75) return tx(patients[p]!, TxKind.GrantConsent, time, prng.int(200, 600));
    if (roll < 0.85) return tx(patients[p]!, TxKind.RevokeConsent, time, 80);
    if (roll < 0.95) return tx(hospital, TxKind.Referral, time, 160);
    return tx(hospital, TxKind.CertifyStaff, time, 140);
  };

  const founding = [tx(hospitals[0]!, TxKind.FoundNetwork, start, 256)];
  for (const h of hospitals.slice(1)) founding.push(tx(h, TxKind.AdmitHospital, start, 200));
  const genesis = mineBlock(genesisTemplate(params, founding, start, hospitals[0]!.pub));
  const trusting = { verify: () => true };
  const chain = new ChainState(params, genesis, start, { verifier: trusting });
  const blocks: Block[] = [genesis];
  let time = start;
  for (let i = 0; i < options.blocks; i++) {
    time += params.targetSpacing + prng.int(-2, 2);
    const txs: Tx[] = [];
    const n = prng.int(minTx, maxTx);
    for (let j = 0; j < n; j++) txs.push(sampleTx(time - prng.int(0, 30)));
    const miner = prng.pick(hospitals);
    const block = mineBlock(blockTemplate(chain, chain.tip, txs, time, miner.pub));
    const r = chain.addBlock(block, block.header.time);
    if (r.status !== 'accepted') throw new Error(`demo chain: block ${i + 1} refused: ${JSON.stringify(r.status)}`);
    time = block.header.time;
    blocks.push(block);
  }
  return { params, blocks, chain };
}
