/**
 * A Web Worker that runs the miner's engine choice and the kernel's property
 * test where the miner runs (a worker, under the served CSP): which engine
 * `defaultEngine()` picks, whether it answers exactly as the plain loop and
 * a brute force over @noble/hashes, and each engine's nonces per second
 * (measured, never asserted).
 */
import fc from 'fast-check';
import { sha256 } from '@noble/hashes/sha2.js';
import { compareBytes } from '../../../../src/lib/core/bytes';
import { MAX_NONCE, mineStep, plainSearch } from '../../../../src/lib/core/pow';
import { headerBytes, headerWithNonce, nonceStarts, zeroBitTargets } from '../../../shared/mining-arbitraries';
import { defaultEngine, JS_ENGINE, type MineEngine } from '../../../../src/lib/adapters/miner/wasm-engine';

const scope = self as unknown as { postMessage(m: unknown): void; onmessage: ((e: MessageEvent) => void) | null };

/** The engine against the plain loop (any target, segment edges) and against noble (easy targets); the first failure's text, or null. */
function check(engine: MineEngine, runs: number): string | null {
  const r = fc.check(
    fc.property(headerBytes, nonceStarts(40), fc.integer({ min: 1, max: 5000 }), zeroBitTargets(0, 12), (header, start, n, target) => {
      const count = Math.min(n, MAX_NONCE - start + 1);
      const got = engine.search(header, start, count, target);
      if (got !== plainSearch(header, start, count, target)) return false;
      const found = mineStep(header, target, start, count, engine.search);
      if (JSON.stringify(found) !== JSON.stringify(mineStep(header, target, start, count))) return false;
      // noble over the first 300 nonces: the same first find, if any is there.
      for (let x = start; x < start + Math.min(count, 300); x++) if (compareBytes(sha256(headerWithNonce(header, x)), target) <= 0) return got === x;
      return true;
    }),
    { numRuns: runs },
  );
  return r.failed ? `counterexample ${JSON.stringify(r.counterexample)}` : null;
}

/** Nonces per second of `engine` over `ms`, and the best 200 ms window (the machine is shared). */
function rate(engine: MineEngine, ms: number): { overall: number; best: number } {
  const header = new Uint8Array(118).map((_, i) => i * 7);
  const none = new Uint8Array(32);
  const start = performance.now();
  let tried = 0;
  let best = 0;
  while (performance.now() - start < ms) {
    const t = performance.now();
    let n = 0;
    while (performance.now() - t < 200) n += mineStep(header, none, (tried + n) % MAX_NONCE, 1 << 16, engine.search).tried;
    tried += n;
    best = Math.max(best, n / ((performance.now() - t) / 1000));
  }
  return { overall: tried / ((performance.now() - start) / 1000), best };
}

scope.onmessage = (e: MessageEvent) => {
  const m = e.data as { kind: 'check'; runs: number } | { kind: 'rates'; ms: number };
  const engine = defaultEngine();
  if (m.kind === 'check') scope.postMessage({ engine: engine.name, failure: check(engine, m.runs) });
  else scope.postMessage({ engine: engine.name, wasm: rate(engine, m.ms), js: rate(JS_ENGINE, m.ms) });
};
