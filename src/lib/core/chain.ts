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
 * The state never throws on bad data: {@link ChainState.addBlock} returns a
 * result. It throws only on our own misuse ({@link AssertionError}).
 */
import { assert } from './assert';
import { BadBodies, MAX_BAD_BODIES } from './bad-bodies';
import { type Block, blockHash, decodeBlock, encodeBlock } from './block';
import { bytesEqual, compareBytes, toHex } from './bytes';
import { targetFromBits, workForTarget } from './compact';
import { DecodeError, RuleError, type RuleCode } from './errors';
import { type BlockHeader, HEADER_BYTES, decodeHeader, encodeHeader } from './header';
import { ZERO_HASH, sha256 } from './hash';
import { headerFault } from './header-rules';
import type { ChainSnapshot, ValidatorChange } from './snapshot';
import { OrphanPool } from './orphans';
import type { ChainParams } from './params';
import { PendingPool } from './pending';
import { type FailedTx, FailedTxs, RECHECK_LIMIT, isPermanentFailure } from './failed-txs';
import { nobleVerifier, type SignatureVerifier } from './signature';
import { type BlockRules, ledgerRules } from './rules';
import type { Ledger } from './ledger';
import { GENESIS_SIGNING_NETWORK, type Tx, txId } from './tx';
import {
  type ParentView,
  type ValidationContext,
  checkBlockContext,
  checkBlockSanity,
  checkBlockState,
  checkGenesis,
  checkTxSignature,
  checkTxStructure,
  medianTime,
  txSize,
} from './validate';

/** A valid block in the block tree. */
export interface BlockNode {
  readonly hash: Uint8Array;
  /** Hex of the hash: the key of every map. */
  readonly key: string;
  readonly block: Block;
  readonly header: BlockHeader;
  readonly height: number;
  readonly parent: BlockNode | null;
  /** Sum of the work of this block and all its ancestors. */
  readonly chainWork: bigint;
  /** Median time of this block and its ancestors (what a child must exceed). */
  readonly medianTimePast: number;
  /** Hex ids of its transactions. */
  readonly txKeys: readonly string[];
  /** Encoded size, bytes. */
  readonly size: number;
}

/** How the active chain changed. */
export interface Reorg {
  readonly forkPoint: BlockNode;
  /** Blocks that left the active chain, tip first. */
  readonly disconnected: readonly BlockNode[];
  /** Blocks that joined it, lowest first. */
  readonly connected: readonly BlockNode[];
  /** Transactions of disconnected blocks put back in the pending pool. */
  readonly returnedTxs: readonly Tx[];
  /** Pending transactions the new chain made invalid for good: dropped from the pool, with their rule ({@link ChainState.failedTx}). */
  readonly failedTxs: readonly FailedTx[];
}

export type AddBlockResult =
  | {
      readonly status: 'accepted';
      readonly node: BlockNode;
      /** Blocks that had waited for this one and were accepted after it. */
      readonly adopted: readonly BlockNode[];
      /** Set when the active chain changed (a plain extension is a reorg with nothing disconnected). */
      readonly reorg: Reorg | null;
    }
  | { readonly status: 'duplicate'; readonly key: string }
  | { readonly status: 'orphan'; readonly key: string }
  | { readonly status: 'invalid'; readonly key: string | null; readonly error: RuleError };

export type AddTxResult =
  | { readonly status: 'added'; readonly key: string }
  | { readonly status: 'duplicate'; readonly key: string }
  | { readonly status: 'in-chain'; readonly key: string }
  | { readonly status: 'pool-full'; readonly key: string }
  | { readonly status: 'invalid'; readonly key: string; readonly reason: string; readonly code?: RuleCode };

export interface ChainStateOptions {
  readonly verifier?: SignatureVerifier;
  /** Stage-3 rules for the network of genesis hash `genesis`; the network's ledger rules unless a test isolates fork choice. */
  readonly rules?: (verifier: SignatureVerifier, genesis: Uint8Array) => BlockRules;
  /** How many hashes of invalid blocks are remembered to refuse their descendants at once. */
  readonly maxInvalidRemembered?: number;
  /** How many bodies that failed a signature check are remembered, by their whole encoding (default {@link MAX_BAD_BODIES}). */
  readonly maxBadBodiesRemembered?: number;
}

export class ChainState {
  readonly genesis: BlockNode;
  readonly orphans: OrphanPool;
  readonly pending: PendingPool;
  private readonly nodes = new Map<string, BlockNode>();
  private readonly active: BlockNode[] = [];
  /** Transaction id → height, for the active chain. */
  private readonly txIndex = new Map<string, number>();
  /** Blocks refused because they compete with a final block: kept aside for display, bounded, oldest dropped. */
  private readonly staleBlocks: { readonly key: string; readonly block: Block; readonly receivedAt: number }[] = [];
  /** Hashes of blocks found invalid, with the rule they broke (bounded, oldest forgotten first). */
  private readonly invalid = new Map<string, RuleCode>();
  /** Exact blocks whose body failed a signature check (keyed by their whole encoding, so a genuine block with the same header stays acceptable). */
  private readonly badBodies: BadBodies;
  private readonly verifier: SignatureVerifier;
  /** The genesis hash: the network every signature after the genesis block binds (SPEC §5). */
  private readonly network: Uint8Array;
  private readonly maxInvalid: number;
  private finalNode: BlockNode;
  /** Stage-3 rules and their state, always as of the active tip. */
  readonly rules: BlockRules;
  /** Encoded bodies of the blocks restored from a snapshot (attached after the start). */
  private readonly bodies = new Map<string, Uint8Array>();
  /** Height of the snapshot this state was restored from (-1: built block by block); no block at or below it is added later. */
  private restoredHeight = -1;
  /** Undo data of each active block's stage-3 changes. */
  private readonly undo = new Map<string, unknown>();
  /** Pending transactions dropped because the chain made them invalid for good (bounded), so their authors learn why. */
  private readonly failed = new FailedTxs();
  /** The latest clock reading given (seconds): pending transactions are checked again at this time or the tip's, as they were when added. */
  private clock = 0;
  /** The validators (admitted hospitals) after each active block, shared while unchanged. */
  private readonly validatorsAfter = new Map<string, readonly string[]>();

  /**
   * Starts a chain from its genesis block, which is checked like any block
   * (the genesis rules, then stage 1). Throws {@link RuleError} for a bad genesis.
   */
  constructor(
    readonly params: ChainParams,
    origin: Block | { readonly snapshot: ChainSnapshot },
    now: number,
    options: ChainStateOptions = {},
  ) {
    this.verifier = options.verifier ?? nobleVerifier;
    const first = 'snapshot' in origin ? origin.snapshot.blocks[0]?.header : undefined;
    this.network = 'snapshot' in origin ? (first ? sha256(first) : ZERO_HASH) : blockHash(origin);
    this.rules = (options.rules ?? ledgerRules)(this.verifier, this.network);
    this.maxInvalid = options.maxInvalidRemembered ?? 1024;
    this.badBodies = new BadBodies(options.maxBadBodiesRemembered ?? MAX_BAD_BODIES);
    this.orphans = new OrphanPool(params.maxOrphans, params.orphanExpirySeconds);
    this.pending = new PendingPool(params.maxPendingTxs);
    if ('snapshot' in origin) {
      this.genesis = this.restoreFrom(origin.snapshot);
      this.finalNode = this.tip;
      this.restoredHeight = this.tip.height;
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
    const node = this.makeNode(genesis, hash, size, null);
    try {
      this.undo.set(node.key, this.rules.connect(genesis, node.txKeys));
    } catch (e) {
      throw e instanceof RuleError ? new RuleError(e.code, e.message, 0, hash) : e;
    }
    this.nodes.set(node.key, node);
    this.active.push(node);
    this.recordValidators(node, []);
    for (const k of node.txKeys) this.txIndex.set(k, 0);
    this.genesis = node;
    this.finalNode = node;
  }

  /**
   * A chain state from a snapshot at its final block (issue 7): the headers
   * are checked as a peer's would be (links, heights, proof of work, the
   * retarget rule's bits, median times) and the ledger is taken as written.
   * Blocks above the final one are then added as usual. Bodies of the
   * snapshot's blocks are not in memory: {@link attachBody} gives them.
   * A snapshot that does not hold together is refused with the reason.
   */
  static restore(params: ChainParams, snapshot: ChainSnapshot, now: number, options: ChainStateOptions = {}): { ok: true; chain: ChainState } | { ok: false; message: string } {
    try {
      return { ok: true, chain: new ChainState(params, { snapshot }, now, options) };
    } catch (e) {
      if (e instanceof SnapshotRefused) return { ok: false, message: e.message };
      throw e;
    }
  }

  private restoreFrom(snap: ChainSnapshot): BlockNode {
    const refuse = (why: string): never => {
      throw new SnapshotRefused(why);
    };
    if (snap.networkId !== this.params.id) refuse(`snapshot of network ${snap.networkId}`);
    if (snap.blocks.length === 0) refuse('snapshot without blocks');
    if (this.rules.ledger ? !this.rules.ledger.load(snap.ledger) : snap.ledger.length !== 0) refuse('ledger tables do not match');
    const changes = snap.validators;
    if (changes[0]?.height !== 0 || changes.some((c, i) => i > 0 && c.height <= changes[i - 1]!.height)) refuse('validator changes out of order');
    let change = 0;
    let parent: BlockNode | null = null;
    for (const b of snap.blocks) {
      let header: BlockHeader;
      try {
        header = decodeHeader(b.header);
      } catch (e) {
        if (!(e instanceof DecodeError)) throw e;
        return refuse(`header ${this.active.length}: ${e.message}`);
      }
      const hash = sha256(b.header);
      const why = headerFault(this.params, header, hash, parent, (h) => this.active[h]!.header.time);
      if (why) refuse(`header ${this.active.length}: ${why}`);
      const node = this.headerNode(header, hash, b.size, b.txKeys, parent);
      this.nodes.set(node.key, node);
      this.active.push(node);
      for (const k of node.txKeys) {
        if (this.txIndex.has(k)) refuse(`transaction ${k} twice`);
        this.txIndex.set(k, node.height);
      }
      while (changes[change + 1]?.height === node.height) change++;
      this.validatorsAfter.set(node.key, changes[change]!.ids);
      parent = node;
    }
    if (change !== changes.length - 1) refuse('validator change above the final block');
    return this.active[0]!;
  }

  /** A block of a snapshot: its header and indexes; the body comes from {@link attachBody}. */
  private headerNode(header: BlockHeader, hash: Uint8Array, size: number, txKeys: readonly string[], parent: BlockNode | null): BlockNode {
    const bodies = this.bodies;
    const key = toHex(hash);
    const { chainWork, medianTimePast } = this.measures(header, parent);
    return {
      hash,
      key,
      header,
      height: header.height,
      parent,
      chainWork,
      medianTimePast,
      txKeys,
      size,
      get block(): Block {
        const bytes = bodies.get(key);
        assert(bytes !== undefined, `the body of block ${header.height} is not loaded`);
        return decodeBlock(bytes);
      },
    };
  }

  /**
   * Gives a snapshot block its encoded body (read from the store). Taken only
   * when the bytes start with the block's own header; the caller has checked
   * the stored digest, and the background check decodes every body.
   */
  attachBody(key: string, bytes: Uint8Array): boolean {
    const node = this.nodes.get(key);
    if (!node || this.bodies.has(key) || bytes.length !== node.size) return false;
    if (!bytesEqual(bytes.subarray(0, HEADER_BYTES), encodeHeader(node.header))) return false;
    this.bodies.set(key, bytes);
    return true;
  }

  /** Whether a block's body is available (every block not restored from a snapshot has one). */
  hasBody(node: BlockNode): boolean {
    return node.height > this.restoredHeight || this.bodies.has(node.key);
  }

  /**
   * The state at the final block as a snapshot (issue 7). The blocks above it
   * are taken off the active chain, the state read, and they are joined
   * again exactly (their rules applied once more, as on a reorganisation).
   */
  snapshot(): ChainSnapshot {
    const above: BlockNode[] = [];
    while (this.tip !== this.finalNode) above.push(this.disconnectTip());
    try {
      const blocks = this.active.map((n) => ({ header: encodeHeader(n.header), size: n.size, txKeys: n.txKeys }));
      const validators: ValidatorChange[] = [];
      for (const n of this.active) {
        const ids = this.validatorsAfter.get(n.key)!;
        if (validators.length === 0 || validators[validators.length - 1]!.ids.join() !== ids.join()) validators.push({ height: n.height, ids });
      }
      return { networkId: this.params.id, blocks, validators, ledger: this.rules.ledger?.tables() ?? [] };
    } finally {
      for (const b of above.reverse()) this.connectActive(b);
    }
  }

  /** The ledger of identities, records and consent as of the tip (null when the rules keep none). */
  get ledger(): Ledger | null {
    return this.rules.ledger;
  }

  /** The tip of the active chain. */
  get tip(): BlockNode {
    return this.active[this.active.length - 1]!;
  }

  get height(): number {
    return this.tip.height;
  }

  /** The last final block (only genesis until the agreement layer marks more). */
  get finalized(): BlockNode {
    return this.finalNode;
  }

  /** The active-chain block at `height`, if any. */
  atHeight(height: number): BlockNode | undefined {
    return this.active[height];
  }

  /** Any known valid block by hex hash. */
  get(key: string): BlockNode | undefined {
    return this.nodes.get(key);
  }

  /** Number of valid blocks known (all branches). */
  get blockCount(): number {
    return this.nodes.size;
  }

  /** Whether the node is on the active chain. */
  isActive(node: BlockNode): boolean {
    return this.active[node.height] === node;
  }

  /** How many blocks' undo data is held (those above the final block, and genesis): what a reorganisation can still take back. */
  get undoHeld(): number {
    return this.undo.size;
  }

  /** The active chain's height of a confirmed transaction, if any. */
  txHeight(key: string): number | undefined {
    return this.txIndex.get(key);
  }

  /**
   * Approval weight for fork choice: how many validators' approvals reached a
   * block (set by the agreement layer). When set, of two branches the one
   * whose first block after their fork point carries more approvals wins, then
   * most work, then the lower hash; so honest validators, who approve their
   * own tip, converge on the branch most of them already back.
   */
  approvalWeight: ((key: string) => number) | null = null;

  /** Fork choice between two candidate tips. */
  private prefer(a: BlockNode, b: BlockNode): boolean {
    const weight = this.approvalWeight;
    if (weight) {
      let x: BlockNode = a;
      let y: BlockNode = b;
      while (x.height > y.height) x = x.parent!;
      while (y.height > x.height) y = y.parent!;
      let ca: BlockNode | null = a.height > x.height ? a : null;
      let cb: BlockNode | null = b.height > y.height ? b : null;
      while (x !== y) {
        ca = x;
        cb = y;
        x = x.parent!;
        y = y.parent!;
      }
      // ca, cb: the first blocks of each branch after the fork point (null when one is an ancestor of the other).
      if (ca && cb) {
        const wa = weight(ca.key);
        const wb = weight(cb.key);
        if (wa !== wb) return wa > wb;
      }
    }
    return better(a, b);
  }

  /**
   * Chooses the tip again among every valid block descending from the final
   * block (after approval weights changed). Returns the reorganisation, if any.
   */
  reconsider(): Reorg | null {
    const leaves = [...this.nodes.values()].filter((n) => this.descendsFromFinal(n));
    return this.chooseTip(leaves, new Map());
  }

  /** Blocks that lost to a final block (orphans, SPEC §5), oldest first; at most params.maxOrphans. */
  get stale(): readonly { readonly key: string; readonly block: Block; readonly receivedAt: number }[] {
    return this.staleBlocks;
  }

  /** Blocks of the active chain from height `from` to the tip, in order. */
  activeBlocks(from = 0): BlockNode[] {
    return this.active.slice(from);
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
    this.clock = Math.max(this.clock, now);
    this.orphans.expire(now);
    const hash = blockHash(block);
    const key = toHex(hash);
    if (this.nodes.has(key) || this.orphans.has(key)) return { status: 'duplicate', key };
    const known = this.invalid.get(key);
    if (known) return { status: 'invalid', key, error: new RuleError(known, `block already found invalid (${known})`, block.header.height, hash) };
    // The very same bad body again (another peer relaying it): its rule at once, no signature checked twice.
    const bad = this.badBodies.get(key, block);
    if (bad) return this.invalidResult(key, new RuleError(bad, `block body already found invalid (${bad})`, block.header.height, hash));
    const ctx = this.context(now);
    try {
      checkBlockSanity(block, hash, encodedSize, ctx);
    } catch (e) {
      if (e instanceof RuleError && REMEMBERED_BY_BODY.has(e.code)) this.badBodies.remember(key, block, e.code);
      return this.rejected(key, e);
    }
    const parentKey = toHex(block.header.prevHash);
    if (this.invalid.has(parentKey))
      return this.rejected(key, new RuleError('BAD_PREV', 'parent is invalid', block.header.height, hash));
    const parent = this.nodes.get(parentKey);
    // A block must build on the last final block: nothing below it can ever become active.
    if (parent && !this.descendsFromFinal(parent)) {
      // An orphan in the paper's sense: never part of the chain, kept aside (bounded) to be shown as such.
      if (!this.staleBlocks.some((s) => s.key === key)) {
        if (this.staleBlocks.length >= this.params.maxOrphans) this.staleBlocks.shift();
        this.staleBlocks.push({ key, block, receivedAt: now });
      }
      return this.invalidResult(key, new RuleError('BELOW_FINAL', 'forks below the last final block (BELOW_FINAL)', block.header.height, hash));
    }
    if (!parent) {
      this.orphans.add({ block, hash, key, parentKey, size: encodedSize, receivedAt: now });
      return { status: 'orphan', key };
    }
    let node: BlockNode;
    try {
      node = this.connectToTree(block, hash, encodedSize, parent, ctx);
    } catch (e) {
      return this.rejected(key, e);
    }
    const adopted = this.adoptOrphans(node, ctx);
    const failures = new Map<string, RuleError>();
    const reorg = this.chooseTip([node, ...adopted], failures);
    if (!this.nodes.has(node.key)) {
      const error = failures.get(node.key) ?? new RuleError('BAD_PREV', 'parent broke a rule', node.height, node.hash);
      return { status: 'invalid', key, error };
    }
    return { status: 'accepted', node, adopted: adopted.filter((n) => this.nodes.has(n.key)), reorg };
  }

  /**
   * The rule this exact block (header and body, signatures included) was
   * found to break by a signature check, or null. Lets the network skip
   * preparing (checking the signatures of) a body already known bad.
   */
  knownBadBody(block: Block): RuleCode | null {
    return this.badBodies.get(toHex(blockHash(block)), block);
  }

  /**
   * Adds a signed transaction to the pending pool after the checks that need
   * no block: structure, signature, and not already confirmed.
   */
  addPendingTx(tx: Tx, now = this.tip.header.time): AddTxResult {
    this.clock = Math.max(this.clock, now);
    const id = txId(tx);
    const key = toHex(id);
    if (this.pending.has(key)) return { status: 'duplicate', key };
    if (this.txIndex.has(key)) return { status: 'in-chain', key };
    const why = checkTxStructure(tx, this.params);
    if (why !== null) return { status: 'invalid', key, reason: why };
    if (!checkTxSignature(tx, this.verifier, this.network, id)) return { status: 'invalid', key, reason: 'invalid signature' };
    const broken = this.rules.checkPending(tx, key, this.tip.height + 1, Math.max(now, this.tip.header.time));
    if (broken) return { status: 'invalid', key, reason: broken.message, code: broken.code };
    if (!this.pending.add({ tx, key, size: txSize(tx) })) return { status: 'pool-full', key };
    this.failed.forget(key);
    return { status: 'added', key };
  }

  /**
   * The rule a transaction broke when the chain made it invalid while it
   * waited in the pool (it was dropped then); undefined when it did not
   * fail, or was forgotten (the memory is bounded). Confirmed transactions
   * ({@link txHeight}) never count as failed.
   */
  failedTx(key: string): RuleCode | undefined {
    return this.txIndex.has(key) ? undefined : this.failed.get(key);
  }

  /**
   * Checks the pending pool again on the new active chain: a transaction
   * that can no longer apply for a permanent reason (failed-txs.ts) leaves
   * the pool and is remembered with its rule. Only the oldest
   * {@link RECHECK_LIMIT} (and any of the same time as the last of them)
   * are checked per change, the rest once they come to the front.
   */
  private recheckPending(): FailedTx[] {
    const all = this.pending.list();
    let end = Math.min(all.length, RECHECK_LIMIT);
    while (end < all.length && all[end]!.tx.time === all[end - 1]!.tx.time) end++;
    const candidates = all.slice(0, end).map((e) => ({ tx: e.tx, key: e.key }));
    const time = Math.max(this.clock, this.tip.header.time);
    const dropped: FailedTx[] = [];
    for (const { key, error } of this.rules.recheck(candidates, this.tip.height + 1, time)) {
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
   * the block, and applying one after another under the ledger's rules.
   */
  selectForBlock(time: number): Tx[] {
    const budget = this.params.maxBlockBytes - 1024;
    let bytes = 0;
    const fitting: { tx: Tx; key: string }[] = [];
    for (const e of this.pending.list()) {
      if (fitting.length >= this.params.maxTxPerBlock) break;
      if (e.tx.time > time + this.params.maxFutureSeconds || bytes + e.size > budget) continue;
      bytes += e.size;
      fitting.push({ tx: e.tx, key: e.key });
    }
    return this.rules.select(fitting, this.tip.height + 1, time);
  }

  /**
   * Marks a block final: it and its ancestors are never reorganised away.
   * The agreement layer (majority approval, issue 4) calls this. Asserts the
   * block is known and descends from the current final block.
   */
  markFinal(key: string): Reorg | null {
    const node = this.nodes.get(key);
    assert(node !== undefined, 'markFinal of an unknown block');
    assert(this.ancestor(node, this.finalNode.height) === this.finalNode, 'markFinal off the final branch');
    if (this.ancestor(this.tip, node.height) === node) {
      this.setFinal(node);
      return null;
    }
    // The tip is on a branch that has lost: move to the best descendant of the block first,
    // and only then call it final (its branch may break a stage-3 rule and be discarded).
    const candidates = [...this.nodes.values()].filter((n) => this.ancestor(n, node.height) === node);
    const reorg = this.chooseTip(candidates, new Map(), true);
    if (this.nodes.has(node.key) && this.ancestor(this.tip, node.height) === node) this.setFinal(node);
    return reorg;
  }

  /**
   * Moves the final block to `node` (an active block) and drops the undo data
   * of the blocks that became final: nothing disconnects them any more, and
   * the journals hold every value they overwrote.
   */
  private setFinal(node: BlockNode): void {
    for (let h = this.finalNode.height + 1; h <= node.height; h++) this.undo.delete(this.active[h]!.key);
    this.finalNode = node;
  }

  /** Ancestor of `node` at `height` (itself when equal). */
  ancestor(node: BlockNode, height: number): BlockNode | undefined {
    if (height > node.height || height < 0) return undefined;
    let n: BlockNode = node;
    while (n.height > height) {
      if (this.active[n.height] === n) return this.active[height];
      n = n.parent!;
    }
    return n;
  }

  private context(now: number): ValidationContext {
    return { params: this.params, now, verifier: this.verifier, network: this.network };
  }

  private makeNode(block: Block, hash: Uint8Array, size: number, parent: BlockNode | null): BlockNode {
    return {
      hash,
      key: toHex(hash),
      block,
      header: block.header,
      height: block.header.height,
      parent,
      ...this.measures(block.header, parent),
      txKeys: block.txs.map((tx) => toHex(txId(tx))),
      size,
    };
  }

  /** Cumulative work and median time past of a block on `parent`. */
  private measures(header: BlockHeader, parent: BlockNode | null): { chainWork: bigint; medianTimePast: number } {
    const target = targetFromBits(header.bits);
    assert(target !== null, 'node from a block with invalid bits');
    const times: number[] = [header.time];
    for (let p = parent; p && times.length < this.params.medianTimeSpan; p = p.parent) times.push(p.header.time);
    return { chainWork: (parent?.chainWork ?? 0n) + workForTarget(target), medianTimePast: medianTime(times) };
  }

  /** Stages 2 and 3 against `parent`, then insertion into the tree. Throws RuleError. */
  private connectToTree(block: Block, hash: Uint8Array, size: number, parent: BlockNode, ctx: ValidationContext): BlockNode {
    const view: ParentView = {
      hash: parent.hash,
      height: parent.height,
      bits: parent.header.bits,
      time: parent.header.time,
      medianTimePast: parent.medianTimePast,
      ancestorTime: (h) => this.ancestor(parent, h)!.header.time,
    };
    checkBlockContext(block, hash, view, ctx);
    checkBlockState(block, hash, this.branchView(parent));
    const node = this.makeNode(block, hash, size, parent);
    this.nodes.set(node.key, node);
    return node;
  }

  /** Confirmed transactions on the branch ending at `parent`. */
  private branchView(parent: BlockNode): { hasTx(key: string): boolean } {
    if (this.isActive(parent)) {
      const top = parent.height;
      return { hasTx: (k) => (this.txIndex.get(k) ?? Infinity) <= top };
    }
    const side = new Set<string>();
    let n: BlockNode = parent;
    while (!this.isActive(n)) {
      for (const k of n.txKeys) side.add(k);
      n = n.parent!;
    }
    const forkHeight = n.height;
    return { hasTx: (k) => side.has(k) || (this.txIndex.get(k) ?? Infinity) <= forkHeight };
  }

  /** Connects kept-aside blocks that descend from `node`, breadth first. */
  private adoptOrphans(node: BlockNode, ctx: ValidationContext): BlockNode[] {
    const adopted: BlockNode[] = [];
    const queue = [node];
    while (queue.length > 0) {
      const parent = queue.shift()!;
      for (const o of this.orphans.takeChildren(parent.key)) {
        try {
          const child = this.connectToTree(o.block, o.hash, o.size, parent, ctx);
          adopted.push(child);
          queue.push(child);
        } catch (e) {
          this.rejected(o.key, e);
        }
      }
    }
    return adopted;
  }

  /**
   * Moves the tip to the best valid candidate that descends from the final
   * block. Stage-3 rules are checked as blocks join the active chain; a
   * block that breaks one is discarded with its descendants, the previous
   * chain is restored, and the choice is made again.
   */
  private chooseTip(candidates: readonly BlockNode[], failures: Map<string, RuleError>, mustMove = false): Reorg | null {
    let pool = candidates;
    let last: Reorg | null = null;
    for (;;) {
      let best: BlockNode | null = mustMove ? null : this.tip;
      for (const n of pool) if (this.nodes.has(n.key) && this.descendsFromFinal(n) && (!best || this.prefer(n, best))) best = n;
      if (!best || best === this.tip) return last;
      const r = this.reorgTo(best);
      if ('failed' in r) {
        failures.set(r.failed.key, r.error);
        this.discard(r.failed, r.error);
        pool = pool.filter((n) => this.nodes.has(n.key));
        continue;
      }
      last = r;
      if (mustMove) return last;
    }
  }

  /** Whether `n` is the last final block or one of its descendants (the only blocks that can join the chain). */
  descendsFromFinal(n: BlockNode): boolean {
    return this.ancestor(n, this.finalNode.height)?.key === this.finalNode.key;
  }

  /** Joins `b` to the active chain: stage-3 rules, then the indexes. Throws RuleError. */
  private connectActive(b: BlockNode): void {
    try {
      this.undo.set(b.key, this.rules.connect(b.block, b.txKeys));
    } catch (e) {
      throw e instanceof RuleError ? new RuleError(e.code, e.message, b.height, b.hash) : e;
    }
    this.recordValidators(b, this.validatorsAfter.get(this.tip.key) ?? []);
    this.active.push(b);
    for (const k of b.txKeys) this.txIndex.set(k, b.height);
  }

  private recordValidators(b: BlockNode, previous: readonly string[]): void {
    const now = this.rules.ledger?.memberIds() ?? [];
    this.validatorsAfter.set(b.key, now.join() === previous.join() ? previous : now);
  }

  /**
   * The validators after an active block: the admitted hospitals once its
   * transactions applied (SPEC §5: the validator set is chain state).
   */
  validatorsAt(key: string): readonly string[] | undefined {
    return this.validatorsAfter.get(key);
  }

  /** Takes the tip block off the active chain, reverting its stage-3 changes. */
  private disconnectTip(): BlockNode {
    const b = this.active.pop()!;
    this.rules.disconnect(this.undo.get(b.key));
    this.undo.delete(b.key);
    this.validatorsAfter.delete(b.key);
    for (const k of b.txKeys) this.txIndex.delete(k);
    return b;
  }

  private reorgTo(newTip: BlockNode): Reorg | { failed: BlockNode; error: RuleError } {
    let fork: BlockNode = newTip;
    while (!this.isActive(fork)) fork = fork.parent!;
    const disconnected: BlockNode[] = [];
    while (this.tip !== fork) disconnected.push(this.disconnectTip());
    const path: BlockNode[] = [];
    for (let n: BlockNode = newTip; n !== fork; n = n.parent!) path.push(n);
    path.reverse();
    const connected: BlockNode[] = [];
    for (const b of path) {
      try {
        this.connectActive(b);
        connected.push(b);
      } catch (e) {
        if (!(e instanceof RuleError)) throw e;
        // Put the previous chain back exactly as it was.
        while (this.tip !== fork) this.disconnectTip();
        for (const d of [...disconnected].reverse()) this.connectActive(d);
        return { failed: b, error: e };
      }
    }
    for (const b of connected) for (const k of b.txKeys) this.pending.remove(k);
    const returnedTxs: Tx[] = [];
    for (const b of disconnected)
      b.block.txs.forEach((tx, i) => {
        const k = b.txKeys[i]!;
        if (!this.txIndex.has(k) && this.pending.add({ tx, key: k, size: txSize(tx) })) returnedTxs.push(tx);
      });
    // What the new chain (returned transactions included) made invalid for good leaves the pool, with its reason.
    const failedTxs = this.recheckPending();
    return { forkPoint: fork, disconnected, connected, returnedTxs, failedTxs };
  }

  /** Removes a block that broke a stage-3 rule, and all its descendants, from the tree. */
  private discard(node: BlockNode, error: RuleError): void {
    for (const n of [...this.nodes.values()])
      if (n !== node && n.height > node.height && this.ancestor(n, node.height) === node) {
        this.nodes.delete(n.key);
        this.rememberInvalid(n.key, 'BAD_PREV');
      }
    this.nodes.delete(node.key);
    this.invalidResult(node.key, error);
  }

  private rejected(key: string, e: unknown): AddBlockResult {
    if (!(e instanceof RuleError)) throw e;
    return this.invalidResult(key, e);
  }

  private invalidResult(key: string, error: RuleError): AddBlockResult {
    // Only failures of the header itself (or of transactions the header commits to,
    // with valid signatures) condemn the hash: a peer can pair a genuine header with
    // altered transactions or signatures, and that must not make the genuine block
    // unacceptable. TIME_TOO_NEW may become valid later.
    if (!NOT_CACHED.has(error.code)) {
      this.rememberInvalid(key, error.code);
      // Blocks kept aside waiting for this one can never connect: drop them, and theirs.
      const queue = [key];
      while (queue.length > 0)
        for (const o of this.orphans.takeChildren(queue.shift()!)) {
          this.rememberInvalid(o.key, 'BAD_PREV');
          queue.push(o.key);
        }
    }
    return { status: 'invalid', key, error };
  }

  private rememberInvalid(key: string, code: RuleCode): void {
    if (this.invalid.size >= this.maxInvalid) this.invalid.delete(this.invalid.keys().next().value!);
    this.invalid.set(key, code);
  }
}

/** Failures that say nothing about other blocks with the same header hash (the mesh keeps such a header wanted). */
export const NOT_CACHED: ReadonlySet<RuleCode> = new Set<RuleCode>([
  'BAD_ENCODING',
  'BLOCK_TOO_LARGE',
  'TOO_MANY_TXS',
  'BAD_TX',
  'BAD_TX_SIGNATURE',
  'DUPLICATE_TX',
  'BAD_TX_ROOT',
  'BAD_TX_TIME',
  'TIME_TOO_NEW',
  'BELOW_FINAL',
]);

/**
 * Failures remembered for the exact block (its whole encoding, bad-bodies.ts):
 * deterministic in the bytes, and costly to find again. The other body
 * failures are found by cheap checks.
 */
const REMEMBERED_BY_BODY: ReadonlySet<RuleCode> = new Set<RuleCode>(['BAD_TX_SIGNATURE']);

/** A snapshot that does not hold together (caught by {@link ChainState.restore}). */
class SnapshotRefused extends Error {}

/** Fork choice: more work wins; equal work, the lower hash. */
export function better(a: BlockNode, b: BlockNode): boolean {
  if (a.chainWork !== b.chainWork) return a.chainWork > b.chainWork;
  return compareBytes(a.hash, b.hash) < 0;
}
