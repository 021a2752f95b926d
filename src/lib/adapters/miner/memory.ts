/**
 * The in-memory twin of the Web Worker miner (SPEC §5, §9): the same loop
 * ({@link MiningLoop}) run in slices on a timer instead of in a worker, so
 * Node tests and tools exercise the same behaviour. Each slice is one batch;
 * its outcome is delivered in a later task, as a worker's message would be,
 * so a found nonce can cross a new job exactly as it does in the browser.
 */
import { MinerBase } from './base';
import { checkJob, type LoopOutcome, MiningLoop } from './loop';
import type { MineJob } from './types';
import type { MineEngine } from './wasm-engine';

/** Runs `task` later (setTimeout by default; tests may pass a queue they drain by hand). */
export type Scheduler = (task: () => void) => void;

export interface MemoryMinerOptions {
  /** Millisecond clock for batch sizing and rates (performance.now by default). */
  readonly now?: () => number;
  readonly schedule?: Scheduler;
  /** The hashing engine (the platform's fastest by default). */
  readonly engine?: MineEngine;
}

const defaultSchedule: Scheduler = (task) => void setTimeout(task, 0);

export class MemoryMiner extends MinerBase {
  private readonly loop: MiningLoop;
  private readonly schedule: Scheduler;
  /** Bumped by start/stop so a slice scheduled for an earlier run does nothing. */
  private generation = 0;
  private closed = false;

  constructor(options: MemoryMinerOptions = {}) {
    super();
    this.loop = new MiningLoop(options.now ?? (() => performance.now()), options.engine);
    this.schedule = options.schedule ?? defaultSchedule;
  }

  override start(job: MineJob): void {
    checkJob(job);
    if (this.closed) return;
    this.loop.start(job);
    this.currentId = job.id;
    this.plan(++this.generation);
  }

  override stop(): void {
    this.loop.stop();
    this.currentId = null;
    this.generation++;
  }

  override close(): void {
    this.stop();
    this.closed = true;
  }

  private plan(generation: number): void {
    this.schedule(() => {
      if (generation !== this.generation) return;
      const outcome = this.loop.step();
      if (outcome === null) return;
      // The outcome travels like a message: delivered in a later task, whatever happens meanwhile.
      this.schedule(() => this.arrive(outcome));
      if (outcome.kind === 'progress') this.plan(generation);
    });
  }

  private arrive(outcome: LoopOutcome): void {
    if (!this.closed) this.deliver(outcome);
  }
}
