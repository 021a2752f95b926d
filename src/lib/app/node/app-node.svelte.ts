/**
 * The app's one node (issue 6): which network this profile runs, the
 * running {@link TabNode}, and a version that moves on every node change so
 * screens re-read the chain. The network (public: id, relay, genesis) is
 * remembered in localStorage so a reload resumes it; a founding hospital's
 * signing key is kept only wrapped under the device key in the network's
 * store (never in clear). Feeds the status bar. SPEC §6–7.
 */
import { openIdbStore, storeName } from '../../adapters/store/idb';
import { unwrapForDevice, wrapForDevice } from '../../adapters/store/device-key';
import { publicKeyOf } from '../../core/signature';
import { toHex } from '../../core/bytes';
import { bootNode } from '../../node/boot';
import type { NodeKey } from '../../node/identity';
import { browserOnlineSignal } from '../status/browser-online';
import { useStatusSource } from '../status/status-store.svelte';
import { deriveKeys, type IdentityKeys } from '../../core/keys';
import { hospitalDataKey } from '../clinician/data-key';
import { rawSigner } from '../clinician/sign';
import { deriveInWorker } from '../identity/derive';
import { DEMO_AUTHORITY, DEMO_PATIENTS, type DemoLogin } from './demo-logins';
import { foundingGenesis, seedDemo } from './demo-network';
import { type NetworkInfo, decodeSaved, encodeSaved, paramsFor } from './network';
import { nodeStatusSource } from './status-source';
import { type TabNode, tabNodeAccess } from './tab-access';

const SAVED = 'medchain/network';
const VALIDATOR_KEY_ID = 'app/validator-key';
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
  const dbName = storeName(net.id);
  const store = await openIdbStore(dbName, { persist: false });
  if (validatorKey) await wrapForDevice(store, VALIDATOR_KEY_ID, validatorKey.secret);
  const secret = validatorKey ? null : await unwrapForDevice(store, VALIDATOR_KEY_ID);
  const key = validatorKey ?? (secret ? { secret, pub: publicKeyOf(secret) } : null);
  const booted = await bootNode({ params: paramsFor(net.id), genesis: net.genesis, relayUrl: net.relayUrl, validatorKey: key });
  votingAs = key ? toHex(key.pub) : null;
  const node = tabNodeAccess(booted, { dbName, blobs: store.blobs, blobWaitMs: 15_000 });
  node.onChange(() => state.version++);
  localStorage.setItem(SAVED, encodeSaved(net));
  state.node = node;
  state.phase = 'running';
  useStatusSource(nodeStatusSource(node, browserOnlineSignal()));
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
  const pub = publicKeyOf(secret);
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
export async function foundNetwork(o: { id: string; relayUrl: string; networkName: string; hospitalName: string; authority: NodeKey; dataKey: Uint8Array }): Promise<void> {
  if (state.node) await leaveNetwork();
  try {
    const time = Math.floor(Date.now() / 1000);
    const genesis = foundingGenesis(paramsFor(o.id), o.authority, o.dataKey, time, { networkName: o.networkName, hospitalName: o.hospitalName });
    await start({ id: o.id, relayUrl: o.relayUrl, genesis }, o.authority);
  } catch (e) {
    fail(e);
  }
}

/** A demo login's raw keys, derived exactly as its log-in would (argon2id in the worker under `networkId`). */
async function demoKeys(networkId: string, login: DemoLogin): Promise<IdentityKeys> {
  const derived = await deriveInWorker(networkId, login.aadhaar, login.passphrase, () => {}, 'seed');
  const keys = deriveKeys(derived.seed!);
  derived.seed!.fill(0);
  derived.boxSecret?.fill(0);
  return keys;
}

/**
 * Founds a fresh demo network: its hospital's authority and sample patients
 * are the demo logins shown on the start screen (demo-logins.ts), so a
 * newcomer can then sign in as any of them; this device's node votes for
 * the hospital. Then writes the sample data.
 */
export async function foundDemoNetwork(relayUrl: string): Promise<void> {
  if (state.node) await leaveNetwork();
  try {
    const id = `demo-${toHex(random(5))}`;
    state.step = 'Making the demo hospital’s and patients’ keys';
    const authority = await demoKeys(id, DEMO_AUTHORITY);
    const hospital = { secret: authority.signSecret, pub: authority.signPublic };
    authority.boxSecret.fill(0);
    const data = await hospitalDataKey(rawSigner(hospital.secret, hospital.pub), 0);
    data.secret.fill(0);
    const patients: IdentityKeys[] = [];
    for (const p of DEMO_PATIENTS) patients.push(await demoKeys(id, p));
    const time = Math.floor(Date.now() / 1000);
    const genesis = foundingGenesis(paramsFor(id), hospital, data.publicKey, time);
    const node = await start({ id, relayUrl, genesis }, hospital);
    await node.booted.leading;
    await seedDemo(node, random, (s) => (state.step = s), patients);
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
