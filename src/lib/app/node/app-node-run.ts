/**
 * The heavy half of the app's node (issue 6, issue 7 "bundle"): opening the
 * store, booting the node, founding genesis blocks and the demo's keys. The
 * start screen must stay small, so app-node.svelte.ts loads this module
 * only when a network actually starts (a dynamic import, its own chunk).
 */
import { openIdbStore, storeName } from '../../adapters/store/idb';
import { unwrapForDevice, wrapForDevice } from '../../adapters/store/device-key';
import type { Block } from '../../core/block';
import { deriveKeys, type IdentityKeys } from '../../core/keys';
import { publicKeyOf } from '../../core/signature';
import { bootNode } from '../../node/boot';
import type { NodeKey } from '../../node/identity';
import { hospitalDataKey } from '../clinician/data-key';
import { rawSigner } from '../clinician/sign';
import { deployment } from '../deployment';
import { deriveInWorker } from '../identity/derive';
import { browserOnlineSignal } from '../status/browser-online';
import { useStatusSource } from '../status/status-store.svelte';
import { DEMO_AUTHORITY, DEMO_PATIENTS, type DemoLogin } from './demo-logins';
import { foundingGenesis, seedDemo } from './demo-network';
import { type NetworkInfo, paramsFor } from './network';
import { nodeStatusSource } from './status-source';
import { type TabNode, tabNodeAccess } from './tab-access';

const VALIDATOR_KEY_ID = 'app/validator-key';

export { foundingGenesis, seedDemo, publicKeyOf };

/**
 * Opens the network's store and boots its node; a validator key given is
 * kept wrapped under the device key (so a reload keeps voting), else the
 * one kept before is used. Returns the node and the key it votes with.
 */
export async function bootTabNode(net: NetworkInfo, validatorKey: NodeKey | null): Promise<{ node: TabNode; key: NodeKey | null }> {
  const dbName = storeName(net.id);
  const store = await openIdbStore(dbName, { persist: false });
  if (validatorKey) await wrapForDevice(store, VALIDATOR_KEY_ID, validatorKey.secret);
  const secret = validatorKey ? null : await unwrapForDevice(store, VALIDATOR_KEY_ID);
  const key = validatorKey ?? (secret ? { secret, pub: publicKeyOf(secret) } : null);
  // STUN servers of the deployment; TURN credentials come from the relays (SPEC §6).
  const stun = deployment().stun;
  const transport = stun.length > 0 ? { iceServers: [{ urls: [...stun] }] } : undefined;
  const booted = await bootNode({ params: paramsFor(net.id), genesis: net.genesis, relayUrls: net.relayUrls, validatorKey: key, transport });
  const node = tabNodeAccess(booted, { dbName, blobs: store.blobs, blobWaitMs: 15_000 });
  useStatusSource(nodeStatusSource(node, browserOnlineSignal()));
  return { node, key };
}

/** A demo login's raw keys, derived exactly as its log-in would (argon2id in the worker under `networkId`). */
async function demoKeys(networkId: string, login: DemoLogin): Promise<IdentityKeys> {
  const derived = await deriveInWorker(networkId, login.aadhaar, login.passphrase, () => {}, 'seed');
  const keys = deriveKeys(derived.seed!);
  derived.seed!.fill(0);
  derived.boxSecret?.fill(0);
  return keys;
}

/** The demo network's founding material: its hospital's key, genesis block, and the sample patients' keys. */
export async function demoFounding(id: string, time: number): Promise<{ hospital: NodeKey; genesis: Block; patients: IdentityKeys[] }> {
  const authority = await demoKeys(id, DEMO_AUTHORITY);
  const hospital = { secret: authority.signSecret, pub: authority.signPublic };
  authority.boxSecret.fill(0);
  const data = await hospitalDataKey(rawSigner(hospital.secret, hospital.pub), 0);
  data.secret.fill(0);
  const patients: IdentityKeys[] = [];
  for (const p of DEMO_PATIENTS) patients.push(await demoKeys(id, p));
  return { hospital, genesis: foundingGenesis(paramsFor(id), hospital, data.publicKey, time), patients };
}
