/** Virtual time runs the node's timers in order, settles promises between them, and a crash cancels a node's timers. */
import { describe, expect, it } from 'vitest';
import { VirtualTime } from '../../../src/lib/sim/virtual-time';

const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('VirtualTime', () => {
  it('runs callbacks by due time, then by scheduling order, and moves the clock to each', async () => {
    const t = new VirtualTime(1000, settle);
    const s = t.scope();
    const seen: string[] = [];
    s.setTimeout(() => seen.push(`b@${t.now()}`), 20);
    s.setTimeout(() => seen.push(`a@${t.now()}`), 10);
    s.setTimeout(() => seen.push(`c@${t.now()}`), 20);
    await t.advanceTo(1015);
    expect(seen).toEqual(['a@1010']);
    expect(t.now()).toBe(1015);
    await t.advanceTo(2000);
    expect(seen).toEqual(['a@1010', 'b@1020', 'c@1020']);
  });

  it('repeats intervals until cleared, through the handle it returned', async () => {
    const t = new VirtualTime(0, settle);
    const s = t.scope();
    let n = 0;
    const h = s.setInterval(() => n++, 100);
    await t.advanceTo(350);
    expect(n).toBe(3);
    s.clearInterval(h);
    await t.advanceTo(1000);
    expect(n).toBe(3);
  });

  it('lets the promises a callback starts settle before the next callback', async () => {
    const t = new VirtualTime(0, settle);
    const s = t.scope();
    const seen: string[] = [];
    s.setTimeout(() => {
      void Promise.resolve()
        .then(() => Promise.resolve())
        .then(() => seen.push('chain done'));
    }, 5);
    s.setTimeout(() => seen.push('next'), 5);
    await t.advanceTo(10);
    expect(seen).toEqual(['chain done', 'next']);
  });

  it('cancels every timer of one scope (a crash) and leaves the others running', async () => {
    const t = new VirtualTime(0, settle);
    const dead = t.scope();
    const alive = t.scope();
    let d = 0;
    let a = 0;
    dead.setInterval(() => d++, 10);
    dead.setTimeout(() => d++, 15);
    alive.setInterval(() => a++, 10);
    await t.advanceTo(10);
    dead.cancelAll();
    await t.advanceTo(100);
    expect(d).toBe(1);
    expect(a).toBe(10);
  });
});
