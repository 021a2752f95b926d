/**
 * The SIMD mining kernel (issue 7: a miner far below native speed hands an
 * attacker with native code a large advantage). SHA-256 of the 118-byte
 * header is written once, plainly, over a {@link LaneGraph}; what does not
 * depend on the nonce folds into constants, and the rest becomes one
 * WebAssembly function hashing 4 nonces per i32x4 vector.
 *
 * The kernel works within a *segment* of 65,536 nonces sharing their high 16
 * bits: the nonce's bytes are the low half of W12 and the high half of W13,
 * so inside a segment W0–W12 are fixed, the first 13 rounds of the second
 * block and the schedule words W16–W19, W21, W23, W25 are constants, and the
 * constant terms of the other words and rounds are summed once. Per nonce
 * the kernel runs what is left and compares the first hash word with the
 * target's: a necessary condition for hash ≤ target, so it is a filter; the
 * caller checks each candidate exactly (kernel-search.ts).
 *
 * `search(lo, steps)`: lane j of step s holds the low half `lo + 4s + j`;
 * it returns the first step with a candidate lane, or −1 after `steps`
 * steps. Lanes past 0xffff (beyond the segment) compute garbage and may
 * raise a false candidate, which the caller ignores; they never hide a
 * nonce. Pure: bytes and a memory layout; compiling them is an adapter's
 * business.
 */
import { LaneGraph, evaluateConstants } from './lane-graph';
import { SHA256_K } from './sha256-miner';
import { Code, I32, OP, SIMD, V128, wasmModule } from './wasm-emit';

/** A built kernel: its module bytes, and where each constant it reads lives in its memory. */
export interface KernelPlan {
  readonly bytes: Uint8Array<ArrayBuffer>;
  /** Nonces per step: the four lanes of one i32x4 vector. */
  readonly perStep: number;
  readonly graph: LaneGraph;
  /** [node id, byte offset] of each constant the code loads. */
  readonly slots: readonly (readonly [number, number])[];
}

/** Template words of one segment: midstate m0–m7, second-block words w0–w15 (w12 with the segment's nonce half), w13lo, target word t0. */
export type SegmentInputs = Readonly<Record<string, number>>;

/** SHA-256 of the second block for one vector of lanes; returns the "lane is a candidate" node. */
function trace(g: LaneGraph): number {
  const { sum, xor, and, rotr, shr } = {
    sum: g.sum.bind(g),
    xor: g.xor.bind(g),
    and: g.and.bind(g),
    rotr: g.rotr.bind(g),
    shr: g.shr.bind(g),
  };
  const x3 = (a: number, b: number, c: number) => xor(xor(a, b), c);
  const S0 = (x: number) => x3(rotr(x, 2), rotr(x, 13), rotr(x, 22));
  const S1 = (x: number) => x3(rotr(x, 6), rotr(x, 11), rotr(x, 25));
  const s0 = (x: number) => x3(rotr(x, 7), rotr(x, 18), shr(x, 3));
  const s1 = (x: number) => x3(rotr(x, 17), rotr(x, 19), shr(x, 10));
  const mid = Array.from({ length: 8 }, (_, i) => g.input(`m${i}`));
  const t0 = g.input('t0');
  const W = Array.from({ length: 16 }, (_, i) => (i === 13 ? g.or(g.shl(g.lane(), 16), g.input('w13lo')) : g.input(`w${i}`)));
  let [a, b, c, d, e, f, gw, h] = mid as [number, number, number, number, number, number, number, number];
  for (let i = 0; i < 64; i++) {
    // Each schedule word just before its round, so few are live at once.
    if (i >= 16) W.push(sum(s1(W[i - 2]!), W[i - 7]!, s0(W[i - 15]!), W[i - 16]!));
    const ch = g.select(f, gw, e);
    // Maj(a,b,c) = b ^ ((a^b) & (b^c)); b^c is the previous round's a^b (a shared node).
    const maj = xor(b, and(xor(a, b), xor(b, c)));
    const t1 = sum(h, S1(e), ch, g.input(`k${i}`), W[i]!);
    const t2 = sum(S0(a), maj);
    h = gw;
    gw = f;
    f = e;
    e = sum(d, t1);
    d = c;
    c = b;
    b = a;
    a = sum(t1, t2);
  }
  return g.leU(sum(mid[0]!, a), t0);
}

const BINARY: Partial<Record<string, number>> = { xor: SIMD.xor, and: SIMD.and, or: SIMD.or, leU: SIMD.i32x4LeU };

/**
 * Builds the kernel. One i32x4 vector per step: two interleaved vectors were
 * measured at less than half the speed in V8 (16 registers: spills).
 */
export function buildKernel(): KernelPlan {
  const g = new LaneGraph();
  const out = trace(g);
  const live = g.live([out]);
  const perStep = 4;
  // Locals: 0 lo, 1 steps (params), 2 step index, then one v128 per varying node.
  const local = new Map<number, number>();
  const slot = new Map<number, number>();
  g.nodes.forEach((n, id) => {
    if (!live[id] || n.constant) return;
    local.set(id, 3 + local.size);
    for (const a of n.args) if (g.isConstant(a) && !slot.has(a)) slot.set(a, 4 * slot.size);
  });
  const laneLocal = local.get(g.lane())!;
  const c = new Code();
  c.get(0).simd(SIMD.i32x4Splat).v128([0, 1, 2, 3]).simd(SIMD.i32x4Add).set(laneLocal);
  c.op(OP.loop, OP.void);
  c.get(2).get(1).op(OP.i32GeU, OP.if, OP.void).i32(-1).op(OP.return, OP.end);
  const push = (a: number) => (g.isConstant(a) ? c.splatLoad(slot.get(a)!) : c.get(local.get(a)!));
  g.nodes.forEach((n, id) => {
    if (!live[id] || n.constant || n.op === 'lane') return;
    push(n.args[0]!);
    if (n.op === 'shl' || n.op === 'shr') c.i32(n.imm).simd(n.op === 'shl' ? SIMD.i32x4Shl : SIMD.i32x4ShrU);
    else if (n.op === 'sum') for (const a of n.args.slice(1)) push(a).simd(SIMD.i32x4Add);
    else if (n.op === 'select') {
      push(n.args[1]!);
      push(n.args[2]!).simd(SIMD.bitselect);
    } else push(n.args[1]!).simd(BINARY[n.op]!);
    c.set(local.get(id)!);
  });
  c.get(local.get(out)!).simd(SIMD.anyTrue).op(OP.if, OP.void).get(2).op(OP.return, OP.end);
  c.get(laneLocal).v128([perStep, perStep, perStep, perStep]).simd(SIMD.i32x4Add).set(laneLocal);
  c.get(2).i32(1).op(OP.i32Add).set(2);
  c.op(OP.br, 0, OP.end).i32(-1);
  const bytes = wasmModule(1, [
    {
      name: 'search',
      params: [I32, I32],
      results: [I32],
      locals: [
        [1, I32],
        [local.size, V128],
      ],
      code: c,
    },
  ]);
  return { bytes, perStep, graph: g, slots: [...slot] };
}

/** The inputs that are the same for every template: the round constants. */
export function fixedInputs(): Record<string, number> {
  const inputs: Record<string, number> = {};
  SHA256_K.forEach((k, i) => (inputs[`k${i}`] = k));
  return inputs;
}

/** Writes a segment's constants into the kernel's memory (little-endian words at their slots). */
export function writeSegment(plan: KernelPlan, memory: Uint8Array, inputs: SegmentInputs): void {
  const values = evaluateConstants(plan.graph, inputs);
  const view = new DataView(memory.buffer, memory.byteOffset, memory.byteLength);
  for (const [node, offset] of plan.slots) view.setUint32(offset, values[node]!, true);
}
