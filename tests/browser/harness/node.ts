/**
 * Harness page for the node runtime: boots a full node with `bootNode` (the
 * entry the app will call) on the test network of src/bench/node-network.ts,
 * in this page's browser context (its own IndexedDB, Web Locks and miner
 * worker), over WebRTC through the real relay. The test reads the node
 * through `window.medchain`, as multi-tab tooling would; the extra calls
 * here write transactions, build a prefix of blocks fast, and damage the
 * stored chain the way a bad disk would.
 */
import { openIdbStore } from '../../../src/lib/adapters/store/idb';
import { toHex } from '../../../src/lib/core/bytes';
import { blockTemplate, mineBlock } from '../../../src/lib/core/template';
import { txId } from '../../../src/lib/core/tx';
import { type BootedNode, bootNode } from '../../../src/lib/node/boot';
import type { MedchainHandle } from '../../../src/lib/node/handle';
import { type TestNetwork, patientTx, testNetwork } from '../../../src/bench/node-network';
import { expose } from '../../../src/bench/expose';
import { rawUpdate } from './lib/idb-fixture';

export interface BootArgs {
  /** One relay, or several. */
  readonly relayUrl: string | readonly string[];
  readonly networkId: string;
  readonly validators: number;
  readonly t0: number;
  /** Index of the hospital this node votes as, or null. */
  readonly validator: number | null;
  readonly mine?: boolean;
  /** Resolve once booted even if another tab of the profile is the writer (this one follows). */
  readonly mayFollow?: boolean;
}

let booted: BootedNode | null = null;
const acked: string[] = [];
let looping = false;
const sec = () => Math.floor(Date.now() / 1000);
const handle = () => (window as unknown as { medchain: MedchainHandle }).medchain;
const dbOf = (networkId: string) => `medchain/${networkId}`;

/** The network booted (its genesis hash is what writes sign). */
let net: TestNetwork | null = null;

async function boot(a: BootArgs): Promise<void> {
  net = testNetwork(a.networkId, a.validators, a.t0);
  booted = await bootNode({
    params: net.params,
    genesis: net.genesis,
    relayUrls: typeof a.relayUrl === 'string' ? [a.relayUrl] : a.relayUrl,
    validatorKey: a.validator === null ? null : net.validators[a.validator]!,
    mine: a.mine,
    transport: { helloMs: 3000, reconnectBaseMs: 200, reconnectMaxMs: 1000, connectTimeoutMs: 8000, houseMs: 100, backoffBaseMs: 100, backoffMaxMs: 1000 },
  });
  if (!a.mayFollow) await booted.leading;
}

/** Writes one patient registration; resolves once it is on disk. */
async function write(seed: string): Promise<{ key: string; status: string }> {
  const tx = patientTx(net!, seed, sec());
  const r = await booted!.submitTx(tx);
  return { key: toHex(txId(tx)), status: r.status };
}

/** Where a transaction is on this node. */
function txState(key: string): 'final' | 'chain' | 'pending' | 'none' {
  const chain = booted!.node!.chain;
  const h = chain.txHeight(key);
  if (h !== undefined) return h <= chain.finalized.height ? 'final' : 'chain';
  return chain.pending.has(key) ? 'pending' : 'none';
}

/** Builds `n` blocks on the tip here, one patient registration each (a prefix for catch-up tests). */
function buildBlocks(n: number, prefix: string): number {
  const node = booted!.node!;
  for (let i = 0; i < n; i++) {
    const chain = node.chain;
    const block = mineBlock(blockTemplate(chain, chain.tip, [patientTx(net!, `${prefix}/${i}`, sec())], sec(), node.key.pub));
    const r = node.submitBlock(block);
    if (r.status !== 'accepted') throw new Error(`own block ${r.status}`);
  }
  return node.chain.height;
}

/** Writes without pause until the page dies; `acked` lists the writes that reached the disk. */
function writeLoop(prefix: string): void {
  looping = true;
  void (async () => {
    for (let i = 0; looping; i++) {
      const r = await write(`${prefix}/${i}`);
      if (r.status === 'added') acked.push(r.key);
    }
  })();
}

/** Flips one byte near the end of the stored block at `height` (inside a signature), before boot. */
async function tamper(networkId: string, height: number): Promise<string> {
  const store = await openIdbStore(dbOf(networkId), { persist: false });
  const [key] = await store.keysAtHeight(height);
  store.close();
  if (!key) throw new Error(`no stored block at ${height}`);
  await rawUpdate(dbOf(networkId), key, (v) => {
    const bytes = v.bytes as Uint8Array;
    bytes[bytes.length - 3]! ^= 0x01;
    return { ...v, bytes };
  });
  return key;
}

expose({
  boot,
  write,
  txState,
  buildBlocks,
  writeLoop,
  acked: () => [...acked],
  tamper,
  status: () => handle().status(),
  verify: () => handle().verifyChain(),
  health: () => booted!.health(),
  bans: () => booted!.node!.driver.stats.bans,
  errors: () => booted!.node!.driver.stats.errors,
  /** What the node holds for peers' partial messages, and its node-wide budget (issue 13, defect 5). */
  reassembly: () => ({ ...booted!.node!.driver.mesh.reassembly, budget: booted!.node!.driver.mesh.config.partialBytes }),
  tipAt: (h: number) => booted!.node!.chain.atHeight(h)?.key ?? null,
  /** The agreement layer's view, for failure messages. */
  agreement: () => {
    const n = booted!.node!;
    const f = n.agreement.finality;
    const pool = n.chain.pending.list();
    return {
      bans: n.driver.stats.bans,
      height: f.height,
      rounds: f.roundsSeen(),
      polka: f.latestPolka(),
      need: f.need(),
      round: n.agreement.policy?.round ?? null,
      cast: n.agreement.policy?.votesCast().length ?? null,
      pool: pool.length,
      peers: n.status().peers,
    };
  },
  stop: () => booted?.stop(),
});
