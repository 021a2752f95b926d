/**
 * Harness page for the Web Worker miner: the shared miner suite against the
 * real worker, the mining controller driving it, the main thread's liveness
 * while the worker hashes, and the worker's speed (measured, never asserted).
 */
import type { Block } from '../../../src/lib/core/block';
import { mineStep } from '../../../src/lib/core/pow';
import { signTx } from '../../../src/lib/core/sign-tx';
import { TxKind } from '../../../src/lib/core/tx';
import { MiningController } from '../../../src/lib/adapters/miner/controller';
import { createWebMiner, spawnMinerWorker } from '../../../src/lib/adapters/miner/worker-miner';
import { IMPOSSIBLE, minerCases, type MinerUnderTest, record, SUITE_NOW, suiteChain, suiteJob, until } from '../../shared/miner-suite';
import { engineCheck, engineRates } from './lib/engine-probe';
import { expose } from '../../../src/bench/expose';

function workerMiner(): MinerUnderTest {
  const worker = spawnMinerWorker();
  return {
    miner: createWebMiner(worker),
    toWorker: (data) => worker.postMessage(data),
    // As if the worker had posted it: the page side's own listener receives it.
    fromWorker: (data) => worker.dispatchEvent(new MessageEvent('message', { data })),
  };
}

async function runMinerCase(name: string): Promise<void> {
  const c = minerCases.find((x) => x.name === name);
  if (!c) throw new Error(`no miner case "${name}"`);
  await c.run({ make: workerMiner });
}

/**
 * Mines an impossible job until the worker has sent `reports` progress
 * reports, counting animation frames and zero-delay timer turns on the main
 * thread meanwhile.
 */
async function responsiveWhileMining(reports: number) {
  const { miner } = workerMiner();
  const log = record(miner);
  let frames = 0;
  let timers = 0;
  let running = true;
  const frame = () => {
    frames++;
    if (running) requestAnimationFrame(frame);
  };
  const tick = () => {
    timers++;
    if (running) setTimeout(tick, 0);
  };
  miner.start(suiteJob({ target: IMPOSSIBLE }));
  await until(() => log.progress.length > 0, 'the worker started');
  const at = { frames, timers };
  requestAnimationFrame(frame);
  setTimeout(tick, 0);
  await until(() => log.progress.length >= reports + 1, 'progress reports');
  running = false;
  const state = miner.state;
  const last = log.progress.at(-1)!;
  miner.close();
  return { frames: frames - at.frames, timers: timers - at.timers, state, tried: last.tried, rate: last.rate };
}

/**
 * Nonces per second: the worker's own figure over the whole job, the worker's
 * steady rate (nonces between two reports a second and `ms` in, over the page
 * clock between them) and the page's own thread running mineStep, for comparison.
 */
async function hashRates(ms: number) {
  const { miner } = workerMiner();
  const marks: { at: number; tried: number }[] = [];
  miner.onProgress((p) => marks.push({ at: performance.now(), tried: p.tried }));
  const log = record(miner);
  miner.start(suiteJob({ target: IMPOSSIBLE }));
  await new Promise((r) => setTimeout(r, ms));
  const worker = log.progress.at(-1)!.rate;
  miner.close();
  const from = marks.find((m) => m.at - marks[0]!.at >= 1000) ?? marks[0]!;
  const to = marks.at(-1)!;
  const steady = (to.tried - from.tried) / ((to.at - from.at) / 1000);
  const job = suiteJob({ target: IMPOSSIBLE });
  const start = performance.now();
  let tried = 0;
  while (performance.now() - start < Math.min(ms, 1000)) tried += mineStep(job.header, job.target, tried, 50_000).tried;
  const page = tried / ((performance.now() - start) / 1000);
  return { worker, steady, page };
}

/** The controller with the real worker: a pending transaction becomes a block the chain accepts. */
async function controllerMines() {
  const { chain } = suiteChain();
  const secret = new Uint8Array(32).fill(3);
  const tx = signTx(chain.genesis.hash, { kind: TxKind.AddRecord, nonce: 1, time: SUITE_NOW - 100, payload: new Uint8Array(16).fill(5) }, secret);
  if (chain.addPendingTx(tx, SUITE_NOW).status !== 'added') throw new Error('pending transaction refused');
  const miner = createWebMiner();
  const blocks: Block[] = [];
  const controller = new MiningController({ chain, miner, minerKey: new Uint8Array(32).fill(4), now: () => SUITE_NOW, onBlock: (b) => blocks.push(b) });
  controller.setEnabled(true);
  const miningBefore = controller.mining;
  await until(() => blocks.length > 0, 'a mined block');
  const r = chain.addBlock(blocks[0]!, SUITE_NOW);
  controller.update();
  const result = { miningBefore, status: r.status, txs: blocks[0]!.txs.length, height: chain.height, miningAfter: controller.mining };
  controller.close();
  miner.close();
  return result;
}

/** A worker whose script does not load: the miner reports the failure and goes idle, and so does a controller on it. */
async function brokenWorker() {
  const miner = createWebMiner(new Worker('/no-such-worker.js', { type: 'module' }));
  const { chain } = suiteChain();
  const secret = new Uint8Array(32).fill(3);
  chain.addPendingTx(signTx(chain.genesis.hash, { kind: TxKind.AddRecord, nonce: 2, time: SUITE_NOW - 100, payload: new Uint8Array(16) }, secret), SUITE_NOW);
  const controller = new MiningController({ chain, miner, minerKey: new Uint8Array(32).fill(4), now: () => SUITE_NOW, onBlock: () => {} });
  controller.setEnabled(true);
  const before = controller.mining;
  await until(() => miner.failed, 'the worker failure');
  return { before, failed: miner.failed, state: miner.state, mining: controller.mining };
}

expose({
  brokenWorker,
  caseNames: () => minerCases.map((c) => c.name),
  runMinerCase,
  responsiveWhileMining,
  hashRates,
  controllerMines,
  engineCheck,
  engineRates,
});
