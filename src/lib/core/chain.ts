/**
 * Chain state (SPEC §5): every valid block known, the active chain chosen by
 * most cumulative work with a deterministic tie break, the blocks kept aside
 * whose parent is unknown, and the pending pool.
 *
 * Fork choice: among the valid blocks that descend from the last final block,
 * the tip is the one with the most cumulative work; equal work goes to the
 * lower hash (bytewise), so every node with the same blocks picks the same tip
 * whatever the order they arrived in. Finality (majority approval) is a later
 * layer: it calls {@link ChainState.markFinal}, and nothing reorganises below a
 * final block. Until then only the genesis block is final.
 *
 * `ChainState` is the façade over the parts in ./chain/, split by concern as
 * btcd splits its chain: the block tree (block-index.ts), the active chain
 * (chain-view.ts), fork choice (fork-choice.ts), reorganisation and finality
 * (reorg.ts), snapshot and restore (snapshot.ts), the pending pool's glue
 * (pending-txs.ts) and what is remembered of refused blocks (rejections.ts).
 * The stage-3 rules are the caller's: a node passes the medical ledger's
 * (`ledgerRules` in rules.ts); the chain itself knows no ledger.
 *
 * The state never throws on bad data: {@link ChainState.addBlock} returns a
 * result. It throws only on our own misuse ({@link AssertionError}).
 */
import { assert } from './assert';
import { MAX_BAD_BODIES } from './bad-bodies';
import { type Block, blockHash, decodeBlock, encodeBlock } from './block';
import { toHex } from './bytes';
import { DecodeError, RuleError, type RuleCode } from './errors';
import { ZERO_HASH, sha256 } from './hash';
import type { ChainSnapshot } from './snapshot';
import { OrphanPool } from './orphans';
import type { ChainParams } from './params';
import { PendingPool } from './pending';
import { nobleVerifier, type SignatureVerifier } from './signature';
import type { BlockRules } from './rules';
import type { Ledger } from './ledger';
import { GENESIS_SIGNING_NETWORK, type Tx } from './tx';
import { type ValidationContext, checkBlockSanity, checkGenesis } from './validate';
import { BlockIndex } from './chain/block-index';
import { type BlockNode, nodeOfBlock } from './chain/block-node';
import { ActiveChain } from './chain/chain-view';
import { type ApprovalWeight, prefer } from './chain/fork-choice';
import { PendingTxs } from './chain/pending-txs';
import { REMEMBERED_BY_BODY, Rejections, type StaleBlock } from './chain/rejections';
import { Reorganiser } from './chain/reorg';
import type { AddBlockResult, AddTxResult, Reorg } from './chain/results';
import { RestoredBodies, SnapshotRefused, restoreSnapshot, takeSnapshot } from './chain/snapshot';

export type { BlockNode } from './chain/block-node';
export type { AddBlockResult, AddTxResult, Reorg } from './chain/results';
export { better } from './chain/fork-choice';
export { NOT_CACHED } from './chain/rejections';

/** Makes the stage-3 rules (and their state) for the network of genesis hash `genesis`. */
export type RulesFactory = (verifier: SignatureVerifier, genesis: Uint8Array) => BlockRules;

export interface ChainStateOptions {
  /**
   * The stage-3 rules: required, so the generic chain holds no default. A
   * node passes the network's ledger (`ledgerRules`); a test of fork
   * choice alone passes `noStateRules`.
   */
  readonly rules: RulesFactory;
  readonly verifier?: SignatureVerifier;
  /** How many hashes of invalid blocks are remembered to refuse their descendants at once. */
  readonly maxInvalidRemembered?: number;
  /** How many bodies that failed a signature check are remembered, by their whole encoding (default {@link MAX_BAD_BODIES}). */
  readonly maxBadBodiesRemembered?: number;
}

export class ChainState {
  readonly genesis: BlockNode;
  readonly orphans: OrphanPool;
  readonly pending: PendingPool;
  /** Stage-3 rules and their state, always as of the active tip. */
  readonly rules: BlockRules;
  /**
   * Approval weight for fork choice: how many validators' approvals reached a
   * block (set by the agreement layer). When set, of two branches the one
   * whose first block after their fork point carries more approvals wins, then
   * most work, then the lower hash (fork-choice.ts).
   */
  approvalWeight: ApprovalWeight | null = null;
  private readonly verifier: SignatureVerifier;
  /** The genesis hash: the network every signature after the genesis block binds (SPEC §5). */
  private readonly network: Uint8Array;
  private readonly view = new ActiveChain();
  private readonly index: BlockIndex;
  private readonly rejections: Rejections;
  private readonly reorganiser: Reorganiser;
  private readonly pendingTxs: PendingTxs;
  private readonly bodies = new RestoredBodies();

  /**
   * Starts a chain from its genesis block, which is checked like any block
   * (the genesis rules, then stage 1). Throws {@link RuleError} for a bad genesis.
   */
  constructor(
    readonly params: ChainParams,
    origin: Block | { readonly snapshot: ChainSnapshot },
    now: number,
    options: ChainStateOptions,
  ) {
    this.verifier = options.verifier ?? nobleVerifier;
    const first = 'snapshot' in origin ? origin.snapshot.blocks[0]?.header : undefined;
    this.network = 'snapshot' in origin ? (first ? sha256(first) : ZERO_HASH) : blockHash(origin);
    // Misuse from untyped code: there is no default ledger to fall back on.
    assert(typeof options.rules === 'function', 'a chain state needs its stage-3 rules (a node passes ledgerRules)');
    this.rules = options.rules(this.verifier, this.network);
    this.orphans = new OrphanPool(params.maxOrphans, params.orphanExpirySeconds);
    this.pending = new PendingPool(params.maxPendingTxs);
    this.rejections = new Rejections(options.maxInvalidRemembered ?? 1024, options.maxBadBodiesRemembered ?? MAX_BAD_BODIES, params.maxOrphans, this.orphans);
    this.index = new BlockIndex(params, this.view, this.orphans, this.rejections);
    this.pendingTxs = new PendingTxs(params, this.verifier, this.network, this.rules, this.view, this.pending);
    this.reorganiser = new Reorganiser(this.view, this.index, this.rules, this.pending, this.pendingTxs, (a, b) => prefer(a, b, this.approvalWeight));
    if ('snapshot' in origin) {
      const { rules, index, view, reorganiser, bodies } = this;
      this.genesis = restoreSnapshot(origin.snapshot, { params, rules, index, view, reorganiser, bodies });
      reorganiser.setFinal(this.tip);
      return;
    }
    const genesis = origin;
    const hash = blockHash(genesis);
    const size = encodeBlock(genesis).length;
    // The genesis block's own transactions sign no network yet: its hash commits to them (tx.ts signingNetwork).
    // Its shape is checked first: another block's signatures, made for its network, say nothing as a genesis's.
    const ctx = { ...this.context(now), network: GENESIS_SIGNING_NETWORK };
    checkGenesis(genesis, hash, ctx);
    checkBlockSanity(genesis, hash, size, ctx);
    const node = nodeOfBlock(params, genesis, hash, size, null);
    this.reorganiser.connect(node);
    this.index.add(node);
    this.genesis = node;
    this.reorganiser.setFinal(node);
  }

  /**
   * A chain state from a snapshot at its final block (issue 7): the headers
   * are checked as a peer's would be (links, heights, proof of work, the
   * retarget rule's bits, median times) and the ledger is taken as written.
   * Blocks above the final one are then added as usual. Bodies of the
   * snapshot's blocks are not in memory: {@link attachBody} gives them.
   * A snapshot that does not hold together is refused with the reason.
   */
  static restore(
    params: ChainParams,
    snapshot: ChainSnapshot,
    now: number,
    options: ChainStateOptions,
  ): { ok: true; chain: ChainState } | { ok: false; message: string } {
    try {
      return { ok: true, chain: new ChainState(params, { snapshot }, now, options) };
    } catch (e) {
      if (e instanceof SnapshotRefused) return { ok: false, message: e.message };
      throw e;
    }
  }

  /**
   * Gives a snapshot block its encoded body (read from the store). Taken only
   * when the bytes start with the block's own header; the caller has checked
   * the stored digest, and the background check decodes every body.
   */
  attachBody(key: string, bytes: Uint8Array): boolean {
    const node = this.index.get(key);
    return node !== undefined && this.bodies.attach(node, bytes);
  }

  /** Whether a block's body is available (every block not restored from a snapshot has one). */
  hasBody(node: BlockNode): boolean {
    return this.bodies.has(node);
  }

  /**
   * The state at the final block as a snapshot (issue 7). The blocks above it
   * are taken off the active chain, the state read, and they are joined
   * again exactly (their rules applied once more, as on a reorganisation).
   */
  snapshot(): ChainSnapshot {
    return takeSnapshot(this.params, this.rules, this.view, this.reorganiser);
  }

  /** The ledger of identities, records and consent as of the tip (null when the rules keep none). */
  get ledger(): Ledger | null {
    return this.rules.ledger;
  }

  /** The tip of the active chain. */
  get tip(): BlockNode {
    return this.view.tip;
  }

  get height(): number {
    return this.view.tip.height;
  }

  /** The last final block (only genesis until the agreement layer marks more). */
  get finalized(): BlockNode {
    return this.reorganiser.final;
  }

  /** The active-chain block at `height`, if any. */
  atHeight(height: number): BlockNode | undefined {
    return this.view.at(height);
  }

  /** Any known valid block by hex hash. */
  get(key: string): BlockNode | undefined {
    return this.index.get(key);
  }

  /** Number of valid blocks known (all branches). */
  get blockCount(): number {
    return this.index.size;
  }

  /** Whether the node is on the active chain. */
  isActive(node: BlockNode): boolean {
    return this.view.isActive(node);
  }

  /** How many blocks' undo data is held (those above the final block, and genesis): what a reorganisation can still take back. */
  get undoHeld(): number {
    return this.reorganiser.undoHeld;
  }

  /** The active chain's height of a confirmed transaction, if any. */
  txHeight(key: string): number | undefined {
    return this.view.txHeight(key);
  }

  /**
   * Chooses the tip again among every valid block descending from the final
   * block (after approval weights changed). Returns the reorganisation, if any.
   */
  reconsider(): Reorg | null {
    const leaves = this.index.all().filter((n) => this.descendsFromFinal(n));
    return this.reorganiser.chooseTip(leaves, new Map());
  }

  /** Blocks that lost to a final block (orphans, SPEC §5), oldest first; at most params.maxOrphans. */
  get stale(): readonly StaleBlock[] {
    return this.rejections.stale;
  }

  /** Blocks of the active chain from height `from` to the tip, in order. */
  activeBlocks(from = 0): BlockNode[] {
    return this.view.blocks(from);
  }

  /** Decodes and adds a block received as bytes; bad bytes give an `invalid` result. */
  addBlockBytes(bytes: Uint8Array, now: number): AddBlockResult {
    let block: Block;
    try {
      block = decodeBlock(bytes);
    } catch (e) {
      if (!(e instanceof DecodeError)) throw e;
      return { status: 'invalid', key: null, error: new RuleError('BAD_ENCODING', e.message) };
    }
    return this.addBlock(block, now, bytes.length);
  }

  /**
   * Validates and adds a block. A block with an unknown parent is kept aside
   * (after stage-1 checks) and adopted when the parent arrives.
   */
  addBlock(block: Block, now: number, encodedSize = encodeBlock(block).length): AddBlockResult {
    this.pendingTxs.seen(now);
    this.orphans.expire(now);
    const hash = blockHash(block);
    const key = toHex(hash);
    if (this.index.has(key) || this.orphans.has(key)) return { status: 'duplicate', key };
    const rejections = this.rejections;
    const known = rejections.known(key);
    if (known) return { status: 'invalid', key, error: new RuleError(known, `block already found invalid (${known})`, block.header.height, hash) };
    // The very same bad body again (another peer relaying it): its rule at once, no signature checked twice.
    const bad = rejections.badBodies.get(key, block);
    if (bad) return rejections.invalidResult(key, new RuleError(bad, `block body already found invalid (${bad})`, block.header.height, hash));
    const ctx = this.context(now);
    try {
      checkBlockSanity(block, hash, encodedSize, ctx);
    } catch (e) {
      if (e instanceof RuleError && REMEMBERED_BY_BODY.has(e.code)) rejections.badBodies.remember(key, block, e.code);
      return rejections.rejected(key, e);
    }
    const parentKey = toHex(block.header.prevHash);
    if (rejections.known(parentKey) !== undefined) return rejections.rejected(key, new RuleError('BAD_PREV', 'parent is invalid', block.header.height, hash));
    const parent = this.index.get(parentKey);
    // A block must build on the last final block: nothing below it can ever become active.
    if (parent && !this.descendsFromFinal(parent)) {
      // An orphan in the paper's sense: never part of the chain, kept aside (bounded) to be shown as such.
      rejections.keepStale(key, block, now);
      return rejections.invalidResult(key, new RuleError('BELOW_FINAL', 'forks below the last final block (BELOW_FINAL)', block.header.height, hash));
    }
    if (!parent) {
      this.orphans.add({ block, hash, key, parentKey, size: encodedSize, receivedAt: now });
      return { status: 'orphan', key };
    }
    let node: BlockNode;
    try {
      node = this.index.connect(block, hash, encodedSize, parent, ctx);
    } catch (e) {
      return rejections.rejected(key, e);
    }
    const adopted = this.index.adoptOrphans(node, ctx);
    const failures = new Map<string, RuleError>();
    const reorg = this.reorganiser.chooseTip([node, ...adopted], failures);
    if (!this.index.has(node.key)) {
      const error = failures.get(node.key) ?? new RuleError('BAD_PREV', 'parent broke a rule', node.height, node.hash);
      return { status: 'invalid', key, error };
    }
    return { status: 'accepted', node, adopted: adopted.filter((n) => this.index.has(n.key)), reorg };
  }

  /**
   * The rule this exact block (header and body, signatures included) was
   * found to break by a signature check, or null. Lets the network skip
   * preparing (checking the signatures of) a body already known bad.
   */
  knownBadBody(block: Block): RuleCode | null {
    return this.rejections.badBodies.get(toHex(blockHash(block)), block);
  }

  /**
   * Adds a signed transaction to the pending pool after the checks that need
   * no block: structure, signature, and not already confirmed.
   */
  addPendingTx(tx: Tx, now = this.tip.header.time): AddTxResult {
    return this.pendingTxs.add(tx, now);
  }

  /**
   * The rule a transaction broke when the chain made it invalid while it
   * waited in the pool (it was dropped then); undefined when it did not
   * fail, or was forgotten (the memory is bounded). Confirmed transactions
   * ({@link txHeight}) never count as failed.
   */
  failedTx(key: string): RuleCode | undefined {
    return this.pendingTxs.failedTx(key);
  }

  /**
   * The pending transactions a block on the tip at `time` can carry, in
   * mining order: within the network's size and count limits, not dated after
   * the block, and applying one after another under the rules.
   */
  selectForBlock(time: number): Tx[] {
    return this.pendingTxs.select(time);
  }

  /**
   * Marks a block final: it and its ancestors are never reorganised away.
   * The agreement layer (majority approval, issue 4) calls this. Asserts the
   * block is known and descends from the current final block.
   */
  markFinal(key: string): Reorg | null {
    const node = this.index.get(key);
    assert(node !== undefined, 'markFinal of an unknown block');
    assert(this.ancestor(node, this.finalized.height) === this.finalized, 'markFinal off the final branch');
    if (this.ancestor(this.tip, node.height) === node) {
      this.reorganiser.setFinal(node);
      return null;
    }
    // The tip is on a branch that has lost: move to the best descendant of the block first,
    // and only then call it final (its branch may break a stage-3 rule and be discarded).
    const reorg = this.reorganiser.chooseTip(this.index.branchesFrom(node), new Map(), true);
    if (this.index.has(node.key) && this.ancestor(this.tip, node.height) === node) this.reorganiser.setFinal(node);
    return reorg;
  }

  /** Ancestor of `node` at `height` (itself when equal). */
  ancestor(node: BlockNode, height: number): BlockNode | undefined {
    return this.view.ancestor(node, height);
  }

  /** Whether `n` is the last final block or one of its descendants (the only blocks that can join the chain). */
  descendsFromFinal(n: BlockNode): boolean {
    return this.reorganiser.descendsFromFinal(n);
  }

  /**
   * The validators after an active block: the admitted hospitals once its
   * transactions applied (SPEC §5: the validator set is chain state).
   */
  validatorsAt(key: string): readonly string[] | undefined {
    return this.reorganiser.validatorsAt(key);
  }

  private context(now: number): ValidationContext {
    return { params: this.params, now, verifier: this.verifier, network: this.network };
  }
}
