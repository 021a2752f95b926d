/**
 * The miner (SPEC §5: proof of work in a Web Worker, never on the UI thread,
 * cancelled and restarted when a new tip arrives): the narrow interface the
 * Web Worker miner ({@link WorkerMiner}) and its in-memory twin
 * ({@link MemoryMiner}) both implement, so one shared suite runs against each.
 *
 * A miner knows nothing of blocks: it searches a nonce range of one encoded
 * header for a hash at most a target. What the header holds, and whether a
 * found nonce still matters, is the {@link MiningController}'s business.
 */

/** One search: a header template, its target and a nonce range. */
export interface MineJob {
  /** Names the job in every event; a positive integer, new for each job. */
  readonly id: number;
  /** The encoded 118-byte header (its nonce field is ignored). */
  readonly header: Uint8Array;
  /** The target as 32 big-endian bytes (see core/pow.ts targetBytes). */
  readonly target: Uint8Array;
  /** First nonce tried. */
  readonly startNonce: number;
  /** Last nonce tried (inclusive, at most 2^32 − 1). */
  readonly endNonce: number;
}

/** A nonce whose header hash meets the job's target. */
export interface MinerFound {
  readonly jobId: number;
  readonly nonce: number;
  /** The header hash with this nonce. */
  readonly hash: Uint8Array;
  /** Nonces tried for this job, this one included. */
  readonly tried: number;
}

/** How a job is going: sent after each batch. */
export interface MinerProgress {
  readonly jobId: number;
  /** Nonces tried for this job so far. */
  readonly tried: number;
  /** Nonces per second over the job so far (0 until time has passed). */
  readonly rate: number;
}

/** The job's range was searched without success: the caller changes the template (its time). */
export interface MinerExhausted {
  readonly jobId: number;
  readonly tried: number;
}

export type MinerState = 'idle' | 'mining';

/** Removes a listener. */
export type Unsubscribe = () => void;

export interface Miner {
  /** `mining` from {@link start} until the job is found, exhausted or stopped. */
  readonly state: MinerState;
  /** Starts `job`, replacing any job under way at once. */
  start(job: MineJob): void;
  /** Stops mining; nothing is searched after this returns (events already in flight may still arrive). */
  stop(): void;
  /**
   * A found nonce. It may belong to a job since replaced (a worker's message
   * crossing the new job): listeners compare `jobId` with their own.
   */
  onFound(cb: (f: MinerFound) => void): Unsubscribe;
  onProgress(cb: (p: MinerProgress) => void): Unsubscribe;
  onExhausted(cb: (e: MinerExhausted) => void): Unsubscribe;
  /** Stops for good and frees the worker. */
  close(): void;
}
