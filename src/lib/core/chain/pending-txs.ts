/**
 * The glue between the pending pool and the active chain (SPEC §5): which
 * signed transactions may wait for a block, which ones the chain made
 * invalid for good (dropped, with their rule, so their authors learn why),
 * and which ones the next block can carry. The pool itself (pending.ts) only
 * keeps entries; the rules' state is always the active tip's.
 */
import { type FailedTx, FailedTxs, RECHECK_LIMIT, isPermanentFailure } from '../failed-txs';
import type { RuleCode } from '../errors';
import type { ChainParams } from '../params';
import type { PendingPool } from '../pending';
import type { BlockRules } from '../rules';
import type { SignatureVerifier } from '../signature';
import { type Tx, txId } from '../tx';
import { toHex } from '../bytes';
import { checkTxSignature, checkTxStructure, txSize } from '../validate';
import type { ActiveChain } from './chain-view';
import type { AddTxResult } from './results';

export class PendingTxs {
  /** Pending transactions dropped because the chain made them invalid for good (bounded). */
  private readonly failed = new FailedTxs();
  /** The latest clock reading given (seconds): pending transactions are checked again at this time or the tip's, as they were when added. */
  private clock = 0;

  constructor(
    private readonly params: ChainParams,
    private readonly verifier: SignatureVerifier,
    /** The genesis hash every signature binds. */
    private readonly network: Uint8Array,
    private readonly rules: BlockRules,
    private readonly view: ActiveChain,
    private readonly pending: PendingPool,
  ) {}

  /** Takes a clock reading (seconds); the latest one is kept. */
  seen(now: number): void {
    this.clock = Math.max(this.clock, now);
  }

  /** Adds a signed transaction after the checks that need no block: structure, signature, not confirmed, and the rules on the tip. */
  add(tx: Tx, now: number): AddTxResult {
    this.seen(now);
    const tip = this.view.tip;
    const id = txId(tx);
    const key = toHex(id);
    if (this.pending.has(key)) return { status: 'duplicate', key };
    if (this.view.hasTx(key)) return { status: 'in-chain', key };
    const why = checkTxStructure(tx, this.params);
    if (why !== null) return { status: 'invalid', key, reason: why };
    if (!checkTxSignature(tx, this.verifier, this.network, id)) return { status: 'invalid', key, reason: 'invalid signature' };
    const broken = this.rules.checkPending(tx, key, tip.height + 1, Math.max(now, tip.header.time));
    if (broken) return { status: 'invalid', key, reason: broken.message, code: broken.code };
    if (!this.pending.add({ tx, key, size: txSize(tx) })) return { status: 'pool-full', key };
    this.failed.forget(key);
    return { status: 'added', key };
  }

  /** The rule a dropped transaction broke; never for a confirmed one. */
  failedTx(key: string): RuleCode | undefined {
    return this.view.hasTx(key) ? undefined : this.failed.get(key);
  }

  /**
   * Checks the pool again on the new active chain: a transaction that can no
   * longer apply for a permanent reason (failed-txs.ts) leaves the pool and
   * is remembered with its rule. Only the oldest {@link RECHECK_LIMIT} (and
   * any of the same time as the last of them) are checked per change, the
   * rest once they come to the front.
   */
  recheck(): FailedTx[] {
    const all = this.pending.list();
    let end = Math.min(all.length, RECHECK_LIMIT);
    while (end < all.length && all[end]!.tx.time === all[end - 1]!.tx.time) end++;
    const candidates = all.slice(0, end).map((e) => ({ tx: e.tx, key: e.key }));
    const tip = this.view.tip;
    const time = Math.max(this.clock, tip.header.time);
    const dropped: FailedTx[] = [];
    for (const { key, error } of this.rules.recheck(candidates, tip.height + 1, time)) {
      if (!isPermanentFailure(error.code)) continue;
      this.pending.remove(key);
      this.failed.remember(key, error.code);
      dropped.push({ key, code: error.code });
    }
    return dropped;
  }

  /**
   * The pending transactions a block on the tip at `time` can carry, in
   * mining order: within the network's size and count limits, not dated after
   * the block, and applying one after another under the rules.
   */
  select(time: number): Tx[] {
    const budget = this.params.maxBlockBytes - 1024;
    let bytes = 0;
    const fitting: { tx: Tx; key: string }[] = [];
    for (const e of this.pending.list()) {
      if (fitting.length >= this.params.maxTxPerBlock) break;
      if (e.tx.time > time + this.params.maxFutureSeconds || bytes + e.size > budget) continue;
      bytes += e.size;
      fitting.push({ tx: e.tx, key: e.key });
    }
    return this.rules.select(fitting, this.view.tip.height + 1, time);
  }
}
