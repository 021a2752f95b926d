/**
 * A timer for a moment of consent (issue 15): a grant's expiry or erase-by
 * time, or a caregiver's delegation's expiry, passes without any new block,
 * and the screens must notice then (the form stops saving, the history drops
 * what the terms remove, a caregiver's shared records go). Times are the
 * node's seconds; a moment beyond what one browser timer can wait is reached
 * in steps, each call of `wake` re-arming for what is then ahead.
 */

/** The longest delay one browser timer holds (2³¹−1 ms, about 24.8 days). */
const MAX_DELAY_MS = 2 ** 31 - 1;

/** Calls `wake` at `at` (seconds; `now` is the time now), or sooner when that is beyond one timer; returns the cancel. */
export function wakeAt(at: number, now: number, wake: () => void): () => void {
  const timer = setTimeout(wake, Math.min(MAX_DELAY_MS, Math.max(0, (at - now) * 1000)));
  return () => clearTimeout(timer);
}
