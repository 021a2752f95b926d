/**
 * The miner's hashing engine (SPEC §5, issue 7): the core's WebAssembly SIMD
 * kernel where the platform can run it, else the core's plain loop. Both
 * give the same answers (tests prove it); the kernel is about ten times
 * faster. Compiling WebAssembly is a platform API, so it happens here, not in
 * the core: the core only builds the bytes (sha256-kernel.ts) and drives an
 * instance (kernel-search.ts).
 *
 * The kernel is refused, and the plain loop used, when WebAssembly or its
 * SIMD is missing, when the page's Content-Security-Policy forbids compiling
 * (script-src without 'wasm-unsafe-eval'), when a browser's main thread
 * refuses a synchronous compile of this size (workers have no such limit),
 * or when the instance fails a known-answer check.
 */
import { headerMiner } from '../../core/sha256-miner';
import { kernelSearch } from '../../core/kernel-search';
import { type NonceSearch, plainSearch } from '../../core/pow';
import { buildKernel } from '../../core/sha256-kernel';

export type EngineName = 'wasm-simd' | 'js';

export interface MineEngine {
  readonly name: EngineName;
  readonly search: NonceSearch;
}

export const JS_ENGINE: MineEngine = { name: 'js', search: plainSearch };

/** Compiles and instantiates the kernel; null when this platform cannot (see the file's comment). */
export function loadWasmEngine(): MineEngine | null {
  if (typeof WebAssembly !== 'object') return null;
  try {
    const plan = buildKernel();
    if (!WebAssembly.validate(plan.bytes)) return null;
    const { exports } = new WebAssembly.Instance(new WebAssembly.Module(plan.bytes), {});
    const memory = exports.memory as WebAssembly.Memory;
    const run = exports.search as (lo: number, steps: number) => number;
    const search = kernelSearch(plan, { memory: () => new Uint8Array(memory.buffer), search: (lo, steps) => run(lo, steps) });
    return knownAnswers(search) ? { name: 'wasm-simd', search } : null;
  } catch {
    // CompileError, RangeError (size limit), EvalError (CSP): the plain loop serves.
    return null;
  }
}

/** A few searches the plain loop answered too: a broken instance is never used. */
function knownAnswers(search: NonceSearch): boolean {
  const header = new Uint8Array(118).map((_, i) => (i * 29 + 7) & 0xff);
  const target = new Uint8Array(32).fill(0xff);
  target[0] = 0x03; // about one hash in 64
  for (const start of [0, 0xfff0, 0xffffff00]) {
    const count = 200;
    if (search(header, start, count, target) !== plainSearch(header, start, count, target)) return false;
  }
  const hash = headerMiner(header).hash(5);
  return search(header, 0, 64, hash) === plainSearch(header, 0, 64, hash);
}

let chosen: MineEngine | undefined;

/** The fastest engine this platform runs, chosen once per thread. */
export function defaultEngine(): MineEngine {
  chosen ??= loadWasmEngine() ?? JS_ENGINE;
  return chosen;
}
