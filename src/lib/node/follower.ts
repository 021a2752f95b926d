/**
 * A tab that follows the profile's writer tab (SPEC §2: same-origin tabs are
 * one node, one writer). It never writes: it loads the shared store (fast
 * check) and loads it again whenever the writer announces a new tip, so its
 * status shows the same chain. Loads are serialised and coalesced. A read
 * that fails, or that does not yet hold the announced tip, is tried again
 * every {@link RETRY_MS} until it does (or a newer tip is announced):
 * otherwise one missed read left the tab behind until the writer's next
 * block, which may never come.
 */
import type { ChainState } from '../core/chain';
import type { ChainParams } from '../core/params';
import { TxKind } from '../core/tx';
import { type LoadVerifier, loadChain } from './chain-build';
import type { BlockMarker, ChainStore } from '../adapters/store/types';
import { type Timers, realTimers } from '../adapters/timers';
import { NodeEvents } from './events';
import { ChangeWatch, nodeFacts } from './node-changes';
import type { NodeStatus, VerifyResult } from './types';
import { verifyStore } from './verify';

/** How long a follower waits before reading the store again when its read lacked the announced tip (ms). */
export const RETRY_MS = 1000;
/** Reads of one announced tip before the follower waits for the next announcement instead. */
export const RETRIES = 60;

export class Follower {
  private chain: ChainState | null = null;
  /** The last tip the writer announced, until a read holds it. */
  private wanted: BlockMarker | null = null;
  private tries = 0;
  private retry: unknown = null;
  private loading: Promise<void> | null = null;
  private again = false;
  /** What each read of the store changed (tip, final block, pool): the screens of this tab subscribe to it. */
  readonly events = new NodeEvents();
  private readonly changes = new ChangeWatch(this.events);

  constructor(
    private readonly store: ChainStore,
    private readonly params: ChainParams,
    private readonly now: () => number,
    private readonly verifier: LoadVerifier,
    private readonly timers: Timers = realTimers,
  ) {}

  /**
   * Reads the store again (call on every tip the writer announces, with that
   * tip). A failed read keeps the last chain, and is tried again.
   */
  refresh(announced?: BlockMarker): Promise<void> {
    if (announced) {
      this.wanted = announced;
      this.tries = 0;
    }
    // Asked during a read: that read goes round once more. `loading` is cleared in the same
    // synchronous step that sees no more requests, so a request can never fall between the two
    // (it did with a `.finally()` callback, a microtask later: the follower missed a tip).
    this.again = true;
    if (!this.loading) this.loading = this.reload();
    return this.loading;
  }

  /** Resolves when the read under way (if any) is done. */
  refreshing(): Promise<void> {
    return this.loading ?? Promise.resolve();
  }

  /** The chain as last read from the shared store (null before the first read). */
  current(): ChainState | null {
    return this.chain;
  }

  /** Reads that failed (the store closing under a version change, a quota error): shown, never thrown. */
  failures = 0;

  private async reload(): Promise<void> {
    try {
      while (this.again) {
        this.again = false;
        try {
          const r = await loadChain(this.store, this.params, { now: Math.floor(this.now() / 1000), verifier: this.verifier });
          if (r.chain) {
            this.chain = r.chain;
            this.changes.see(nodeFacts(r.chain, [], null, false));
          }
        } catch {
          this.failures++;
        }
      }
    } finally {
      this.loading = null;
      this.retryIfBehind();
    }
  }

  /** Reads that were tried again because the last one lacked the announced tip. */
  retries = 0;

  private retryIfBehind(): void {
    const w = this.wanted;
    if (this.retry !== null || this.closed) return;
    // Behind: the announced tip is not in what we read, or nothing could be read at all.
    if (w ? this.chain?.get(w.key) : this.chain !== null) {
      this.wanted = null;
      return;
    }
    if (++this.tries > RETRIES) return;
    this.retry = this.timers.setTimeout(() => {
      this.retry = null;
      this.retries++;
      void this.refresh();
    }, RETRY_MS);
  }

  status(nodeId: string | null): NodeStatus {
    const c = this.chain;
    return {
      nodeId,
      role: 'follower',
      height: c?.height ?? 0,
      tipHash: c?.tip.key ?? '',
      finalHeight: c?.finalized.height ?? 0,
      peers: 0,
      pending: c ? c.pending.list().filter((e) => e.tx.kind !== TxKind.Approval).length : 0,
      mining: false,
    };
  }

  /** The full check of the shared store (read-only). */
  verify(): Promise<VerifyResult> {
    return verifyStore(this.store, this.params, Math.floor(this.now() / 1000), this.verifier);
  }

  private closed = false;

  close(): void {
    this.closed = true;
    if (this.retry !== null) this.timers.clearTimeout(this.retry);
    this.retry = null;
    this.store.close();
  }
}
