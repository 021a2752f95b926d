/**
 * The worker's side of the miner (SPEC §5), free of worker globals so Node
 * tests can run it over a MessageChannel: it runs the {@link MiningLoop} one
 * batch per task and yields between batches, so a `stop` or a new job
 * (a new tip) is acted on after at most one batch (~30 ms). Malformed
 * messages are ignored.
 */
import { MiningLoop } from './loop';
import { parseToWorker } from './messages';
import type { MineEngine } from './wasm-engine';

/** The worker's end of the channel to the page. */
export interface HostPort {
  post(message: unknown): void;
  listen(cb: (data: unknown) => void): void;
}

export interface HostOptions {
  /** Millisecond clock (performance.now). */
  readonly now: () => number;
  /** Runs `task` in a later task, letting queued messages in first. */
  readonly yieldTask: (task: () => void) => void;
  /** The hashing engine (the platform's fastest by default). */
  readonly engine?: MineEngine;
}

export function serveMiner(port: HostPort, options: HostOptions): void {
  const loop = new MiningLoop(options.now, options.engine);
  /** Bumped by every accepted message, so a batch planned for an older job does nothing. */
  let generation = 0;

  const run = (gen: number): void => {
    if (gen !== generation) return;
    const outcome = loop.step();
    if (outcome === null) return;
    port.post(outcome);
    if (outcome.kind === 'progress') options.yieldTask(() => run(gen));
  };

  port.listen((data) => {
    const m = parseToWorker(data);
    if (m === null) return;
    const gen = ++generation;
    if (m.kind === 'stop') return loop.stop();
    loop.start(m.job);
    options.yieldTask(() => run(gen));
  });
}
