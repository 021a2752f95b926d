/**
 * Proof of work (SPEC §5). A header meets its target when its SHA-256 hash,
 * read as a big-endian 256-bit number, is at most the target its bits encode.
 *
 * {@link mineStep} is the pure, bounded unit of mining: it tries at most
 * `budget` nonces from `startNonce` and returns, so a Web Worker can call it
 * in batches, check for a new tip between batches and never block anything.
 */
import { assert } from './assert';
import { bigIntToBytes, compareBytes } from './bytes';
import { targetFromBits } from './compact';
import { HEADER_BYTES } from './header';
import { headerMiner } from './sha256-miner';

/** Largest nonce; past it the miner must change the template (its time). */
export const MAX_NONCE = 0xffffffff;

/** The target as 32 big-endian bytes, for byte-wise comparison with hashes. */
export function targetBytes(target: bigint): Uint8Array {
  return bigIntToBytes(target, 32);
}

/** Whether `hash` meets `target` (hash ≤ target, both big-endian). */
export function hashMeetsTarget(hash: Uint8Array, target: Uint8Array): boolean {
  return compareBytes(hash, target) <= 0;
}

/** Whether a header hash meets the target of `bits`; false for invalid bits. */
export function checkProofOfWork(hash: Uint8Array, bits: number): boolean {
  const target = targetFromBits(bits);
  return target !== null && hashMeetsTarget(hash, targetBytes(target));
}

export type MineStepResult =
  | { readonly found: true; readonly nonce: number; readonly hash: Uint8Array; readonly tried: number }
  | { readonly found: false; readonly nextNonce: number; readonly exhausted: boolean; readonly tried: number };

/**
 * A search over `count` nonces from `start` of an encoded header: the first
 * whose hash meets `target`, or −1. Any such function must give exactly the
 * answer of the plain loop ({@link headerMiner}); the WebAssembly kernel
 * (kernel-search.ts) is one.
 */
export type NonceSearch = (header: Uint8Array, start: number, count: number, target: Uint8Array) => number;

/** The plain TypeScript search (the reference, and the fallback where WebAssembly SIMD is missing). */
export const plainSearch: NonceSearch = (header, start, count, target) => headerMiner(header).search(start, count, target);

/**
 * Tries nonces `startNonce, startNonce+1, …` on an encoded header, at most
 * `budget` of them, and stops at the first whose hash meets `target`.
 * The first 64 header bytes do not depend on the nonce: they are hashed once
 * (the midstate) and each nonce costs one SHA-256 compression, less the
 * rounds that do not depend on it ({@link headerMiner}). `search` may be a
 * faster engine giving the same answers.
 */
export function mineStep(header: Uint8Array, target: Uint8Array, startNonce: number, budget: number, search: NonceSearch = plainSearch): MineStepResult {
  assert(header.length === HEADER_BYTES, 'mineStep needs an encoded header');
  assert(Number.isInteger(startNonce) && startNonce >= 0 && startNonce <= MAX_NONCE, 'bad start nonce');
  assert(Number.isInteger(budget) && budget > 0, 'bad budget');
  const end = Math.min(MAX_NONCE, startNonce + budget - 1);
  const nonce = search(header, startNonce, end - startNonce + 1, target);
  assert(nonce === -1 || (Number.isInteger(nonce) && nonce >= startNonce && nonce <= end), 'search answered outside its range');
  if (nonce >= 0) return { found: true, nonce, hash: headerMiner(header).hash(nonce), tried: nonce - startNonce + 1 };
  return { found: false, nextNonce: end + 1, exhausted: end === MAX_NONCE, tried: end - startNonce + 1 };
}
