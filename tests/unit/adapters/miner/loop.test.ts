/** The shared mining loop's batch sizing and the message checks, directly. */
import { describe, expect, it } from 'vitest';
import { BATCH_TARGET_MS, MAX_BATCH, MIN_BATCH, MiningLoop } from '../../../../src/lib/adapters/miner/loop';
import { parseFromWorker, parseToWorker } from '../../../../src/lib/adapters/miner/messages';
import { AssertionError } from '../../../../src/lib/core/assert';
import { IMPOSSIBLE, suiteJob } from '../../../shared/miner-suite';

/** A clock that moves `ms` on each reading. */
function ticking(ms: number) {
  let t = 0;
  return () => (t += ms);
}

describe('mining loop', () => {
  it('grows fast batches and shrinks slow ones toward the target duration', () => {
    const fast = new MiningLoop(ticking(1));
    fast.start(suiteJob({ target: IMPOSSIBLE }));
    const sizes = [fast.batchSize];
    for (let i = 0; i < 3; i++) {
      fast.step();
      sizes.push(fast.batchSize);
    }
    expect(sizes[1]).toBe(sizes[0]! * 4); // 1 ms per batch: at most ×4 per step
    expect(sizes[3]).toBeGreaterThan(sizes[2]!);
    expect(sizes[3]).toBeLessThanOrEqual(MAX_BATCH);

    const slow = new MiningLoop(ticking(BATCH_TARGET_MS * 2));
    slow.start(suiteJob({ target: IMPOSSIBLE }));
    const before = slow.batchSize;
    slow.step();
    expect(slow.batchSize).toBe(before / 2);
    for (let i = 0; i < 12; i++) slow.step();
    expect(slow.batchSize).toBe(MIN_BATCH);
  });

  it('reports progress with the rate its clock gives, and nothing without a job', () => {
    const loop = new MiningLoop(ticking(10));
    expect(loop.step()).toBeNull();
    loop.start(suiteJob({ target: IMPOSSIBLE }));
    const o = loop.step();
    expect(o?.kind).toBe('progress');
    // start at 10, batch read at 20 and 30: 4096 nonces in 20 ms.
    if (o?.kind === 'progress') expect(o.progress).toMatchObject({ tried: 4096, rate: 4096 / 0.02 });
    loop.stop();
    expect(loop.step()).toBeNull();
  });

  it('refuses a malformed job from our own code loudly', () => {
    const loop = new MiningLoop(ticking(1));
    expect(() => loop.start({ ...suiteJob(), endNonce: 2 ** 32 })).toThrow(AssertionError);
    expect(() => loop.start({ ...suiteJob(), id: 1.5 })).toThrow(AssertionError);
  });
});

describe('miner messages', () => {
  it('accept exactly the well-formed messages', () => {
    const job = suiteJob();
    expect(parseToWorker({ kind: 'start', job })).toEqual({ kind: 'start', job });
    expect(parseToWorker({ kind: 'stop', extra: 1 })).toEqual({ kind: 'stop' });
    expect(parseToWorker({ kind: 'start', job: { ...job, target: new Uint8Array(33) } })).toBeNull();
    expect(parseToWorker({ kind: 'start', job: { ...job, startNonce: -1 } })).toBeNull();
    expect(parseToWorker(undefined)).toBeNull();
    const found = { jobId: 3, nonce: 0xffffffff, hash: new Uint8Array(32), tried: 7 };
    expect(parseFromWorker({ kind: 'found', found })).toEqual({ kind: 'found', found });
    expect(parseFromWorker({ kind: 'found', found: { ...found, jobId: 0 } })).toBeNull();
    expect(parseFromWorker({ kind: 'progress', progress: { jobId: 3, tried: 0, rate: 0 } })).not.toBeNull();
    expect(parseFromWorker({ kind: 'progress', progress: { jobId: 3, tried: 0, rate: Infinity } })).toBeNull();
    expect(parseFromWorker({ kind: 'exhausted', exhausted: { jobId: 3, tried: 1 } })).not.toBeNull();
    expect(parseFromWorker([{ kind: 'exhausted', exhausted: { jobId: 3, tried: 1 } }])).toBeNull();
  });
});
