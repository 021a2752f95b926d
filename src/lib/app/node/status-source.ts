/**
 * The status bar's real source (SPEC §7: connection state, sync progress,
 * mining, "saved on this device, will sync"), fed by the tab's node and the
 * browser's online signal. The connection says when no relay answers, and
 * when peers are known but out of reach (blocked direct paths, no TURN);
 * peers reached through TURN are counted. Sync compares this tab's height with the best tip
 * its peers told of; writes count as unsynced while no block holds them and
 * no peer is connected to have heard them. Stored blocks the node could not
 * use at start are summed up for the person (store-health.ts).
 */
import type { NodeStatus as BarStatus, OnlineSignal, StatusSource } from '../status/status';
import { bestHeight } from '../explorer/mesh';
import { storedBlocks } from '../status/store-health';
import type { TabNode } from './tab-access';

/** The bar's view of `node` now. */
export function barStatus(
  node: Pick<TabNode, 'status' | 'peers' | 'unsent' | 'links'> & Partial<Pick<TabNode, 'failed' | 'health'>>,
  online: boolean,
): BarStatus {
  const s = node.status();
  const peers = node.peers();
  const links = node.links();
  const follower = s.role === 'follower';
  const stored = storedBlocks(node.health?.() ?? null);
  const noRelay = links !== null && links.relays.every((r) => r.state !== 'open');
  const connection = !online
    ? 'offline'
    : follower
      ? 'connecting'
      : peers.length > 0
        ? 'connected'
        : links?.blocked
          ? 'blocked'
          : noRelay
            ? 'no-relay'
            : 'connecting';
  return {
    source: 'node',
    browserOnline: online,
    connection,
    peers: peers.length,
    relayedPeers: peers.filter((p) => p.path === 'relayed').length,
    turn: links?.turn ?? 'unknown',
    sync: follower && s.height === 0 ? null : { have: s.height, target: bestHeight(s.height, peers) },
    mining: follower ? 'unknown' : s.mining ? 'mining' : 'waiting',
    unsynced: peers.length === 0 ? s.pending : node.unsent(),
    failed: node.failed?.() ?? [],
    ...(stored && { stored }),
  };
}

/** A StatusSource over `node`: emits on every node change and every online/offline switch. */
export function nodeStatusSource(node: TabNode, signal: OnlineSignal): StatusSource {
  const current = () => barStatus(node, signal.online());
  return {
    current,
    subscribe(listener) {
      const a = node.onChange(() => listener(current()));
      const b = signal.watch(() => listener(current()));
      return () => {
        a();
        b();
      };
    },
  };
}
