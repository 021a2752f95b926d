/**
 * The paper's difficulty adjustment (paper §III; SPEC §5):
 * every n blocks NewTarget = OldTarget × actualTimespan / expectedTimespan,
 * the actual timespan clamped to [expected / 4, expected × 4] and the result
 * capped at the network's limit. It is Bitcoin Core's
 * `CalculateNextWorkRequired`, and with {@link BITCOIN_PARAMS} it gives exactly
 * Bitcoin Core's results (tested against its pow_tests cases).
 */
import type { ChainParams } from './params';
import { decodeCompact, encodeCompact } from './compact';
import { assert } from './assert';

/** Seconds one retarget window is meant to take (n × spacing for Bitcoin; see {@link ChainParams.expectedIntervals}). */
export function expectedTimespan(params: ChainParams): number {
  return params.expectedIntervals * params.targetSpacing;
}

/**
 * The next compact target after a window whose first block has time
 * `firstTime` and whose last block has time `lastTime` and bits `lastBits`.
 */
export function calculateNextBits(params: ChainParams, lastBits: number, firstTime: number, lastTime: number): number {
  const expected = BigInt(expectedTimespan(params));
  const k = BigInt(params.clampFactor);
  // Clamp actual to [expected / k, expected × k] in units of 1/k second, so
  // that an expected timespan not divisible by k is not rounded (Bitcoin's is
  // divisible by 4, where this gives exactly Bitcoin Core's integer results).
  let scaled = BigInt(lastTime - firstTime) * k;
  if (scaled < expected) scaled = expected;
  if (scaled > expected * k * k) scaled = expected * k * k;
  const old = decodeCompact(lastBits);
  assert(!old.negative && !old.overflow, 'retarget from invalid bits');
  let target = (old.target * scaled) / (expected * k);
  if (target > params.powLimit) target = params.powLimit;
  return encodeCompact(target);
}

/** Whether a block at `height` starts a new retarget window. */
export function isRetargetHeight(params: ChainParams, height: number): boolean {
  return height > 0 && height % params.retargetInterval === 0;
}

/**
 * The bits a block at `parentHeight + 1` must carry.
 *
 * @param ancestorTime time of the ancestor of the parent at a given height
 *   (only asked for the window's first block, `height - n`).
 */
export function requiredBits(params: ChainParams, parent: { height: number; bits: number; time: number }, ancestorTime: (height: number) => number): number {
  const height = parent.height + 1;
  if (!isRetargetHeight(params, height)) return parent.bits;
  // Bitcoin's window: from block height−n to block height−1 (n−1 intervals).
  const firstTime = ancestorTime(height - params.retargetInterval);
  return calculateNextBits(params, parent.bits, firstTime, parent.time);
}
