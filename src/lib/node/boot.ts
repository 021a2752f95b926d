/**
 * Starting a node in a browser tab (issue 5): the entry the app calls
 * (issue 6) and the test harness calls now. It opens the network's
 * IndexedDB store, joins the profile's writer election (Web Locks): the
 * elected tab runs the full node — WebRTC mesh through the relay, the
 * mining Web Worker, the validator when a hospital's key is given — and
 * tells the other tabs of each new tip (BroadcastChannel); the others follow
 * the store read-only and take over when the writer's tab closes.
 * `window.medchain` (handle.ts) is put on the page.
 */
import type { Block } from '../core/block';
import { toHex } from '../core/bytes';
import type { AddTxResult, ChainState } from '../core/chain';
import type { MeshConfig } from '../core/net/config';
import type { ChainParams } from '../core/params';
import { nobleVerifier } from '../core/signature';
import type { Tx } from '../core/tx';
import type { RoundTiming } from '../core/validator';
import { createWebMiner } from '../adapters/miner/worker-miner';
import { openIdbStore, storeName } from '../adapters/store/idb';
import { TabLeadership } from '../adapters/store/leader';
import { startMark } from '../adapters/store/marks';
import { primedVerifier, webcryptoEd25519Available } from '../adapters/webcrypto-ed25519';
import { NODE_EVENT_TYPES, NodeEvents } from './events';
import { Follower } from './follower';
import { type MedchainHandle, exposeHandle } from './handle';
import type { NodeKey } from './identity';
import { FullNode } from './node';
import type { NodeStatus, StoreHealth, VerifyResult } from './types';
import { type WebTransportTuning, webTransport } from './web-transport';

export interface BootOptions {
  readonly params: ChainParams;
  readonly genesis: Block;
  /** The network's signalling relays, e.g. [wss://relay1.example, wss://relay2.example]: the node uses every one it can reach. */
  readonly relayUrls: readonly string[];
  /** A hospital's signing key: this tab's node votes as that validator. */
  readonly validatorKey?: NodeKey | null;
  readonly mine?: boolean;
  /** IndexedDB database name (default: one per network). */
  readonly dbName?: string;
  readonly timing?: RoundTiming;
  readonly mesh?: Partial<MeshConfig>;
  readonly transport?: WebTransportTuning;
  /** Whether to put `window.medchain` on the page (default true). */
  readonly expose?: boolean;
}

export interface BootedNode extends MedchainHandle {
  /** The full node while this tab is the writer, else null. */
  readonly node: FullNode | null;
  /** Resolves when this tab has become the writer and its node runs. */
  readonly leading: Promise<FullNode>;
  /** What changed in the chain this tab sees: the follower's reads, then the writer's node once this tab leads. */
  readonly events: NodeEvents;
  submitTx(tx: Tx): Promise<AddTxResult>;
  /** The chain this tab sees: the writer's live chain, or the follower's last read of the store. */
  chain(): ChainState | null;
  health(): StoreHealth | null;
  stop(): Promise<void>;
}

export async function bootNode(o: BootOptions): Promise<BootedNode> {
  startMark('boot:called');
  const name = o.dbName ?? storeName(o.params.id);
  const verifier = (await webcryptoEd25519Available()) ? primedVerifier(nobleVerifier) : nobleVerifier;
  startMark('boot:webcrypto-probed');
  const follower = new Follower(await openIdbStore(name, { persist: false }), o.params, Date.now, verifier);
  startMark('boot:follower-store-open');
  // Read the store as a follower only when another tab writes: a tab about to lead loads it once, as the node.
  const followsAnother = await writerElsewhere(name);
  startMark('boot:locks-queried');
  const events = new NodeEvents();
  follower.events.pipe(events);
  if (followsAnother) await follower.refresh();
  let node: FullNode | null = null;
  let stopped = false;
  let elected: (n: FullNode) => void = () => {};
  let failed: (e: unknown) => void = () => {};
  const leading = new Promise<FullNode>((resolve, reject) => ((elected = resolve), (failed = reject)));
  const leadership = new TabLeadership(name, {
    onLeader: () => {
      void (async () => {
        startMark('boot:elected');
        const store = await openIdbStore(name);
        startMark('boot:store-open');
        const started = await FullNode.start({
          store,
          transport: (key) => webTransport(o.relayUrls, o.params.id, key, o.transport),
          miner: createWebMiner(),
          params: o.params,
          genesis: o.genesis,
          now: Date.now,
          randomBytes: (n) => crypto.getRandomValues(new Uint8Array(n)),
          verifier,
          validatorKey: o.validatorKey ?? null,
          timing: o.timing,
          mine: o.mine,
          mesh: o.mesh,
          onPersisted: (tip) => {
            if (leadership.role === 'leader') leadership.announceTip(tip);
          },
        });
        startMark('boot:node-running');
        if (stopped) return void (await started.stop());
        node = started;
        started.events.pipe(events);
        // The chain this tab shows is now the node's: every part may differ from the follower's last read.
        for (const t of NODE_EVENT_TYPES) events.emit(t);
        elected(started);
      })().catch(failed);
    },
    onTip: (tip) => void follower.refresh(tip),
  });
  // Lost the race for the writer lock after all: follow.
  if (!followsAnother) setTimeout(() => void (leadership.role === 'leader' || stopped || follower.refresh()), FOLLOW_AFTER_MS);
  const nodeId = () => (node ? toHex(node.key.pub) : null);
  const booted: BootedNode = {
    get node() {
      return node;
    },
    leading,
    events,
    status: (): NodeStatus => node?.status() ?? follower.status(nodeId()),
    verifyChain: (): Promise<VerifyResult> => (node ? node.verifyChain() : follower.verify()),
    submitTx: async (tx) => {
      if (!node) throw new Error('this tab follows the writer tab: write there');
      return node.submitTx(tx);
    },
    chain: () => node?.chain ?? follower.current(),
    health: () => node?.health() ?? null,
    links: () => node?.transport.links?.() ?? null,
    stop: async () => {
      stopped = true;
      leadership.stop();
      await node?.stop();
      follower.close();
    },
  };
  if (o.expose !== false) exposeHandle(window, booted);
  return booted;
}

/** How long a tab that expected to lead waits for the writer lock before it reads the store as a follower. */
const FOLLOW_AFTER_MS = 3000;

/** Whether another tab holds the writer lock of store `name` (TabLeadership's lock, leader.ts). */
async function writerElsewhere(name: string): Promise<boolean> {
  if (typeof navigator === 'undefined' || !navigator.locks?.query) return true;
  const state = await navigator.locks.query();
  return (state.held ?? []).some((l) => l.name === `medchain/writer/${name}`);
}
