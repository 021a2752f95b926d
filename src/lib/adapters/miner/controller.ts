/**
 * When to mine and what (SPEC §5: proof of work cancelled and restarted when
 * a new tip arrives). Pure logic over a {@link Miner}, so Node tests run it
 * with the in-memory twin and the browser with the Web Worker.
 *
 * - Mines only while the node wants to ({@link setEnabled}) and the pending
 *   pool has transactions a block on the tip can carry: no empty blocks.
 * - {@link update} (call it whenever the tip or the pending pool changes)
 *   rebuilds the job when the tip or the selected transactions differ from
 *   the job's, and otherwise leaves the miner alone.
 * - Each job has a new id; a found nonce for any other job is discarded (a
 *   worker's report can cross a new job), and so is one whose header misses
 *   its target (the report is checked, not trusted).
 * - A job whose nonce range runs out is rebuilt a second later.
 */
import { type Block, blockHash } from '../../core/block';
import { toHex } from '../../core/bytes';
import type { BlockNode, ChainState } from '../../core/chain';
import { targetFromBits } from '../../core/compact';
import { encodeHeader } from '../../core/header';
import { MAX_NONCE, checkProofOfWork, targetBytes } from '../../core/pow';
import { blockTemplate } from '../../core/template';
import { type Tx, txId } from '../../core/tx';
import { assert } from '../../core/assert';
import type { Miner, MinerExhausted, MinerFound, Unsubscribe } from './types';

export interface MiningControllerOptions {
  readonly chain: ChainState;
  readonly miner: Miner;
  /** The node's public key, written into each block's header. */
  readonly minerKey: Uint8Array;
  /** The node's clock, seconds since 1970. */
  readonly now: () => number;
  /** A block mined on the tip of the moment: the node adds it and announces it, then calls {@link MiningController.update}. */
  readonly onBlock: (block: Block) => void;
  /** Nonces searched per template before its time moves on (all 2^32 by default; tests use fewer). */
  readonly noncesPerJob?: number;
}

/** The job under way: its template and what it was built from. */
export interface ControllerJob {
  readonly id: number;
  readonly template: Block;
  readonly tipKey: string;
  readonly txKeys: readonly string[];
}

export class MiningController {
  private wanted = false;
  private nextId = 1;
  private job: ControllerJob | null = null;
  /** What the last job was built from; kept after a find so an unchanged update does not mine the same block twice. */
  private basis: { readonly tipKey: string; readonly txKeys: readonly string[] } | null = null;
  private stale = 0;
  private readonly subscriptions: Unsubscribe[];

  constructor(private readonly o: MiningControllerOptions) {
    assert(o.noncesPerJob === undefined || (Number.isInteger(o.noncesPerJob) && o.noncesPerJob > 0), 'bad noncesPerJob');
    this.subscriptions = [o.miner.onFound((f) => this.found(f)), o.miner.onExhausted((e) => this.exhausted(e))];
  }

  /** Whether a job is under way (the status line's "mining"); false once the miner has failed or been closed. */
  get mining(): boolean {
    return this.job !== null && this.o.miner.state === 'mining';
  }

  /** The job under way, if any. */
  get current(): ControllerJob | null {
    return this.job;
  }

  /** Reports discarded because their job was no longer wanted or their proof of work failed. */
  get discarded(): number {
    return this.stale;
  }

  get enabled(): boolean {
    return this.wanted;
  }

  /** Whether the node wants to mine; turning it off stops the miner at once. */
  setEnabled(on: boolean): void {
    this.wanted = on;
    this.update();
  }

  /** Rebuilds the job if the tip or the transactions to carry changed; stops when there is nothing to mine. */
  update(): void {
    const { chain } = this.o;
    if (!this.wanted || chain.pending.size === 0) return this.halt();
    const time = this.o.now();
    const txs = chain.selectForBlock(time);
    if (txs.length === 0) return this.halt();
    const txKeys = txs.map((tx) => toHex(txId(tx)));
    const b = this.basis;
    if (b !== null && b.tipKey === chain.tip.key && sameKeys(b.txKeys, txKeys)) return;
    this.begin(chain.tip, txs, txKeys, time);
  }

  /** Stops for good and lets go of the miner's events. */
  close(): void {
    this.wanted = false;
    this.halt();
    for (const u of this.subscriptions) u();
  }

  private begin(tip: BlockNode, txs: readonly Tx[], txKeys: readonly string[], time: number): void {
    const template = blockTemplate(this.o.chain, tip, txs, time, this.o.minerKey);
    const target = targetFromBits(template.header.bits);
    assert(target !== null, 'template with invalid bits');
    const job: ControllerJob = { id: this.nextId++, template, tipKey: tip.key, txKeys };
    this.job = job;
    this.basis = { tipKey: tip.key, txKeys };
    const endNonce = Math.min(MAX_NONCE, (this.o.noncesPerJob ?? MAX_NONCE + 1) - 1);
    this.o.miner.start({ id: job.id, header: encodeHeader(template.header), target: targetBytes(target), startNonce: 0, endNonce });
  }

  private halt(): void {
    this.basis = null;
    if (this.job === null) return;
    this.job = null;
    this.o.miner.stop();
  }

  private found(f: MinerFound): void {
    const job = this.job;
    if (job === null || f.jobId !== job.id) {
      this.stale++;
      return;
    }
    this.job = null;
    const block: Block = { header: { ...job.template.header, nonce: f.nonce }, txs: job.template.txs };
    if (!checkProofOfWork(blockHash(block), block.header.bits)) {
      this.stale++;
      this.basis = null;
      return this.update();
    }
    this.o.onBlock(block);
  }

  private exhausted(e: MinerExhausted): void {
    const job = this.job;
    if (job === null || e.jobId !== job.id) return;
    const tip = this.o.chain.get(job.tipKey);
    if (tip === undefined || tip !== this.o.chain.tip) {
      this.job = null;
      this.basis = null;
      return this.update();
    }
    // Same tip and transactions, a later time: a new header, a fresh nonce range.
    this.begin(tip, job.template.txs, job.txKeys, Math.max(this.o.now(), job.template.header.time + 1));
  }
}

function sameKeys(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((k, i) => k === b[i]);
}
