/**
 * The miner's engine choice: the WebAssembly SIMD kernel in Node, and the
 * plain loop whenever the kernel cannot be compiled (no WebAssembly, a
 * refused compile as under a CSP without 'wasm-unsafe-eval') or gives a
 * wrong answer. The mining loop hashes with the chosen engine.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { MiningLoop } from '../../../../src/lib/adapters/miner/loop';
import { defaultEngine, JS_ENGINE, loadWasmEngine } from '../../../../src/lib/adapters/miner/wasm-engine';
import { mineStep } from '../../../../src/lib/core/pow';
import { suiteJob } from '../../../shared/miner-suite';

afterEach(() => vi.unstubAllGlobals());

describe('miner engine', () => {
  it('is the WebAssembly kernel in Node, and the loop uses it by default', () => {
    expect(loadWasmEngine()?.name).toBe('wasm-simd');
    expect(defaultEngine().name).toBe('wasm-simd');
    expect(new MiningLoop(() => 0).engineName).toBe('wasm-simd');
    expect(new MiningLoop(() => 0, JS_ENGINE).engineName).toBe('js');
  });

  it('the loop finds with either engine what the plain mineStep finds', () => {
    const job = suiteJob();
    const expected = mineStep(job.header, job.target, 0, 1 << 20);
    expect(expected.found).toBe(true);
    for (const engine of [defaultEngine(), JS_ENGINE]) {
      const loop = new MiningLoop(() => 0, engine);
      loop.start(job);
      let o = loop.step();
      while (o?.kind === 'progress') o = loop.step();
      expect(o?.kind === 'found' && [o.found.nonce, o.found.hash]).toEqual(expected.found && [expected.nonce, expected.hash]);
    }
  });

  it('is null without WebAssembly', () => {
    vi.stubGlobal('WebAssembly', undefined);
    expect(loadWasmEngine()).toBeNull();
  });

  it('is null when compiling is refused (as a CSP without wasm-unsafe-eval does)', () => {
    const real = WebAssembly;
    vi.stubGlobal('WebAssembly', {
      ...real,
      validate: real.validate,
      Module: function refused() {
        throw new real.CompileError('Refused to compile or instantiate WebAssembly module');
      },
    });
    expect(loadWasmEngine()).toBeNull();
  });

  it('is null when the instance gives a wrong answer (a kernel that never finds)', () => {
    const real = WebAssembly;
    const memory = new real.Memory({ initial: 1 });
    vi.stubGlobal('WebAssembly', {
      ...real,
      validate: () => true,
      Module: function fake() {},
      Instance: function broken() {
        return { exports: { memory, search: () => -1 } };
      },
    });
    expect(loadWasmEngine()).toBeNull();
  });
});
