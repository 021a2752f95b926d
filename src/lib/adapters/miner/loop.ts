/**
 * The mining loop shared by the Web Worker and its in-memory twin (SPEC §5):
 * one call of {@link MiningLoop.step} runs the core's bounded `mineStep` on
 * one batch of nonces and returns, so the caller can answer `stop` and a new
 * job between batches. The batch size follows the measured speed so that a
 * batch takes about {@link BATCH_TARGET_MS}: long enough that the pauses
 * between batches cost little, short enough that a new tip restarts mining
 * within a frame or two. Hashing goes through the fastest engine the
 * platform runs ({@link defaultEngine}: the WebAssembly SIMD kernel, else
 * the plain loop); both give the same answers.
 */
import { assert } from '../../core/assert';
import { HEADER_BYTES } from '../../core/header';
import { MAX_NONCE, mineStep } from '../../core/pow';
import type { MineJob, MinerExhausted, MinerFound, MinerProgress } from './types';
import { defaultEngine, type EngineName, type MineEngine } from './wasm-engine';

/** Wanted duration of one batch, milliseconds. */
export const BATCH_TARGET_MS = 30;
/** Bounds of the batch size, nonces. */
export const MIN_BATCH = 256;
export const MAX_BATCH = 1 << 22;
/** The first batch, before any speed is known. */
const FIRST_BATCH = 4096;

/** Whether `v` is a well-formed job (a message from the page is checked with it too). */
export function isJob(v: unknown): v is MineJob {
  if (typeof v !== 'object' || v === null) return false;
  const j = v as Record<string, unknown>;
  return (
    isCount(j.id, 1) &&
    isBytes(j.header, HEADER_BYTES) &&
    isBytes(j.target, 32) &&
    isCount(j.startNonce, 0) &&
    isCount(j.endNonce, j.startNonce as number) &&
    (j.endNonce as number) <= MAX_NONCE
  );
}

/** Our own code builds jobs, so a bad one is a bug (throws AssertionError). */
export function checkJob(job: MineJob): void {
  assert(isJob(job), 'malformed mining job');
}

/** A safe integer at least `min`. */
export function isCount(v: unknown, min: number): v is number {
  return typeof v === 'number' && Number.isSafeInteger(v) && v >= min;
}

/** A Uint8Array of exactly `length` bytes. */
export function isBytes(v: unknown, length: number): v is Uint8Array {
  return v instanceof Uint8Array && v.length === length;
}

export type LoopOutcome =
  | { readonly kind: 'found'; readonly found: MinerFound }
  | { readonly kind: 'progress'; readonly progress: MinerProgress }
  | { readonly kind: 'exhausted'; readonly exhausted: MinerExhausted };

/** One job at a time, searched batch by batch; `now` is a millisecond clock (performance.now). */
export class MiningLoop {
  private job: MineJob | null = null;
  private next = 0;
  private tried = 0;
  private startedAt = 0;
  private batch = FIRST_BATCH;

  constructor(
    private readonly now: () => number,
    private readonly engine: MineEngine = defaultEngine(),
  ) {}

  /** Which engine hashes (for tests and benchmarks). */
  get engineName(): EngineName {
    return this.engine.name;
  }

  /** The job under way, if any. */
  get current(): MineJob | null {
    return this.job;
  }

  /** Current batch size (nonces), for tests and benchmarks. */
  get batchSize(): number {
    return this.batch;
  }

  start(job: MineJob): void {
    checkJob(job);
    this.job = { ...job, header: job.header.slice(), target: job.target.slice() };
    this.next = job.startNonce;
    this.tried = 0;
    this.startedAt = this.now();
  }

  stop(): void {
    this.job = null;
  }

  /** Searches one batch; null when there is no job. A found or exhausted job ends. */
  step(): LoopOutcome | null {
    const job = this.job;
    if (job === null) return null;
    const budget = Math.min(this.batch, job.endNonce - this.next + 1);
    const t0 = this.now();
    const r = mineStep(job.header, job.target, this.next, budget, this.engine.search);
    const t1 = this.now();
    this.tune(r.tried, t1 - t0);
    this.tried += r.tried;
    if (r.found) {
      this.job = null;
      return { kind: 'found', found: { jobId: job.id, nonce: r.nonce, hash: r.hash, tried: this.tried } };
    }
    if (r.nextNonce > job.endNonce || r.exhausted) {
      this.job = null;
      return { kind: 'exhausted', exhausted: { jobId: job.id, tried: this.tried } };
    }
    this.next = r.nextNonce;
    const seconds = (t1 - this.startedAt) / 1000;
    return { kind: 'progress', progress: { jobId: job.id, tried: this.tried, rate: seconds > 0 ? this.tried / seconds : 0 } };
  }

  /** Moves the batch size toward BATCH_TARGET_MS, at most ×4 or ÷4 per batch. */
  private tune(tried: number, ms: number): void {
    if (tried < this.batch) return; // a short last batch says little about speed
    const factor = ms > 0 ? Math.min(4, Math.max(0.25, BATCH_TARGET_MS / ms)) : 2;
    this.batch = Math.round(Math.min(MAX_BATCH, Math.max(MIN_BATCH, this.batch * factor)));
  }
}
