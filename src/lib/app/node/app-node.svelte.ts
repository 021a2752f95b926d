/**
 * The app's one node (issue 6): which network this profile runs, the
 * running {@link TabNode}, and versions that move on the node's events
 * (node-reads.ts: a reactive read subscribes to them, nothing polls) so
 * screens re-read the chain. The network (public: id, relay, genesis) is
 * remembered in localStorage so a reload resumes it; a founding hospital's
 * signing key is kept only wrapped under the device key in the network's
 * store (never in clear). Feeds the status bar. SPEC §6–7.
 */
import { toHex } from '../../core/bytes';
import type { QuorumRule } from '../../core/payloads';
import type { NodeKey } from '../../node/identity';
import { problem } from '../../core/problem';
import { showNoNetwork } from '../status/status-store.svelte';
import type { DemoStep } from './demo-network';
import { type NetworkInfo, paramsFor } from './network';
import { NodeReads } from './node-reads';
import type { TabNode } from './tab-access';

/** The heavy half (store, node, genesis, demo keys), loaded only when a network starts. */
const run = () => import('./app-node-run');
/** Join links and the remembered network (they need the block codec): loaded only when one is read or written. */
const links = () => import('./network-link');

const SAVED = 'medchain/network';
const random = (n: number) => crypto.getRandomValues(new Uint8Array(n));

/** The app's node as Svelte state: each field reactive, the versions moved by the node's events. */
class AppNodeState {
  node = $state.raw<TabNode | null>(null);
  network = $state.raw<NetworkInfo | null>(null);
  phase = $state<'none' | 'starting' | 'running' | 'failed'>('none');
  /** What the demo set-up is doing (worded by the start screen), or null. */
  step = $state<DemoStep | null>(null);
  /** Why the node could not start: the error's own text, shown after the catalogue's words (`network.startFailed`). */
  error = $state<string | null>(null);
  /** The running node's events as reactivity (replaced with the node). */
  reads = $state.raw<NodeReads | null>(null);

  /** Moves when the node's tip, final block or pool change (reading it subscribes to those events). */
  get version(): number {
    return this.reads?.chain ?? 0;
  }

  /** Moves on every event of the node, peers, links and mining included (the explorer's). */
  get netVersion(): number {
    return this.reads?.any ?? 0;
  }
}

const state = new AppNodeState();
/** Hex of the key the running node votes with, or null for a plain node. */
let votingAs: string | null = null;

/** The app's node state (reactive). */
export function appNode(): Readonly<Omit<AppNodeState, 'reads'>> {
  return state;
}

async function start(net: NetworkInfo, validatorKey: NodeKey | null): Promise<TabNode> {
  state.phase = 'starting';
  state.network = net;
  state.error = null;
  const { node, key } = await (await run()).bootTabNode(net, validatorKey);
  votingAs = key ? toHex(key.pub) : null;
  state.reads = new NodeReads(node);
  localStorage.setItem(SAVED, (await links()).encodeSaved(net));
  state.node = node;
  state.phase = 'running';
  return node;
}

function fail(e: unknown): never {
  showNoNetwork();
  state.phase = 'failed';
  state.error = e instanceof Error ? e.message : String(e);
  throw e;
}

/** Resumes the remembered network after a reload (no-op when there is none or a node runs). */
export async function resumeNetwork(): Promise<void> {
  if (state.node || state.phase === 'starting') return;
  const saved = localStorage.getItem(SAVED);
  if (!saved) return;
  const net = (await links()).decodeSaved(saved);
  if (net) await start(net, null).catch(fail);
}

/** Joins `net` as a plain full node (a hospital's key comes with the clinician flow). */
export async function joinNetwork(net: NetworkInfo): Promise<void> {
  if (state.node) await leaveNetwork();
  await start(net, null).catch(fail);
}

/** Hex of the hospital key this device's node votes with (null: it does not vote). */
export function votingKey(): string | null {
  return state.node ? votingAs : null;
}

/**
 * Makes this device's node vote for an admitted hospital (SPEC §5: every
 * hospital approves blocks, so a hospital's workstation must vote once its
 * authority signs in here). The secret is kept wrapped under the device key
 * so a reload keeps voting, and the node restarts with it. `secret` is
 * wiped here. No-op when the node already votes with that key.
 */
export async function adoptValidator(secret: Uint8Array): Promise<void> {
  const net = state.network;
  const pub = (await run()).publicKeyOf(secret);
  if (!net || !state.node || votingAs === toHex(pub)) {
    secret.fill(0);
    return;
  }
  const old = state.node;
  state.phase = 'starting';
  state.node = null;
  state.reads = null;
  await old.stop();
  await start(net, { secret, pub }).catch(fail);
}

/**
 * Founds a new network (SPEC §2: the first hospital founds it in the
 * genesis block) with the authority's own key, which this device's node
 * then votes with. `id` is the network id the authority's keys were derived
 * under; `dataKey` its epoch-0 hospital data key.
 */
export async function foundNetwork(o: {
  id: string;
  relayUrls: readonly string[];
  networkName: string;
  hospitalName: string;
  authority: NodeKey;
  dataKey: Uint8Array;
  quorum: QuorumRule;
}): Promise<void> {
  if (state.node) await leaveNetwork();
  try {
    const time = Math.floor(Date.now() / 1000);
    const { foundingGenesis } = await run();
    const genesis = foundingGenesis(paramsFor(o.id), o.authority, o.dataKey, time, { networkName: o.networkName, hospitalName: o.hospitalName }, o.quorum);
    await start({ id: o.id, relayUrls: o.relayUrls, genesis }, o.authority);
  } catch (e) {
    fail(e);
  }
}

/**
 * Founds a fresh demo network: its hospital's authority and sample patients
 * are the demo logins shown on the start screen (demo-logins.ts), so a
 * newcomer can then sign in as any of them; this device's node votes for
 * the hospital. Then writes the sample data.
 */
export async function foundDemoNetwork(relayUrls: readonly string[]): Promise<void> {
  if (state.node) await leaveNetwork();
  try {
    const id = `demo-${toHex(random(5))}`;
    state.step = problem('KEYS');
    const ops = await run();
    const { hospital, genesis, patients } = await ops.demoFounding(id, Math.floor(Date.now() / 1000));
    const node = await start({ id, relayUrls, genesis }, hospital);
    await node.leading;
    await ops.seedDemo(node, random, (s) => (state.step = s), patients);
    state.step = null;
  } catch (e) {
    state.step = null;
    fail(e);
  }
}

/** Stops the node and forgets the network on this device's start screen (its store stays); the status bar says no network runs. */
export async function leaveNetwork(): Promise<void> {
  const node = state.node;
  state.node = null;
  state.reads = null;
  state.network = null;
  state.phase = 'none';
  localStorage.removeItem(SAVED);
  showNoNetwork();
  await node?.stop();
}
