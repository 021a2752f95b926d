/**
 * A dataflow graph of 32-bit word operations that splits a computation into
 * what is the same for every nonce and what is not (issue 7). Nodes built
 * only from template inputs are *constant*: they are evaluated once per
 * template in plain TypeScript ({@link evaluateConstants}). Nodes that depend
 * on a lane (a vector of nonces) are *varying*: only they become SIMD code.
 * Construction folds constants (all constant terms of a sum become one
 * constant) and shares identical nodes, so SHA-256 written naively here
 * yields the precomputed midstate rounds and schedule words by itself.
 */
import { AssertionError, assert } from './assert';

export type NodeOp = 'input' | 'lane' | 'sum' | 'xor' | 'and' | 'or' | 'shl' | 'shr' | 'leU' | 'select';

export interface GraphNode {
  readonly op: NodeOp;
  readonly args: readonly number[];
  /** Shift amount, or the input's index. */
  readonly imm: number;
  readonly constant: boolean;
}

export class LaneGraph {
  readonly nodes: GraphNode[] = [];
  /** Names of the template inputs, by input index. */
  readonly inputs: string[] = [];
  private readonly memo = new Map<string, number>();

  private make(op: NodeOp, args: readonly number[], imm = 0): number {
    const key = `${op}:${imm}:${args.join(',')}`;
    const known = this.memo.get(key);
    if (known !== undefined) return known;
    const constant = op === 'input' || (op !== 'lane' && args.every((a) => this.nodes[a]!.constant));
    this.nodes.push({ op, args, imm, constant });
    this.memo.set(key, this.nodes.length - 1);
    return this.nodes.length - 1;
  }

  /** A template word, the same for every nonce. */
  input(name: string): number {
    const i = this.inputs.indexOf(name);
    if (i >= 0) return this.make('input', [], i);
    this.inputs.push(name);
    return this.make('input', [], this.inputs.length - 1);
  }

  /** The varying leaf: one vector of per-lane words (the kernel's loop variable). */
  lane(): number {
    return this.make('lane', []);
  }

  isConstant(n: number): boolean {
    return this.nodes[n]!.constant;
  }

  /** Sum mod 2^32; the constant terms are folded into one. */
  sum(...terms: number[]): number {
    const fixed = terms.filter((t) => this.isConstant(t));
    const varying = terms.filter((t) => !this.isConstant(t));
    const c = fixed.length > 1 ? this.make('sum', fixed) : fixed[0];
    const args = c === undefined ? varying : [...varying, c];
    assert(args.length > 0, 'empty sum');
    return args.length === 1 ? args[0]! : this.make('sum', args);
  }
  xor(a: number, b: number): number {
    return this.make('xor', [a, b]);
  }
  and(a: number, b: number): number {
    return this.make('and', [a, b]);
  }
  or(a: number, b: number): number {
    return this.make('or', [a, b]);
  }
  shl(a: number, k: number): number {
    return this.make('shl', [a], k);
  }
  shr(a: number, k: number): number {
    return this.make('shr', [a], k);
  }
  rotr(a: number, k: number): number {
    return this.or(this.shr(a, k), this.shl(a, 32 - k));
  }
  /** Bits of `a` where `m` is set, of `b` elsewhere. */
  select(a: number, b: number, m: number): number {
    return this.make('select', [a, b, m]);
  }
  /** All-ones where a ≤ b (unsigned), else zero. */
  leU(a: number, b: number): number {
    return this.make('leU', [a, b]);
  }

  /** Nodes `roots` depend on (themselves included), as flags by node id. */
  live(roots: readonly number[]): boolean[] {
    const flags = new Array<boolean>(this.nodes.length).fill(false);
    for (const r of roots) flags[r] = true;
    for (let i = this.nodes.length - 1; i >= 0; i--) if (flags[i]) for (const a of this.nodes[i]!.args) flags[a] = true;
    return flags;
  }
}

/** One node's value given its arguments' values (u32). */
function apply(n: GraphNode, v: (i: number) => number): number {
  const [a = 0, b = 0, m = 0] = n.args.map(v);
  switch (n.op) {
    case 'sum':
      return n.args.reduce((s, x) => (s + v(x)) >>> 0, 0);
    case 'xor':
      return (a ^ b) >>> 0;
    case 'and':
      return (a & b) >>> 0;
    case 'or':
      return (a | b) >>> 0;
    case 'shl':
      return (a << n.imm) >>> 0;
    case 'shr':
      return a >>> n.imm;
    case 'select':
      return ((a & m) | (b & ~m)) >>> 0;
    case 'leU':
      return a <= b ? 0xffffffff : 0;
    default:
      throw new AssertionError(`not a computed node: ${n.op}`);
  }
}

/** Values of every constant node for these template inputs (by input name); varying nodes are left 0. */
export function evaluateConstants(g: LaneGraph, inputs: Readonly<Record<string, number>>): Uint32Array {
  const values = new Uint32Array(g.nodes.length);
  g.nodes.forEach((n, i) => {
    if (!n.constant) return;
    if (n.op === 'input') {
      const x = inputs[g.inputs[n.imm]!];
      assert(x !== undefined, `missing input ${g.inputs[n.imm]}`);
      values[i] = x;
    } else values[i] = apply(n, (j) => values[j]!);
  });
  return values;
}

/** Values of every node with the lane leaf set to `lane` (a scalar reference, for tests). */
export function evaluateLane(g: LaneGraph, inputs: Readonly<Record<string, number>>, lane: number): Uint32Array {
  const values = evaluateConstants(g, inputs);
  g.nodes.forEach((n, i) => {
    if (n.constant) return;
    values[i] = n.op === 'lane' ? lane >>> 0 : apply(n, (j) => values[j]!);
  });
  return values;
}
