/**
 * The in-memory twin of the app's node (issue 6): {@link NodeAccess} over a
 * ChainState held in memory, with a MemoryBlobStore and a clock moved by
 * hand. Tests of screens and their actions run against it; nothing in it is
 * made up — writes go through the chain's own rules, {@link MemoryNodeAccess.mine}
 * mines the pending pool into a real block, and "verify chain" replays
 * every block (replay.ts). SPEC §7.
 */
import { MemoryBlobStore } from '../../core/blobs';
import type { AddTxResult, ChainState } from '../../core/chain';
import type { BlobRef } from '../../core/payloads';
import { blockTemplate, mineBlock } from '../../core/template';
import { type Tx, TxKind } from '../../core/tx';
import type { NodeStatus, VerifyResult } from '../../node/types';
import type { NodeAccess } from '../node-access';
import { type ChainView, ChainViews } from '../chain-view';
import { replayChain } from './replay';

export interface MemoryNodeOptions {
  /** Seconds since 1970 the twin starts at (default: one target spacing past the tip). */
  readonly now?: number;
  /** Key named as miner of the blocks {@link MemoryNodeAccess.mine} makes (default all zeros). */
  readonly minerKey?: Uint8Array;
}

export class MemoryNodeAccess implements NodeAccess {
  readonly blobs = new MemoryBlobStore();
  /** The twin's clock, seconds; tests move it. */
  clock: number;
  private readonly listeners = new Set<() => void>();
  private readonly minerKey: Uint8Array;
  private readonly views = new ChainViews();

  constructor(
    readonly state: ChainState,
    options: MemoryNodeOptions = {},
  ) {
    this.clock = options.now ?? state.tip.header.time + state.params.targetSpacing;
    this.minerKey = options.minerKey ?? new Uint8Array(32);
  }

  /** The screens' read-only view; tests reach the live chain as {@link state}. */
  chain(): ChainView {
    return this.views.of(this.state);
  }

  ledger() {
    return this.state.ledger;
  }

  status(): NodeStatus {
    const c = this.state;
    return {
      nodeId: null,
      role: 'node',
      height: c.height,
      tipHash: c.tip.key,
      finalHeight: c.finalized.height,
      peers: 0,
      pending: c.pending.list().filter((e) => e.tx.kind !== TxKind.Approval).length,
      mining: false,
    };
  }

  async submit(tx: Tx): Promise<AddTxResult> {
    const r = this.state.addPendingTx(tx, this.clock);
    if (r.status === 'added') this.changed();
    return r;
  }

  putBlob(ref: BlobRef, bytes: Uint8Array): Promise<{ ok: true } | { ok: false; reason: string }> {
    return this.blobs.put(ref, bytes);
  }

  getBlob(ref: BlobRef): Promise<Uint8Array | null> {
    return this.blobs.get(ref);
  }

  deleteBlob(hashHex: string): Promise<void> {
    return this.blobs.delete(hashHex);
  }

  async verifyChain(): Promise<VerifyResult> {
    return replayChain(this.state, this.clock);
  }

  onChange(fn: () => void): () => void {
    this.listeners.add(fn);
    return () => void this.listeners.delete(fn);
  }

  now(): number {
    return this.clock;
  }

  /** Mines every pending transaction that fits into one block on the tip (the clock moves one spacing first). */
  mine(): ReturnType<ChainState['addBlock']> {
    this.clock += this.state.params.targetSpacing;
    const txs = this.state.selectForBlock(this.clock);
    const block = mineBlock(blockTemplate(this.state, this.state.tip, txs, this.clock, this.minerKey));
    const r = this.state.addBlock(block, this.clock);
    this.changed();
    return r;
  }

  /** Marks the block at `height` of the active chain final, as a commit certificate would. */
  finalize(height: number): void {
    const n = this.state.atHeight(height);
    if (!n) throw new RangeError(`no block at height ${height}`);
    this.state.markFinal(n.key);
    this.changed();
  }

  private changed(): void {
    for (const fn of [...this.listeners]) fn();
  }
}
