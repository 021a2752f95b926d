/**
 * A small NodeAccess over a real ChainState with the ledger rules, for the
 * clinician actions' tests (the app's in-memory twin was not in the tree
 * yet): submit puts a transaction in the pending pool (checked against the
 * tip's ledger), {@link ChainNode.mine} mines the pool into a block, blobs
 * live in a MemoryBlobStore, and the clock is moved by hand.
 */
import { MemoryBlobStore } from '../../../../src/lib/core/blobs';
import { ChainState } from '../../../../src/lib/core/chain';
import { encodePayload } from '../../../../src/lib/core/payloads';
import { TEST_PARAMS } from '../../../../src/lib/core/params';
import { Prng } from '../../../../src/lib/core/prng';
import { signTx } from '../../../../src/lib/core/sign-tx';
import { blockTemplate, genesisTemplate, mineBlock } from '../../../../src/lib/core/template';
import { TxKind, type Tx } from '../../../../src/lib/core/tx';
import type { NodeAccess } from '../../../../src/lib/app/node-access';
import type { BlobRef } from '../../../../src/lib/core/payloads';

export const T0 = 1_767_225_600;
export const DAY = 86_400;

export class ChainNode implements NodeAccess {
  readonly state: ChainState;
  readonly blobs = new MemoryBlobStore();
  clock = T0 + 60;
  private readonly listeners = new Set<() => void>();

  constructor(founder: { secret: Uint8Array; pub: Uint8Array }, founderDataKey: Uint8Array) {
    const found = signTx(
      { kind: TxKind.FoundNetwork, nonce: 1, time: T0, payload: encodePayload({ kind: TxKind.FoundNetwork, networkName: 'test', hospitalName: 'Founders Hospital', dataKey: founderDataKey }) },
      founder.secret,
      founder.pub,
    );
    this.state = new ChainState(TEST_PARAMS, mineBlock(genesisTemplate(TEST_PARAMS, [found], T0, founder.pub)), this.clock);
  }
  chain() {
    return this.state;
  }
  ledger() {
    return this.state.ledger;
  }
  status() {
    const tip = this.state.tip;
    return { nodeId: null, role: 'node' as const, height: tip.height, tipHash: tip.key, finalHeight: this.state.finalized.height, peers: 0, pending: this.state.pending.size, mining: false };
  }
  async submit(tx: Tx) {
    return this.state.addPendingTx(tx, this.clock);
  }
  putBlob(ref: BlobRef, bytes: Uint8Array) {
    return this.blobs.put(ref, bytes);
  }
  getBlob(ref: BlobRef) {
    return this.blobs.get(ref);
  }
  async verifyChain() {
    return { ok: true, height: this.state.height };
  }
  onChange(fn: () => void) {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }
  now() {
    return this.clock;
  }
  /** Mines every pending transaction into one block; returns how many went in. */
  mine(miner: Uint8Array, dt = 60): number {
    this.clock += dt;
    const txs = this.state.selectForBlock(this.clock);
    const r = this.state.addBlock(mineBlock(blockTemplate(this.state, this.state.tip, txs, this.clock, miner)), this.clock);
    if (r.status !== 'accepted') throw new Error(`block not accepted: ${r.status === 'invalid' ? r.error.message : r.status}`);
    for (const fn of this.listeners) fn();
    return txs.length;
  }
}

/** Deterministic randomness for the actions under test. */
export function seededRandom(seed: string): (n: number) => Uint8Array {
  const prng = new Prng(seed);
  return (n) => prng.bytes(n);
}

export type { Tx };
