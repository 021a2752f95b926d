/**
 * Node-runtime test nodes on one virtual clock (issue 14): the shipped
 * {@link FullNode} over the in-memory twins — a MemoryChainStore whose data
 * outlives the node (a closed and reopened tab), the in-memory transport and
 * the in-memory miner — with its timers, its hub and its miner on the
 * clock, as the simulator runs it, and the node's shipped timings. Keys
 * come from a seed, so every run of a test is the same run. As in the
 * simulator, the nodes share one verifier that remembers its answers (each
 * signature is checked once per test, not once per node: the same answers,
 * for less CPU).
 */
import { MemoryMiner } from '../../../src/lib/adapters/miner/memory';
import { type MemoryHub, MemoryTransport } from '../../../src/lib/adapters/net/memory-transport';
import type { LoadVerifier } from '../../../src/lib/node/chain-build';
import { MemoryChainStore, MemoryStoreData } from '../../../src/lib/adapters/store/memory';
import { type Sealer, deviceSealer, plainSealer } from '../../../src/lib/adapters/store/sealer';
import { toHex } from '../../../src/lib/core/bytes';
import { Prng } from '../../../src/lib/core/prng';
import { FullNode } from '../../../src/lib/node/node';
import { cachedVerifier } from '../../../src/lib/sim/simulator';
import type { Scope } from '../../../src/lib/sim/virtual-time';
import type { Key, TestNetwork } from '../../../src/bench/node-network';
import { VirtualClock } from '../virtual-clock';

/** When the test networks are founded (seconds); the clock starts 100 s later. */
export const T0 = 1_767_225_600;

/**
 * Vitest's wall-clock limit for a composed-node test: a guard against a hang
 * only. Every wait is bounded in virtual time; the wall time is CPU
 * (signatures, hashing), which a loaded machine stretches without changing
 * what the test sees.
 */
export const HANG_GUARD_MS = 60_000;

/** How long a stopping node may wait on its timers (virtual ms): its deferred store check is one zero-delay timer. */
const STOP_WITHIN_MS = 1000;

export interface TestNodeOptions {
  readonly data?: MemoryStoreData;
  readonly validator?: Key | null;
  readonly mine?: boolean;
  /** Signature checks (default: the nodes' shared remembering verifier). */
  readonly verifier?: LoadVerifier;
  /**
   * Where the node key and vote memory are sealed: the simulator's plain
   * twin (default), or the device key (WebCrypto, held as outside work).
   */
  readonly sealer?: 'plain' | 'device';
}

export interface TestNode {
  readonly node: FullNode;
  readonly data: MemoryStoreData;
  readonly timers: Scope;
}

/** Starts nodes on one virtual clock and stops every one still running. */
export class VirtualNodes {
  readonly clock = new VirtualClock((T0 + 100) * 1000);
  private readonly running = new Set<TestNode>();
  private readonly verifier = cachedVerifier();
  private started = 0;

  /** A node of `net` on `hub` (made by `clock.hub()`), from `data` when given (a restart). */
  async start(hub: MemoryHub, net: TestNetwork, o: TestNodeOptions = {}): Promise<TestNode> {
    const data = o.data ?? new MemoryStoreData();
    const store = new MemoryChainStore(data);
    const timers = this.clock.scope();
    const prng = new Prng(`virtual-node/${net.params.id}/${this.started++}`);
    const node = await FullNode.start({
      store,
      sealer: o.sealer === 'device' ? this.heldSealer(deviceSealer(store)) : plainSealer(store),
      transport: (key) => new MemoryTransport(hub, toHex(key.pub)),
      miner: new MemoryMiner({ schedule: (fn) => void timers.setTimeout(fn, 0), now: this.clock.now }),
      params: net.params,
      genesis: net.genesis,
      now: this.clock.now,
      randomBytes: (n) => prng.bytes(n),
      verifier: o.verifier ?? this.verifier,
      validatorKey: o.validator ?? null,
      mine: o.mine,
      timers,
    });
    const started = { node, data, timers };
    this.running.add(started);
    return started;
  }

  /** Stops `n` (everything on its store, the deferred check run) and cancels whatever of its timers is left. */
  async stop(n: TestNode): Promise<void> {
    this.running.delete(n);
    await this.clock.drive(n.node.stop(), STOP_WITHIN_MS, 'the node stops');
    n.timers.cancelAll();
  }

  async stopAll(): Promise<void> {
    for (const n of [...this.running]) await this.stop(n);
  }

  /** A sealer whose WebCrypto work holds the clock until it settles. */
  private heldSealer(inner: Sealer): Sealer {
    return { seal: (id, secret) => this.clock.outside(inner.seal(id, secret)), open: (id) => this.clock.outside(inner.open(id)) };
  }
}
