/**
 * The {@link NonceSearch} over a compiled SIMD kernel (issue 7), pure: the
 * caller (an adapter) compiles {@link KernelPlan.bytes} and hands over the
 * instance as a {@link KernelInstance}. Nonces are taken segment by segment
 * (65,536 sharing their high half); the kernel filters on the first hash
 * word and every candidate is checked exactly with the plain hash
 * ({@link headerMiner}), in nonce order, so the answer is the plain loop's:
 * the first nonce whose hash is at most the target.
 */
import { assert } from './assert';
import { compareBytes } from './bytes';
import type { NonceSearch } from './pow';
import { fixedInputs, type KernelPlan, writeSegment } from './sha256-kernel';
import { headerMiner, headerWords } from './sha256-miner';

/** An instantiated kernel: its memory and its `search(lo, steps)` export. */
export interface KernelInstance {
  /** The module's memory (fetched each time: a view can go stale if memory ever grows). */
  memory(): Uint8Array;
  search(lo: number, steps: number): number;
}

const SEGMENT = 0x10000;

export function kernelSearch(plan: KernelPlan, kernel: KernelInstance): NonceSearch {
  const fixed = fixedInputs();
  const S = plan.perStep;
  return (header, start, count, target) => {
    assert(target.length === 32, 'target must be 32 bytes');
    assert(Number.isInteger(start) && Number.isInteger(count) && start >= 0 && count >= 1 && start + count - 1 <= 0xffffffff, 'bad nonce range');
    const { mid, w } = headerWords(header);
    const miner = headerMiner(header);
    const inputs: Record<string, number> = { ...fixed, w13lo: w[13]! & 0xffff, t0: new DataView(target.buffer, target.byteOffset, 4).getUint32(0) };
    mid.forEach((m, i) => (inputs[`m${i}`] = m >>> 0));
    w.forEach((x, i) => (inputs[`w${i}`] = x));
    const end = start + count - 1;
    let n = start;
    while (n <= end) {
      const hi = Math.floor(n / SEGMENT);
      const segEnd = Math.min(end, hi * SEGMENT + SEGMENT - 1);
      writeSegment(plan, kernel.memory(), { ...inputs, w12: ((w[12]! & 0xffff0000) | hi) >>> 0 });
      while (n <= segEnd) {
        const step = kernel.search(n - hi * SEGMENT, Math.ceil((segEnd - n + 1) / S));
        if (step < 0) break;
        const first = n + step * S;
        for (let x = first; x < first + S && x <= segEnd; x++) if (compareBytes(miner.hash(x), target) <= 0) return x;
        n = first + S;
      }
      n = segEnd + 1;
    }
    return -1;
  };
}
