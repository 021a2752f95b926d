/** Percentiles for the bench's latency figures (issue 7: confirm p50 and p95). */
import { assert } from '../../lib/core/assert';

/** The nearest-rank percentile `p` (0 < p ≤ 100) of `values`: the smallest value with at least p% of them at or below it. */
export function percentile(values: readonly number[], p: number): number {
  assert(values.length > 0 && p > 0 && p <= 100, 'percentile of nothing');
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.ceil((p / 100) * sorted.length) - 1]!;
}
