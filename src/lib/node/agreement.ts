/**
 * The agreement layer in a running node (SPEC §5 "approval by majority";
 * docs/consensus.md), the one wiring of the core's agreement rules: the
 * browser's node and the simulator's nodes (src/lib/sim) both run it.
 *
 * - {@link Finality} counts every vote and learns finality from commit
 *   certificates recorded in blocks; its weight drives fork choice.
 * - A hospital validator runs a {@link ValidatorPolicy}: after every event
 *   and on a timer it signs what the rules say, saves its vote memory, and
 *   only then lets the votes leave (a crash never forgets a signed vote).
 * - Votes travel as opaque mesh messages (the encoded Approval transaction);
 *   {@link Agreement.checkVote} is the mesh's judge: signature, then the
 *   Finality verdict. Votes counted or kept for later are relayed, unless
 *   far above the rounds a quorum reached ({@link relayed}); a vote refused
 *   by a budget (one validator's share, a horizon) is never relayed.
 * - A decided height's certificate goes to the pending pool (recorded by
 *   the next block, offered to peers that connect later); an equivocation
 *   becomes an Evidence transaction, once per validator and height.
 */
import type { BlockNode, ChainState } from '../core/chain';
import { DecodeError } from '../core/errors';
import { BUDGET_REFUSALS, type Evidence, Finality, type VoteResult, relayed } from '../core/finality';
import { evidenceSlot } from '../core/ledger-rules';
import { quorumFunction, quorumRuleOf } from '../core/quorum-rule';
import type { VoteVerdict } from '../core/net/events';
import type { SignatureVerifier } from '../core/signature';
import { signTx } from '../core/sign-tx';
import { type Tx, TxKind, decodeTx, encodeTx } from '../core/tx';
import { checkTxSignature } from '../core/validate';
import { type RoundTiming, ValidatorPolicy } from '../core/validator';
import { evidencePayload } from '../core/vote';
import type { NodeKey } from './identity';
import type { VoteMemory } from '../core/vote-memory';

/** Pool approvals kept for a later count at most (each is also in the bounded pending pool). */
const MAX_DEFERRED = 8192;

export interface AgreementOptions {
  readonly chain: ChainState;
  readonly verifier: SignatureVerifier;
  /** Signs Evidence transactions (any node may report an equivocation). */
  readonly nodeKey: NodeKey;
  /** The hospital's signing key when this node is one of the validators. */
  readonly validatorKey?: NodeKey | null;
  readonly timing?: RoundTiming;
  /** The validator's memory as last saved (restored when it is for the height under agreement). */
  readonly memory?: VoteMemory | null;
  /** Counts with this quorum, not the genesis's (the simulator's broken-rule tests only). */
  readonly quorum?: (validators: number) => number;
  /** Node clock, seconds. */
  readonly now: () => number;
  /** Saves the vote memory durably; votes are sent only after it resolves. */
  readonly saveMemory: (m: VoteMemory) => Promise<void>;
  /** Sends our vote to every peer (bytes: the encoded Approval transaction). */
  readonly broadcast: (bytes: Uint8Array) => void;
  /** Puts an evidence transaction in the pending pool and announces it. */
  readonly addPending: (tx: Tx) => void;
  /** Finality or fork choice moved: the node persists and re-plans mining. */
  readonly changed: () => void;
}

export class Agreement {
  readonly finality: Finality;
  readonly policy: ValidatorPolicy | null;
  /** Equivocations heard (each becomes at most one Evidence transaction per validator and height). */
  evidenceSeen = 0;
  private readonly reported = new Set<string>();
  /**
   * Pool approvals refused by a horizon or budget (a late joiner receives
   * certificates for hundreds of heights at once): offered again each time
   * finality moves, so they count once their height is in reach.
   */
  private deferred: Tx[] = [];
  private stepping: Promise<void> = Promise.resolve();
  private saving = false;

  constructor(private readonly o: AgreementOptions) {
    const { chain } = o;
    // The quorum the network's founders chose, as its genesis records it (two thirds unless they chose the majority).
    this.finality = new Finality(chain, o.quorum ?? quorumFunction(quorumRuleOf(chain.genesis.block)));
    chain.approvalWeight = (key) => this.finality.weight(key);
    // Finality recorded in the chain itself (commit certificates carried by later blocks). Votes in
    // blocks at or below the final block are about decided heights (stale): only those above can count.
    for (const b of chain.activeBlocks(chain.finalized.height + 1)) this.handle(this.finality.fromBlock(b));
    // Certificates waiting in the restored pending pool (they are not fetched again, so count them now).
    for (const e of chain.pending.list()) this.txAccepted(e.tx);
    this.policy = o.validatorKey ? new ValidatorPolicy(chain, this.finality, o.validatorKey, o.timing) : null;
    const m = o.memory;
    if (this.policy && m && m.height === this.finality.height) {
      this.policy.restore(m);
      // Our own votes and our lock's proof count again (peers may have them; we lost them with the tab).
      for (const tx of this.policy.votesCast()) this.finality.add(tx);
    }
  }

  /** The mesh's judge of a peer's vote: never throws on garbage. */
  checkVote(bytes: Uint8Array): VoteVerdict {
    let tx: Tx;
    try {
      tx = decodeTx(bytes);
    } catch (e) {
      if (e instanceof DecodeError) return 'invalid';
      throw e;
    }
    if (tx.kind !== TxKind.Approval || !checkTxSignature(tx, this.o.verifier, this.o.chain.genesis.hash)) return 'invalid';
    const r = this.finality.add(tx);
    this.handle([r]);
    if (r.status === 'malformed') return 'invalid';
    // Refused by a budget (BUDGET_REFUSALS): not passed on, and judged again if it comes back.
    if (BUDGET_REFUSALS.has(r.status)) return 'later';
    // Far above the rounds a quorum reached: counted here, not passed on.
    return relayed(r) ? 'accept' : 'ignore';
  }

  /** A block joined the tree: certificates it carries, and a commit that waited for it. */
  blockAccepted(node: BlockNode): void {
    this.handle([...this.finality.fromBlock(node), ...this.finality.blockArrived(node)]);
  }

  /** An Approval transaction reached the pending pool (a certificate gossiped by a peer): count it. */
  txAccepted(tx: Tx): void {
    if (tx.kind !== TxKind.Approval) return;
    const r = this.finality.add(tx);
    if (BUDGET_REFUSALS.has(r.status) && this.deferred.length < MAX_DEFERRED) this.deferred.push(tx);
    this.handle([r]);
  }

  /**
   * Signs what the policy says now; the memory is saved before the votes
   * leave. Calls are serialised: a second call waits for the first.
   */
  step(): Promise<void> {
    if (!this.policy) return Promise.resolve();
    this.stepping = this.stepping.then(() => this.stepOnce());
    return this.stepping;
  }

  /** Our votes at the height under agreement, again: peers that connected since get them. */
  resend(): void {
    if (this.saving) return;
    for (const tx of this.policy?.votesCast() ?? []) this.o.broadcast(encodeTx(tx));
  }

  private async stepOnce(): Promise<void> {
    const policy = this.policy!;
    for (let i = 0; i < 8; i++) {
      const votes = policy.step(this.o.now());
      if (votes.length === 0) return;
      const memory = policy.memory();
      this.saving = true;
      try {
        if (memory) await this.o.saveMemory(memory);
      } finally {
        this.saving = false;
      }
      for (const v of votes) {
        this.handle([this.finality.add(v)]);
        this.o.broadcast(encodeTx(v));
      }
    }
  }

  private handle(results: readonly VoteResult[]): void {
    let moved = false;
    let batch = results;
    while (batch.length > 0) {
      let finalized = false;
      for (const r of batch) {
        if (r.status !== 'counted') continue;
        if (r.evidence) this.report(r.evidence);
        if (r.reorg || r.polka) moved = true;
        if (r.finalized) {
          moved = finalized = true;
          // Peers that voted have these votes already: the certificate waits in the pool, unannounced, for
          // the next block to record it (and goes to peers that connect later with the rest of the pool).
          for (const tx of this.finality.certificate(r.finalized.height) ?? []) this.o.chain.addPendingTx(tx, this.o.now());
        }
      }
      batch = finalized ? this.retryDeferred() : [];
    }
    if (moved) this.o.changed();
  }

  /** Offers the deferred pool approvals again (finality moved); those still refused wait on. */
  private retryDeferred(): VoteResult[] {
    const waiting = this.deferred;
    this.deferred = [];
    const results: VoteResult[] = [];
    for (const tx of waiting) {
      const r = this.finality.add(tx);
      if (BUDGET_REFUSALS.has(r.status)) this.deferred.push(tx);
      else results.push(r);
    }
    return results;
  }

  private report(e: Evidence): void {
    this.evidenceSeen++;
    const slot = evidenceSlot(e.validator, e.first.height);
    if (this.reported.has(slot) || this.o.chain.ledger?.evidence.has(slot)) return;
    this.reported.add(slot);
    const key = this.o.nodeKey;
    this.o.addPending(
      signTx(
        this.o.chain.genesis.hash,
        { kind: TxKind.Evidence, nonce: e.first.height, time: this.o.now(), payload: evidencePayload(e.first, e.second) },
        key.secret,
        key.pub,
      ),
    );
  }
}
