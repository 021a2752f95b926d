/** The tests' virtual clock: bounded waits fail by name in virtual time, and outside work holds the clock. */
import { describe, expect, it } from 'vitest';
import { VirtualClock } from './virtual-clock';

describe('VirtualClock', () => {
  it('a wait that never holds fails naming it once its bound of virtual time has passed', async () => {
    const clock = new VirtualClock(1_000_000);
    const ticks: number[] = [];
    clock.scope().setInterval(() => ticks.push(clock.now()), 1000);
    await expect(clock.runUntil(() => false, 5000, 'the impossible')).rejects.toThrow('the impossible: not within 5000 ms of virtual time');
    expect(clock.now()).toBe(1_005_000);
    expect(ticks).toEqual([1_001_000, 1_002_000, 1_003_000, 1_004_000, 1_005_000]);
  });

  it('a wait that holds ends at the first check after its condition became true', async () => {
    const clock = new VirtualClock(0);
    let ready = false;
    clock.scope().setTimeout(() => (ready = true), 35);
    await clock.runUntil(() => ready, 1000, 'the timer');
    expect(clock.now()).toBe(40);
    expect(await clock.drive(Promise.resolve(7), 1000, 'a settled promise')).toBe(7);
    expect(clock.now()).toBe(40);
  });

  it('work outside virtual time holds the clock: the timers after it see its result', async () => {
    const clock = new VirtualClock(0);
    const seen: string[] = [];
    const timers = clock.scope();
    timers.setTimeout(() => {
      // Answers after a real delay, as WebCrypto does on the thread pool.
      void clock.outside(new Promise<void>((resolve) => setTimeout(resolve, 20))).then(() => seen.push('outside'));
    }, 10);
    timers.setTimeout(() => seen.push('timer'), 11);
    await clock.advance(100);
    expect(seen).toEqual(['outside', 'timer']);
  });
});
