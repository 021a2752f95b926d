/** The lane graph: constants fold, identical nodes are shared, and evaluation is 32-bit word arithmetic. */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { AssertionError } from '../../../src/lib/core/assert';
import { evaluateConstants, evaluateLane, LaneGraph } from '../../../src/lib/core/lane-graph';

const u32 = fc.nat({ max: 0xffffffff });

describe('LaneGraph', () => {
  it('folds every constant term of a sum into one and keeps lane-dependent terms apart', () => {
    const g = new LaneGraph();
    const [x, y, z, lane] = [g.input('x'), g.input('y'), g.input('z'), g.lane()];
    const s = g.sum(x, lane, y, z);
    expect(g.isConstant(s)).toBe(false);
    const node = g.nodes[s]!;
    expect(node.args).toHaveLength(2); // lane + (x + y + z)
    expect(g.isConstant(node.args[1]!)).toBe(true);
    expect(g.isConstant(g.xor(g.rotr(x, 3), g.and(y, z)))).toBe(true);
    expect(g.sum(x)).toBe(x);
  });

  it('shares identical nodes', () => {
    const g = new LaneGraph();
    const [x, lane] = [g.input('x'), g.lane()];
    expect(g.input('x')).toBe(x);
    expect(g.xor(x, lane)).toBe(g.xor(x, lane));
    expect(g.rotr(lane, 7)).toBe(g.rotr(lane, 7));
    const before = g.nodes.length;
    g.sum(lane, x);
    g.sum(lane, x);
    expect(g.nodes.length).toBe(before + 1);
  });

  it('evaluates as u32 arithmetic, constants alone or with a lane (property)', () => {
    fc.assert(
      fc.property(u32, u32, u32, fc.integer({ min: 1, max: 31 }), (x, y, lane, k) => {
        const g = new LaneGraph();
        const [X, Y, L] = [g.input('x'), g.input('y'), g.lane()];
        const rot = g.rotr(X, k);
        const s = g.sum(L, X, Y);
        const sel = g.select(X, Y, L);
        const le = g.leU(L, X);
        const v = evaluateLane(g, { x, y }, lane);
        expect(v[rot]).toBe(((x >>> k) | (x << (32 - k))) >>> 0);
        expect(v[s]).toBe((lane + x + y) >>> 0);
        expect(v[sel]).toBe(((x & lane) | (y & ~lane)) >>> 0);
        expect(v[le]).toBe(lane <= x ? 0xffffffff : 0);
        expect(evaluateConstants(g, { x, y })[rot]).toBe(v[rot]);
      }),
      { numRuns: 200 },
    );
  });

  it('live() keeps what the roots need and nothing else', () => {
    const g = new LaneGraph();
    const [x, lane] = [g.input('x'), g.lane()];
    const used = g.xor(x, lane);
    const unused = g.and(x, lane);
    const live = g.live([used]);
    expect([live[used], live[x], live[lane], live[unused]]).toEqual([true, true, true, false]);
  });

  it('refuses to evaluate without an input (our misuse)', () => {
    const g = new LaneGraph();
    g.input('x');
    expect(() => evaluateConstants(g, {})).toThrow(AssertionError);
  });
});
