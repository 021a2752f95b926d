/**
 * A tab that follows the profile's writer tab (SPEC §2: same-origin tabs are
 * one node, one writer). It never writes: it loads the shared store (fast
 * check) and loads it again whenever the writer announces a new tip, so its
 * status shows the same chain. Loads are serialised and coalesced.
 */
import type { ChainState } from '../core/chain';
import type { ChainParams } from '../core/params';
import { TxKind } from '../core/tx';
import { type LoadVerifier, loadChain } from './chain-build';
import type { ChainStore } from '../adapters/store/types';
import { NodeEvents } from './events';
import { ChangeWatch, nodeFacts } from './node-changes';
import type { NodeStatus, VerifyResult } from './types';
import { verifyStore } from './verify';

export class Follower {
  private chain: ChainState | null = null;
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
  ) {}

  /** Reads the store again (call on every tip the writer announces). A failed read keeps the last chain. */
  refresh(): Promise<void> {
    // Asked during a read: that read goes round once more. `loading` is cleared in the same
    // synchronous step that sees no more requests, so a request can never fall between the two
    // (it did with a `.finally()` callback, a microtask later: the follower missed a tip).
    this.again = true;
    if (!this.loading) this.loading = this.reload();
    return this.loading;
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
    }
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

  close(): void {
    this.store.close();
  }
}
