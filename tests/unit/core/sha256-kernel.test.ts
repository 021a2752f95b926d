/**
 * The SIMD mining kernel gives exactly the plain loop's answers: its graph
 * computes SHA-256 of the header (against @noble/hashes), and the compiled
 * kernel, driven by kernelSearch, finds the same first nonce as the plain
 * loop and as a brute force over noble, for any header, target and range —
 * segment edges (65,536 nonces) and the top of the nonce space included.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { sha256 } from '@noble/hashes/sha2.js';
import { AssertionError } from '../../../src/lib/core/assert';
import { compareBytes } from '../../../src/lib/core/bytes';
import { HEADER_BYTES } from '../../../src/lib/core/header';
import { evaluateLane } from '../../../src/lib/core/lane-graph';
import { kernelSearch } from '../../../src/lib/core/kernel-search';
import { MAX_NONCE, mineStep, plainSearch } from '../../../src/lib/core/pow';
import { buildKernel, fixedInputs } from '../../../src/lib/core/sha256-kernel';
import { headerWords } from '../../../src/lib/core/sha256-miner';
import { headerBytes, headerWithNonce, nonceStarts, zeroBitTargets } from '../../shared/mining-arbitraries';

const plan = buildKernel();
const { exports } = new WebAssembly.Instance(new WebAssembly.Module(plan.bytes), {});
const memory = exports.memory as WebAssembly.Memory;
const run = exports.search as (lo: number, steps: number) => number;
let calls = 0;
const kernel = kernelSearch(plan, {
  memory: () => new Uint8Array(memory.buffer),
  search: (lo, steps) => (calls++, run(lo, steps)),
});

const headers = headerBytes;
const starts = nonceStarts(40);
/** Targets from "every hash" to "none", with a first word near typical difficulties. */
const targets = fc.oneof(
  fc.uint8Array({ minLength: 32, maxLength: 32 }),
  zeroBitTargets(0, 12),
  fc.constantFrom(new Uint8Array(32), new Uint8Array(32).fill(0xff)),
);

describe('sha256 kernel', () => {
  it('its graph computes the first word of SHA-256 of the header, for every nonce (scalar evaluation, property)', () => {
    const out = plan.graph.nodes.length - 1;
    const hash0 = plan.graph.nodes[out]!.args[0]!;
    fc.assert(
      fc.property(headers, fc.nat({ max: MAX_NONCE }), (header, nonce) => {
        const { mid, w } = headerWords(header);
        const inputs: Record<string, number> = { ...fixedInputs(), w13lo: w[13]! & 0xffff, t0: 0 };
        mid.forEach((m, i) => (inputs[`m${i}`] = m >>> 0));
        w.forEach((x, i) => (inputs[`w${i}`] = x));
        inputs.w12 = ((w[12]! & 0xffff0000) | (nonce >>> 16)) >>> 0;
        const v = evaluateLane(plan.graph, inputs, nonce & 0xffff);
        expect(v[hash0]).toBe(new DataView(sha256(headerWithNonce(header, nonce)).buffer).getUint32(0));
      }),
      { numRuns: 100 },
    );
  });

  it('is valid WebAssembly that loads only the constants it needs', () => {
    expect(WebAssembly.validate(plan.bytes)).toBe(true);
    // Midstate, 13 rounds and the fixed schedule words fold away: under 100 words are loaded per step.
    expect(plan.slots.length).toBeLessThan(100);
    expect(plan.perStep).toBe(4);
  });

  it('finds the same first nonce as the plain loop, for any header, target and range (property)', () => {
    calls = 0;
    fc.assert(
      fc.property(headers, starts, fc.integer({ min: 1, max: 5000 }), targets, (header, start, n, target) => {
        const count = Math.min(n, MAX_NONCE - start + 1);
        expect(kernel(header, start, count, target)).toBe(plainSearch(header, start, count, target));
      }),
      { numRuns: 300 },
    );
    expect(calls).toBeGreaterThan(300); // the kernel really ran
  });

  it('finds the first nonce a brute force over @noble/hashes finds (property)', () => {
    fc.assert(
      fc.property(headers, starts, fc.integer({ min: 0, max: 8 }), (header, start, zeroBits) => {
        const target = new Uint8Array(32).fill(0xff);
        new DataView(target.buffer).setUint32(0, 0xffffffff >>> (zeroBits + 2));
        const count = Math.min(300, MAX_NONCE - start + 1);
        let expected = -1;
        for (let x = start; x < start + count; x++)
          if (compareBytes(sha256(headerWithNonce(header, x)), target) <= 0) {
            expected = x;
            break;
          }
        expect(kernel(header, start, count, target)).toBe(expected);
      }),
      { numRuns: 60 },
    );
  });

  it('mineStep through the kernel returns exactly what the plain mineStep returns (property)', () => {
    fc.assert(
      fc.property(headers, starts, fc.integer({ min: 1, max: 3000 }), targets, (header, start, budget, target) => {
        expect(mineStep(header, target, start, budget, kernel)).toEqual(mineStep(header, target, start, budget));
      }),
      { numRuns: 150 },
    );
  });

  it('a target equal to a hash is met (≤, not <), one below is not, in any lane', () => {
    const header = new Uint8Array(HEADER_BYTES).fill(3);
    for (const nonce of [7, 8, 9, 10, 0xffff, 0x10000, MAX_NONCE]) {
      const h = sha256(headerWithNonce(header, nonce));
      const from = Math.max(0, nonce - 2);
      const plainFound = plainSearch(header, from, nonce - from + 1, h);
      expect(kernel(header, from, nonce - from + 1, h)).toBe(plainFound);
      expect(kernel(header, nonce, 1, h)).toBe(nonce);
      const below = h.slice();
      let i = 31;
      while (below[i] === 0) below[i--] = 0xff;
      below[i] = below[i]! - 1;
      expect(kernel(header, nonce, 1, below)).toBe(-1);
    }
  });

  it('refuses a range past the top of the nonce space or an empty one (our misuse)', () => {
    const header = new Uint8Array(HEADER_BYTES);
    expect(() => kernel(header, MAX_NONCE, 2, new Uint8Array(32))).toThrow(AssertionError);
    expect(() => kernel(header, 0, 0, new Uint8Array(32))).toThrow(AssertionError);
  });
});
