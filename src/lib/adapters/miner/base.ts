/**
 * What both miners share (SPEC §5): listeners, the state, and the delivery of
 * the loop's outcomes. Found and exhausted reports are delivered for any job,
 * even one since replaced (a worker cannot take back a message already
 * posted); the {@link MiningController} discards those of old jobs. Progress
 * is delivered only for the current job, so a status line never shows a
 * cancelled one.
 */
import type { LoopOutcome } from './loop';
import type { MineJob, Miner, MinerExhausted, MinerFound, MinerProgress, MinerState, Unsubscribe } from './types';

/** A set of callbacks; a throwing listener does not stop the others (it is our own bug, reported asynchronously). */
class Listeners<T> {
  private readonly set = new Set<(v: T) => void>();

  add(cb: (v: T) => void): Unsubscribe {
    this.set.add(cb);
    return () => void this.set.delete(cb);
  }

  emit(v: T): void {
    for (const cb of [...this.set]) {
      try {
        cb(v);
      } catch (e) {
        queueMicrotask(() => {
          throw e;
        });
      }
    }
  }
}

export abstract class MinerBase implements Miner {
  /** Id of the job under way; null when idle. */
  protected currentId: number | null = null;
  private readonly found = new Listeners<MinerFound>();
  private readonly progress = new Listeners<MinerProgress>();
  private readonly exhausted = new Listeners<MinerExhausted>();

  get state(): MinerState {
    return this.currentId === null ? 'idle' : 'mining';
  }

  abstract start(job: MineJob): void;
  abstract stop(): void;
  abstract close(): void;

  onFound(cb: (f: MinerFound) => void): Unsubscribe {
    return this.found.add(cb);
  }

  onProgress(cb: (p: MinerProgress) => void): Unsubscribe {
    return this.progress.add(cb);
  }

  onExhausted(cb: (e: MinerExhausted) => void): Unsubscribe {
    return this.exhausted.add(cb);
  }

  /** Hands an outcome to the listeners; a found or exhausted current job leaves the miner idle. */
  protected deliver(o: LoopOutcome): void {
    if (o.kind === 'progress') {
      if (o.progress.jobId === this.currentId) this.progress.emit(o.progress);
      return;
    }
    const jobId = o.kind === 'found' ? o.found.jobId : o.exhausted.jobId;
    if (jobId === this.currentId) this.currentId = null;
    if (o.kind === 'found') this.found.emit(o.found);
    else this.exhausted.emit(o.exhausted);
  }
}
