/**
 * Node fixtures for the miner's shared suite: the in-memory twin, and the
 * real worker protocol (the page's {@link WorkerMiner} and the worker's
 * {@link serveMiner}) over a Node MessageChannel, so messages are cloned and
 * delivered asynchronously as between a page and its worker.
 */
import { MessageChannel } from 'node:worker_threads';
import { MemoryMiner } from '../../../../src/lib/adapters/miner/memory';
import { JS_ENGINE } from '../../../../src/lib/adapters/miner/wasm-engine';
import { serveMiner } from '../../../../src/lib/adapters/miner/worker-host';
import { WorkerMiner } from '../../../../src/lib/adapters/miner/worker-miner';
import type { MinerFixture, MinerUnderTest } from '../../../shared/miner-suite';

export const memoryFixture: MinerFixture = { make: () => ({ miner: new MemoryMiner() }) };
/** The twin on the plain loop: the engine a platform without WebAssembly SIMD falls back to. */
export const plainMemoryFixture: MinerFixture = { make: () => ({ miner: new MemoryMiner({ engine: JS_ENGINE }) }) };

/** A WorkerMiner whose "worker" is serveMiner on the other end of a MessageChannel. */
export function channelMiner(): MinerUnderTest {
  const { port1: page, port2: worker } = new MessageChannel();
  serveMiner(
    { post: (m) => worker.postMessage(m), listen: (cb) => worker.on('message', cb) },
    { now: () => performance.now(), yieldTask: (task) => void setImmediate(task) },
  );
  const pageListeners: ((data: unknown) => void)[] = [];
  page.on('message', (data) => pageListeners.forEach((cb) => cb(data)));
  const miner = new WorkerMiner({
    post: (m) => page.postMessage(m),
    listen: (cb) => void pageListeners.push(cb),
    terminate: () => {
      page.close();
      worker.close();
    },
  });
  return {
    miner,
    toWorker: (data) => page.postMessage(data),
    fromWorker: (data) => pageListeners.forEach((cb) => cb(data)),
  };
}

export const channelFixture: MinerFixture = { make: channelMiner };
