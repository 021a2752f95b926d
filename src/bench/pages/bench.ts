/**
 * Harness page for `npm run bench` (issue 7, SPEC §9): the browser figures,
 * measured in this real Chromium page and returned to the bench command,
 * never asserted. The demo chain is served beside the page as /bench-chain.bin.
 */
import { deriveInWorker } from '../../lib/app/identity/derive';
import type { ChainState } from '../../lib/core/chain';
import { deriveMasterSeed, OWASP_ARGON2ID } from '../../lib/core/keys';
import { encodeHeader } from '../../lib/core/header';
import { DEFAULT_PARAMS } from '../../lib/core/params';
import { mineStep } from '../../lib/core/pow';
import { genesisTemplate } from '../../lib/core/template';
import { verifyChainFile } from '../../lib/core/verify-chain';
import { defaultEngine, JS_ENGINE } from '../../lib/adapters/miner/wasm-engine';
import { createWebMiner } from '../../lib/adapters/miner/worker-miner';
import { verifyChainAhead } from '../../lib/adapters/verify-file';
import type { MineJob } from '../../lib/adapters/miner/types';
import { expose } from '../expose';

const seconds = (from: number) => (performance.now() - from) / 1000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A job that never finds (target 0: only an all-zero hash meets it), so the miner searches for as long as it is measured. */
function endlessJob(id: number): MineJob {
  const header = encodeHeader(genesisTemplate(DEFAULT_PARAMS, [], 1_767_225_600, new Uint8Array(32).fill(9)).header);
  return { id, header, target: new Uint8Array(32), startNonce: 0, endNonce: 0xffffffff };
}

/**
 * Nonces per second of one mining worker, whatever engine the miner module
 * uses by default (createWebMiner): its steady rate between progress reports
 * from `warmMs` in to `ms`, on the page clock; the engine is named by the
 * same choice made on this page (defaultEngine: same code, same CSP). Then
 * the plain-JS engine on this page's thread for `plainMs`, for comparison.
 */
async function hashrate(ms: number, warmMs: number, plainMs: number) {
  const miner = createWebMiner();
  const marks: { at: number; tried: number }[] = [];
  miner.onProgress((p) => marks.push({ at: performance.now(), tried: p.tried }));
  miner.start(endlessJob(1));
  await sleep(ms);
  miner.close();
  if (marks.length < 2) throw new Error('the mining worker sent too few progress reports');
  const from = marks.find((m) => m.at - marks[0]!.at >= warmMs) ?? marks[0]!;
  const to = marks.at(-1)!;
  const worker = (to.tried - from.tried) / ((to.at - from.at) / 1000);
  const job = endlessJob(2);
  const start = performance.now();
  let tried = 0;
  while (performance.now() - start < plainMs) tried += mineStep(job.header, job.target, tried, 50_000, JS_ENGINE.search).tried;
  return { worker, plain: tried / seconds(start), reports: marks.length, engine: defaultEngine().name };
}

async function chainBytes(): Promise<Uint8Array> {
  const r = await fetch('/bench-chain.bin');
  if (!r.ok) throw new Error(`bench chain: HTTP ${r.status}`);
  return new Uint8Array(await r.arrayBuffer());
}

/**
 * Full verification of the demo chain as `medchain verify` does it, here:
 * every signature of the file (transactions and payload proofs) sent to the
 * page's verifying workers in chunks, all at once, while the core runs its
 * three stages on each block whose chunk is answered (verifyChainAhead).
 * `primeSeconds`: until the last chunk was answered.
 */
async function validate() {
  const bytes = await chainBytes();
  const start = performance.now();
  const { report, signatures, primedMs } = await verifyChainAhead(bytes, Math.floor(Date.now() / 1000));
  const total = seconds(start);
  if (!report.ok) throw new Error(`the demo chain did not verify: ${report.kind}`);
  return { blocks: report.height, seconds: total, primeSeconds: primedMs / 1000, signatures };
}

let held: ChainState | null = null;

/**
 * Holds the demo chain in a ChainState as a node does after opening its
 * store (SPEC §5 fast load: signatures were checked before the blocks were
 * stored, so they are taken as checked here; every other rule runs).
 */
async function holdChain() {
  const report = verifyChainFile(await chainBytes(), Math.floor(Date.now() / 1000), { verifier: { verify: () => true } });
  if (!report.ok) throw new Error(`the demo chain did not load: ${report.kind}`);
  held = report.chain;
  return { blocks: held.height };
}

/** Login as the app does it (a fresh KDF worker: argon2id, HKDF, key import), then the bare KDF on this page. */
async function login(networkId: string, aadhaar: string, passphrase: string) {
  const start = performance.now();
  await deriveInWorker(networkId, aadhaar, passphrase, () => {});
  const worker = seconds(start);
  const kdfStart = performance.now();
  deriveMasterSeed(networkId, aadhaar, passphrase, OWASP_ARGON2ID);
  return { worker, kdf: seconds(kdfStart), params: `argon2id m=${OWASP_ARGON2ID.m}KiB t=${OWASP_ARGON2ID.t} p=${OWASP_ARGON2ID.p}` };
}

expose({ hashrate, validate, holdChain, login });
