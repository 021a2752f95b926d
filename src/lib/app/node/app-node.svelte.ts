/**
 * The app's one node (issue 6): which network this profile runs, the
 * running {@link TabNode}, and a version that moves on every node change so
 * screens re-read the chain. The network (public: id, relay, genesis) is
 * remembered in localStorage so a reload resumes it; a founding hospital's
 * signing key is kept only wrapped under the device key in the network's
 * store (never in clear). Feeds the status bar. SPEC §6–7.
 */
import { toHex } from '../../core/bytes';
import type { QuorumRule } from '../../core/payloads';
import type { NodeKey } from '../../node/identity';
import { type NetworkInfo, decodeSaved, encodeSaved, paramsFor } from './network';
import type { TabNode } from './tab-access';

/** The heavy half (store, node, genesis, demo keys), loaded only when a network starts. */
const run = () => import('./app-node-run');

const SAVED = 'medchain/network';
const random = (n: number) => crypto.getRandomValues(new Uint8Array(n));

interface AppNodeState {
  node: TabNode | null;
  network: NetworkInfo | null;
  phase: 'none' | 'starting' | 'running' | 'failed';
  /** What the demo set-up is doing, or null. */
  step: string | null;
  error: string | null;
  /** Moves on every node change. */
  version: number;
}

const state = $state<AppNodeState>({ node: null, network: null, phase: 'none', step: null, error: null, version: 0 });
/** Hex of the key the running node votes with, or null for a plain node. */
let votingAs: string | null = null;

/** The app's node state (reactive). */
export function appNode(): Readonly<AppNodeState> {
  return state;
}

async function start(net: NetworkInfo, validatorKey: NodeKey | null): Promise<TabNode> {
  state.phase = 'starting';
  state.network = net;
  state.error = null;
  const { node, key } = await (await run()).bootTabNode(net, validatorKey);
  votingAs = key ? toHex(key.pub) : null;
  node.onChange(() => state.version++);
  localStorage.setItem(SAVED, encodeSaved(net));
  state.node = node;
  state.phase = 'running';
  return node;
}

function fail(e: unknown): never {
  state.phase = 'failed';
  state.error = e instanceof Error ? e.message : String(e);
  throw e;
}

/** Resumes the remembered network after a reload (no-op when there is none or a node runs). */
export async function resumeNetwork(): Promise<void> {
  if (state.node || state.phase === 'starting') return;
  const net = decodeSaved(localStorage.getItem(SAVED));
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
    state.step = 'Making the demo hospital’s and patients’ keys';
    const ops = await run();
    const { hospital, genesis, patients } = await ops.demoFounding(id, Math.floor(Date.now() / 1000));
    const node = await start({ id, relayUrls, genesis }, hospital);
    await node.booted.leading;
    await ops.seedDemo(node, random, (s) => (state.step = s), patients);
    state.step = null;
  } catch (e) {
    state.step = null;
    fail(e);
  }
}

/** Stops the node and forgets the network on this device's start screen (its store stays). */
export async function leaveNetwork(): Promise<void> {
  const node = state.node;
  state.node = null;
  state.network = null;
  state.phase = 'none';
  localStorage.removeItem(SAVED);
  await node?.stop();
}
