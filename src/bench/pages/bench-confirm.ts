/**
 * Harness page for the bench's confirm figure (issue 7, SPEC §9): one tab
 * of a network on the default parameters (a fresh id and genesis founded by
 * `validators` hospitals, src/bench/node-network.ts), booted with
 * `bootNode` in its own browser context over WebRTC through the real relay.
 * Times are wall-clock milliseconds (timeOrigin + now), comparable across tabs.
 */
import { toHex } from '../../lib/core/bytes';
import { DEFAULT_PARAMS } from '../../lib/core/params';
import { txId } from '../../lib/core/tx';
import { type BootedNode, bootNode } from '../../lib/node/boot';
import { type TestNetwork, patientTx, tabBootOptions, testNetwork } from '../node-network';
import { expose } from '../expose';

export interface ConfirmBoot {
  readonly relayUrl: string;
  readonly networkId: string;
  readonly validators: number;
  readonly t0: number;
  /** Index of the hospital this tab votes as, or null. */
  readonly validator: number | null;
  readonly mine: boolean;
}

let booted: BootedNode | null = null;
const wallMs = () => performance.timeOrigin + performance.now();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The network booted (its genesis hash is what writes sign). */
let net: TestNetwork | null = null;

async function boot(a: ConfirmBoot): Promise<void> {
  net = testNetwork(a.networkId, a.validators, a.t0, Object.freeze({ ...DEFAULT_PARAMS, id: a.networkId }));
  booted = await bootNode(tabBootOptions(net, a.relayUrl, a.validator, a.mine));
  await booted.leading;
}

/** Submits one patient registration; `at` is taken just before the submission. */
async function submit(seed: string) {
  const tx = patientTx(net!, seed, Math.floor(Date.now() / 1000));
  const at = wallMs();
  const r = await booted!.submitTx(tx);
  return { key: toHex(txId(tx)), at, status: r.status };
}

/** When the transaction became final here (wall-clock ms), polled every 5 ms; null after `timeoutMs`. */
async function finalAt(key: string, timeoutMs: number): Promise<number | null> {
  const until = performance.now() + timeoutMs;
  while (performance.now() < until) {
    const chain = booted!.node!.chain;
    const h = chain.txHeight(key);
    if (h !== undefined && h <= chain.finalized.height) return wallMs();
    await sleep(5);
  }
  return null;
}

expose({ boot, submit, finalAt, peers: () => booted?.status().peers ?? 0, stop: () => booted?.stop() });
