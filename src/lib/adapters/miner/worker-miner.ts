/**
 * The page's side of the Web Worker miner (SPEC §5): jobs and stops go to the
 * worker as messages; the worker's reports come back checked
 * ({@link parseFromWorker}) and malformed ones are ignored. The page never
 * hashes, so it stays responsive however long a job runs.
 */
import { MinerBase } from './base';
import { checkJob } from './loop';
import { parseFromWorker, type ToWorker } from './messages';
import type { MineJob } from './types';

/** The page's end of the channel to the worker. */
export interface MinerPort {
  post(message: ToWorker): void;
  listen(cb: (data: unknown) => void): void;
  /** Called once if the worker fails (did not load, threw). */
  listenError?(cb: () => void): void;
  terminate(): void;
}

export class WorkerMiner extends MinerBase {
  private closed = false;
  private broken = false;

  constructor(private readonly port: MinerPort) {
    super();
    port.listen((data) => {
      const outcome = parseFromWorker(data);
      if (outcome !== null && !this.closed) this.deliver(outcome);
    });
    port.listenError?.(() => {
      this.broken = true;
      this.close();
    });
  }

  /** True once the worker failed; the miner is then closed and idle. */
  get failed(): boolean {
    return this.broken;
  }

  override start(job: MineJob): void {
    checkJob(job);
    if (this.closed) return;
    this.currentId = job.id;
    this.port.post({ kind: 'start', job });
  }

  override stop(): void {
    this.currentId = null;
    if (!this.closed) this.port.post({ kind: 'stop' });
  }

  override close(): void {
    if (this.closed) return;
    this.stop();
    this.closed = true;
    this.port.terminate();
  }
}

/** Starts the miner's module worker (Vite and the test harness both resolve this URL to the bundled worker). */
export function spawnMinerWorker(): Worker {
  return new Worker(new URL('./miner.worker.ts', import.meta.url), { type: 'module' });
}

/** A miner running in its own Web Worker. */
export function createWebMiner(worker: Worker = spawnMinerWorker()): WorkerMiner {
  return new WorkerMiner({
    post: (m) => worker.postMessage(m),
    listen: (cb) => worker.addEventListener('message', (e) => cb(e.data)),
    listenError: (cb) => worker.addEventListener('error', () => cb(), { once: true }),
    terminate: () => worker.terminate(),
  });
}
