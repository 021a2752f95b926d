/**
 * Proof of work (SPEC §5). A header meets its target when its SHA-256 hash,
 * read as a big-endian 256-bit number, is at most the target its bits encode.
 *
 * {@link mineStep} is the pure, bounded unit of mining: it tries at most
 * `budget` nonces from `startNonce` and returns, so a Web Worker can call it
 * in batches, check for a new tip between batches and never block anything.
 */
import { sha256 as nobleSha256 } from '@noble/hashes/sha2.js';
import { assert } from './assert';
import { bigIntToBytes, compareBytes } from './bytes';
import { targetFromBits } from './compact';
import { HEADER_BYTES, NONCE_OFFSET } from './header';

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
 * Tries nonces `startNonce, startNonce+1, …` on an encoded header, at most
 * `budget` of them, and stops at the first whose hash meets `target`.
 * The first 64 header bytes do not depend on the nonce: they are hashed once
 * (the midstate) and each nonce costs one SHA-256 compression.
 */
export function mineStep(
  header: Uint8Array,
  target: Uint8Array,
  startNonce: number,
  budget: number,
): MineStepResult {
  assert(header.length === HEADER_BYTES, 'mineStep needs an encoded header');
  assert(Number.isInteger(startNonce) && startNonce >= 0 && startNonce <= MAX_NONCE, 'bad start nonce');
  assert(Number.isInteger(budget) && budget > 0, 'bad budget');
  const work = header.slice();
  const mid = nobleSha256.create().update(work.subarray(0, 64));
  const tail = work.subarray(64);
  const at = NONCE_OFFSET - 64;
  const end = Math.min(MAX_NONCE, startNonce + budget - 1);
  for (let nonce = startNonce; nonce <= end; nonce++) {
    tail[at] = nonce >>> 24;
    tail[at + 1] = (nonce >>> 16) & 0xff;
    tail[at + 2] = (nonce >>> 8) & 0xff;
    tail[at + 3] = nonce & 0xff;
    const hash = mid.clone().update(tail).digest();
    if (hashMeetsTarget(hash, target)) return { found: true, nonce, hash, tried: nonce - startNonce + 1 };
  }
  return { found: false, nextNonce: end + 1, exhausted: end === MAX_NONCE, tried: end - startNonce + 1 };
}
