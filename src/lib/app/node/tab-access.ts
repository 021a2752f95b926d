/**
 * {@link NodeAccess} over a node booted in this tab (`bootNode`,
 * src/lib/node/boot.ts; issue 6). One node per profile: the writer tab runs
 * the full node, other tabs follow the shared store, and their writes are
 * routed to the writer (write-channel.ts). Changes come as the node's
 * events (node/events.ts: tip, final block, pool, peers, mining), from the
 * writer's node or from a follower's reads of the store alike; screens get
 * a read-only view of the chain (chain-view.ts). Blobs live in the
 * profile's IndexedDB blob store, and the writer's node asks peers for
 * those this device lacks. SPEC §3, §6–7.
 */
import type { BlobStore } from '../../core/blobs';
import { toHex } from '../../core/bytes';
import type { AddTxResult } from '../../core/chain';
import type { RuleCode } from '../../core/errors';
import { NodeRole } from '../../core/net/messages';
import { type Tx, txId } from '../../core/tx';
import type { LinkReport } from '../../adapters/net/link-report';
import type { BootedNode } from '../../node/boot';
import type { StoreHealth } from '../../node/types';
import { type NodeEventType, NODE_EVENT_TYPES } from '../../node/events';
import { ChainViews } from '../chain-view';
import type { MeshPeer, PeerRole } from '../explorer/mesh';
import type { NodeAccess } from '../node-access';
import { openWriteRouter } from './write-channel';

export interface TabNodeOptions {
  readonly dbName: string;
  readonly blobs: BlobStore;
  /** How long a blob this device lacks is waited for from peers (ms; the node's default when absent). */
  readonly blobWaitMs?: number;
}

/** What the app's own screens read beyond NodeAccess: the mesh and the device's own unsent writes. */
export interface TabNode extends NodeAccess {
  /** Resolves once this tab's node is the profile's writer (the booted node itself stays here: screens never hold the live chain). */
  readonly leading: Promise<unknown>;
  /** Connected peers (empty in a follower tab: the writer tab holds the connections). */
  peers(): MeshPeer[];
  /** Relays, TURN and each known peer's link (null in a follower tab). */
  links(): LinkReport | null;
  /** Transactions submitted from this tab that no block holds yet and that can still reach one. */
  unsent(): number;
  /** The rules this tab's own transactions broke when the chain dropped them from the pool: they will never sync (core/failed-txs.ts). */
  failed(): RuleCode[];
  /** What the writer's node found unusable in the store at start, and what came back since (null in a follower tab). */
  health(): StoreHealth | null;
  /** Calls `fn` on each of the node's events of `types` (all when none is named): what a screen showing only part of the node subscribes to. */
  onEvents(types: readonly NodeEventType[], fn: () => void): () => void;
  stop(): Promise<void>;
}

const ROLES: Record<number, PeerRole> = { [NodeRole.Hospital]: 'hospital', [NodeRole.Member]: 'member', [NodeRole.Observer]: 'observer' };

export function tabNodeAccess(booted: BootedNode, o: TabNodeOptions): TabNode {
  /** Listeners of this tab's own writes (the pool changed here before any node event). */
  const listeners = new Set<() => void>();
  const own = new Set<string>();
  const views = new ChainViews();
  const router = openWriteRouter(o.dbName, () => (booted.node ? (tx) => booted.node!.submitTx(tx) : null));
  const changed = () => [...listeners].forEach((fn) => fn());
  const peers = (): MeshPeer[] => {
    const node = booted.node;
    if (!node) return [];
    const paths = new Map((booted.links()?.peers ?? []).map((l) => [l.id, l.path?.path ?? null]));
    return node.driver.mesh.readyPeers().map((p) => {
      const best = p.bestKey ? node.chain.get(p.bestKey)?.height : undefined;
      const hello = p.hello!;
      return {
        id: p.id,
        role: ROLES[hello.role] ?? 'observer',
        tipHeight: Math.max(hello.tipHeight, best ?? 0),
        finalHeight: hello.finalHeight,
        path: paths.get(p.id) ?? null,
      };
    });
  };
  const onEvents = (types: readonly NodeEventType[], fn: () => void) => {
    // One node step may tell several kinds (tip, pool, persisted): the listener runs once for them.
    let queued = false;
    const off = booted.events.on(types, () => {
      if (queued) return;
      queued = true;
      queueMicrotask(() => {
        queued = false;
        fn();
      });
    });
    // A write of this tab changes its pool at once: told to pool listeners too, before the node's next step.
    if (types.length === 0 || types.includes('pending')) listeners.add(fn);
    return () => {
      off();
      listeners.delete(fn);
    };
  };

  return {
    leading: booted.leading,
    chain() {
      const chain = booted.chain();
      return chain && views.of(chain);
    },
    ledger: () => booted.chain()?.ledger ?? null,
    status: () => booted.status(),
    peers,
    links: () => booted.links(),
    unsent() {
      const chain = booted.chain();
      let waiting = 0;
      for (const key of own)
        if (chain?.txHeight(key) !== undefined) own.delete(key);
        else if (!chain?.failedTx(key)) waiting++;
      return waiting;
    },
    failed() {
      const chain = booted.chain();
      return [...own].flatMap((key) => chain?.failedTx(key) ?? []);
    },
    async submit(tx: Tx): Promise<AddTxResult> {
      const r = booted.node ? await booted.submitTx(tx) : await router.forward(tx);
      if (r.status === 'added' || r.status === 'duplicate') own.add(toHex(txId(tx)));
      changed();
      return r;
    },
    putBlob: (ref, bytes) => o.blobs.put(ref, bytes),
    // The profile's one blob store: the writer's node and every follower tab read it.
    deleteBlob: (hashHex) => o.blobs.delete(hashHex),
    async getBlob(ref) {
      // The writer tab's node checks the hash, refuses erased blobs, stores what peers send; a follower reads the shared store.
      const node = booted.node;
      if (!node) return o.blobs.get(ref);
      const r = await node.getBlob(ref, o.blobWaitMs);
      return r.ok ? r.bytes : null;
    },
    health: () => booted.health(),
    verifyChain: () => booted.verifyChain(),
    onChange: (fn) => onEvents(NODE_EVENT_TYPES, fn),
    onEvents,
    now: () => Math.floor(Date.now() / 1000),
    async stop() {
      router.close();
      await booted.stop();
    },
  };
}
