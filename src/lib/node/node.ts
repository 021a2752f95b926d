/**
 * A running full node (issue 5; SPEC §5–6): the pure core composed with its
 * adapters. On start it opens the store (fast check), rebuilds the chain and
 * the agreement layer, and joins the mesh; from then on every event (a block
 * or vote from a peer, a block mined here, a local write, a timer) ends with
 * one step that persists what changed, lets the validator vote, and
 * re-plans mining (only while non-vote transactions are pending).
 *
 * Nothing a peer sends can throw through here: the mesh judges bytes,
 * the driver catches its bugs, and the core returns results.
 */
import type { Block } from '../core/block';
import { toHex } from '../core/bytes';
import type { ChainState } from '../core/chain';
import type { AddTxResult } from '../core/chain';
import type { BlobRef } from '../core/payloads';
import { MeshNode } from '../core/net/mesh';
import { NodeRole } from '../core/net/messages';
import { nobleVerifier } from '../core/signature';
import { type Tx, TxKind, encodeTx } from '../core/tx';
import { MiningController } from '../adapters/miner/controller';
import { type AcceptedAction, MeshDriver } from '../adapters/net/mesh-driver';
import type { Transport } from '../adapters/net/transport';
import { type Sealer, deviceSealer } from '../adapters/store/sealer';
import { type Timers, realTimers } from '../adapters/timers';
import { blockPreparer } from '../adapters/webcrypto-ed25519';
import type { LoadVerifier } from './chain-build';
import { startMark } from '../adapters/store/marks';
import { Agreement } from './agreement';
import { NodeEvents } from './events';
import { ChangeWatch, nodeFacts } from './node-changes';
import { type BlobResult, NodeBlobs } from './blobs';
import { type NodeKey, loadNodeKey } from './identity';
import { Persister } from './persister';
import { verifyStore } from './verify';
import { Snapshots } from './snapshots';
import { checkInBackground, startUp } from './start-up';
import type { NodeDeps, NodeStatus, StoreHealth, VerifyResult } from './types';
import { decodeVoteMemory, encodeVoteMemory, type VoteMemory } from '../core/vote-memory';

/** How long {@link FullNode.getBlob} waits for peers by default (ms). */
const BLOB_WAIT_MS = 30_000;

/** Shortest gap between two rebuilds of a mining job on an unchanged tip (ms). */
const REPLAN_MS = 1000;

/** Where a validator's vote memory is kept (sealed under the device key, like a key). */
export const voteMemoryId = (validator: NodeKey) => `validator/votes/${toHex(validator.pub)}`;

/** The node's sealer: the deps' own, or the device key over its store. */
const sealerOf = (deps: NodeDeps): Sealer => deps.sealer ?? deviceSealer(deps.store);

export class FullNode {
  readonly driver: MeshDriver;
  readonly mining: MiningController;
  readonly agreement: Agreement;
  /** What changed, for the screens (tip, final block, pool, peers, mining, persisted): told once per step. */
  readonly events = new NodeEvents();
  private readonly changes = new ChangeWatch(this.events);
  private readonly blobs: NodeBlobs;
  private readonly persister: Persister;
  private readonly intervals: unknown[] = [];
  private readonly clock: Timers;
  private scheduled = false;
  private stopped = false;
  private readonly bad: StoreHealth['bad'][number][];
  /** Sound blocks the start set aside behind a bad one (health). */
  private readonly detached: ReadonlySet<string>;
  private readonly snapshots: Snapshots;
  /** The deferred check of a start from a snapshot (resolves when it has run). */
  readonly checked: Promise<void>;
  private readonly repaired = new Set<string>();
  private readonly toAnnounce: Tx[] = [];
  private announced = '';
  private planned = -Infinity;
  /** Whether steps carry out final erasures yet (after the start's deferred check). */
  private eraseReady = false;

  private constructor(
    private readonly deps: NodeDeps,
    readonly chain: ChainState,
    readonly key: NodeKey,
    readonly transport: Transport,
    private readonly verifier: LoadVerifier,
    opened: {
      bad: StoreHealth['bad'];
      report: { detached: readonly string[] };
      stored: Iterable<string>;
      pending: Iterable<string>;
      memory: VoteMemory | null;
      snapshotAt: number;
    },
  ) {
    this.clock = deps.timers ?? realTimers;
    this.bad = [...opened.bad];
    this.detached = new Set(opened.report.detached);
    this.snapshots = new Snapshots(deps.store, chain, opened.snapshotAt);
    this.checked = opened.snapshotAt >= 0 ? this.checkStore() : Promise.resolve();
    // Erasures made final before this start are carried out after the deferred check, not on the first step:
    // the catch-up reads every block's transactions (~0.4 s on 10,000 blocks), and serving erased blobs is refused meanwhile.
    void this.checked.then(() => ((this.eraseReady = true), this.schedule()));
    this.persister = new Persister(deps.store, chain, opened.stored, opened.pending);
    const sec = () => Math.floor(deps.now() / 1000);
    this.agreement = new Agreement({
      chain,
      verifier,
      nodeKey: key,
      validatorKey: deps.validatorKey ?? null,
      timing: deps.timing,
      memory: opened.memory,
      now: sec,
      quorum: deps.quorumOverride,
      saveMemory: (m) => sealerOf(deps).seal(voteMemoryId(deps.validatorKey!), encodeVoteMemory(m)),
      broadcast: (bytes) => this.driver.submitVote(bytes),
      addPending: (tx) => {
        this.toAnnounce.push(tx);
        this.schedule();
      },
      changed: () => this.schedule(),
    });
    const role = deps.validatorKey ? NodeRole.Hospital : NodeRole.Member;
    // Blocks from peers get their signatures checked ahead, all at once, when the verifier can (issue 7).
    const prepare = blockPreparer(verifier, chain.genesis.hash) ?? undefined;
    const mesh = new MeshNode({
      chain,
      nodeId: key.pub,
      role,
      config: deps.mesh,
      checkVote: (bytes) => this.agreement.checkVote(bytes),
      certificate: (h) => this.agreement.finality.certificate(h)?.map(encodeTx),
      awaitedBlock: () => this.agreement.finality.awaitedBlock(),
      prepareBlocks: prepare !== undefined,
    });
    this.driver = new MeshDriver({
      mesh,
      transport,
      role,
      prepare,
      now: deps.now,
      timers: this.clock,
      onAccepted: (a) => this.accepted(a),
      onBlob: (a) => this.blobs.onAction(a),
    });
    this.blobs = new NodeBlobs(deps.store.blobs, this.driver, chain, this.clock);
    this.mining = new MiningController({
      chain,
      miner: deps.miner,
      minerKey: key.pub,
      now: sec,
      onBlock: (block) => this.submitBlock(block),
    });
  }

  /** Opens the store, rebuilds the chain and agreement state, and joins the mesh. */
  static async start(deps: NodeDeps): Promise<FullNode> {
    const verifier = deps.verifier ?? nobleVerifier;
    const now = Math.floor(deps.now() / 1000);
    // The chain from the store's records, and what the node's start-up defers (start-up.ts).
    const opened = await startUp(deps.store, deps.params, deps.genesis, now, verifier);
    startMark('node:chain-open');
    const key = await loadNodeKey(sealerOf(deps), deps.randomBytes);
    startMark('node:key');
    let memory: VoteMemory | null = null;
    if (deps.validatorKey) {
      const bytes = await sealerOf(deps).open(voteMemoryId(deps.validatorKey));
      memory = bytes ? decodeVoteMemory(bytes) : null;
    }
    const transport = await deps.transport(key);
    startMark('node:transport');
    startMark('node:indexes');
    const node = new FullNode(deps, opened.chain, key, transport, verifier, { ...opened, memory });
    node.run();
    startMark('node:run');
    return node;
  }

  private run(): void {
    this.driver.start();
    this.intervals.push(this.clock.setInterval(() => this.schedule(), this.deps.stepMs ?? 250));
    this.intervals.push(this.clock.setInterval(() => this.agreement.resend(), this.deps.resendMs ?? 2000));
    this.schedule();
  }

  /** Our own transaction (an offline write too): pooled, announced, and on disk when this resolves. */
  async submitTx(tx: Tx): Promise<AddTxResult> {
    const r = this.driver.submitTx(tx);
    await this.step();
    return r;
  }

  /** A block mined here (or built by a tool): added, announced and persisted. */
  submitBlock(block: Block): ReturnType<MeshDriver['submitBlock']> {
    const r = this.driver.submitBlock(block);
    this.schedule();
    return r;
  }

  /**
   * A blob's bytes (SPEC §3): from the store, or fetched from peers when a
   * transaction on our chain or in our pool references it (hash and size as
   * the chain says), within `timeoutMs`. Coded misses, never a throw.
   */
  getBlob(ref: BlobRef, timeoutMs = this.deps.blobWaitMs ?? BLOB_WAIT_MS): Promise<BlobResult> {
    return this.blobs.get(ref, timeoutMs);
  }

  /** Stores our own blob (a sealed body or attachment about to be referenced by a transaction). */
  putBlob(ref: BlobRef, bytes: Uint8Array): Promise<{ ok: true } | { ok: false; reason: string }> {
    return this.blobs.put(ref, bytes);
  }

  status(): NodeStatus {
    const c = this.chain;
    return {
      nodeId: toHex(this.key.pub),
      role: this.deps.validatorKey ? 'validator' : 'node',
      height: c.height,
      tipHash: c.tip.key,
      finalHeight: c.finalized.height,
      peers: this.driver.mesh.readyPeers().length,
      pending: c.pending.list().filter((e) => e.tx.kind !== TxKind.Approval).length,
      mining: this.mining.mining,
    };
  }

  /** What the check on opening found and which of those blocks peers have since supplied. */
  health(): StoreHealth {
    return { bad: this.bad, detached: [...this.detached], repaired: [...this.repaired] };
  }

  /** The full check on demand: every stored block again, every signature verified. */
  async verifyChain(): Promise<VerifyResult> {
    await this.step();
    return verifyStore(this.deps.store, this.deps.params, Math.floor(this.deps.now() / 1000), this.verifier);
  }

  /**
   * The deferred full check after a start from a snapshot: run once the page
   * is interactive, in slices; what it finds joins {@link health}.
   */
  private async checkStore(): Promise<void> {
    await new Promise((resolve) => this.clock.setTimeout(() => resolve(undefined), 0));
    try {
      const found = await checkInBackground(this.deps.store, this.deps.params, Math.floor(this.deps.now() / 1000), this.verifier);
      for (const b of found) if (!this.bad.some((x) => x.key === b.key)) this.bad.push(b);
    } catch {
      // The store closed under us (the tab is stopping): the next start checks again.
    }
  }

  /** Stops mining and networking; resolves once everything is on disk. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    for (const t of this.intervals) this.clock.clearInterval(t);
    this.blobs.close();
    this.mining.close();
    this.deps.miner.close();
    this.driver.stop();
    await this.persister.flush();
    await this.checked;
    await this.snapshots.after(this.chain.finalized, true);
    this.deps.store.close();
  }

  private accepted(a: AcceptedAction): void {
    if (a.kind === 'block-accepted') {
      this.persister.accepted(a.node, a.bytes);
      if (this.bad.some((b) => b.key === a.node.key)) this.repaired.add(a.node.key);
      this.agreement.blockAccepted(a.node);
    } else {
      const e = this.chain.pending.get(a.key);
      if (e) this.agreement.txAccepted(e.tx);
    }
    this.schedule();
  }

  /** One step soon (coalesced): events inside the mesh's handling never re-enter it. */
  private schedule(): void {
    if (this.scheduled || this.stopped) return;
    this.scheduled = true;
    queueMicrotask(() => void this.step());
  }

  /**
   * Mining follows the tip at once; a job under way on the current tip is
   * rebuilt for new transactions at most once a second, so a stream of
   * writes never keeps restarting it (it would never find a block).
   */
  private planMining(): void {
    const wants = this.deps.mine !== false && this.chain.pending.list().some((e) => e.tx.kind !== TxKind.Approval);
    const now = this.deps.now();
    if (wants !== this.mining.enabled) this.mining.setEnabled(wants);
    else if (!this.mining.mining || this.mining.current?.tipKey !== this.chain.tip.key || now - this.planned >= REPLAN_MS) this.mining.update();
    else return;
    this.planned = now;
  }

  /** The state the screens see, compared once per step (node-changes.ts). */
  private facts() {
    const peers = this.driver.mesh.readyPeers().map((p) => `${p.id}:${p.bestKey ?? ''}`);
    return nodeFacts(this.chain, peers, this.transport.links?.() ?? null, this.mining.mining);
  }

  private async step(): Promise<void> {
    this.scheduled = false;
    if (this.stopped) return;
    for (const tx of this.toAnnounce.splice(0)) this.driver.submitTx(tx);
    // The tip this flush writes: the one announced once it is on disk (the chain may move meanwhile).
    const tip = this.chain.tip;
    const final = this.chain.finalized;
    const written = this.persister.flush();
    this.planMining();
    this.changes.see(this.facts());
    const voted = this.agreement.step();
    const erased = this.eraseReady ? this.blobs.eraseFinal() : Promise.resolve(0);
    await written;
    // The final marker of `final` is on disk: a snapshot of it may follow.
    void this.snapshots.after(final);
    await erased;
    if (tip.key !== this.announced) {
      this.announced = tip.key;
      this.deps.onPersisted?.({ key: tip.key, height: tip.height });
      this.events.emit('persisted');
    }
    await voted;
  }
}
